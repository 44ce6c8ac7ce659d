#!/bin/sh
# Init container of every PostgresHA pod. Decides how the pod's data directory starts:
#  - empty, and this pod is the initial primary with no primary among its peers: leave it
#    empty, so the postgres entrypoint runs initdb and init-primary.sh;
#  - empty otherwise: copy the current primary with pg_basebackup -R -X stream (hot standby);
#  - holding data: if a peer was promoted while this pod was away and this pod was a primary,
#    re-sync from the new primary as its standby (two primaries must never run at once).
# Host names and ports come from the environment, as the manifest injects them.
set -eu
TAG=bootstrap
. "$(dirname "$0")/common.sh"
need PGDATA SELF PEERS POSTGRES_USER POSTGRES_PASSWORD POSTGRES_REPLICATION_USER POSTGRES_REPLICATION_PASSWORD
export PGUSER="$POSTGRES_USER" PGPASSWORD="$POSTGRES_PASSWORD"
REJOIN_WINDOW=${REJOIN_WINDOW:-30}
RETRY_INTERVAL=${RETRY_INTERVAL:-5}
CONNECT_TIMEOUT=${CONNECT_TIMEOUT:-3}

set -- $PEERS
INITIAL_PRIMARY=$1
OTHERS=""
for p in $PEERS; do
  [ "$p" = "$SELF" ] || OTHERS="$OTHERS $p"
done
case " $PEERS " in *" $SELF "*) ;; *) die "SELF=$SELF is not one of PEERS=$PEERS" ;; esac

# Prints the first peer (other than this pod) that is a primary, or nothing.
# shellcheck disable=SC2086
find_primary() { pg_primary $OTHERS; }

# Copies the primary $1 into a fresh directory, then swaps it in, so that a failed copy
# leaves the old data where it was.
basebackup() {
  fresh="$PGDATA.basebackup"
  rm -rf "$fresh"
  log "copying $1 with pg_basebackup into a fresh data directory"
  PGPASSWORD="$POSTGRES_REPLICATION_PASSWORD" pg_basebackup -h "${1%:*}" -p "${1##*:}" \
    -U "$POSTGRES_REPLICATION_USER" -D "$fresh" -R -X stream -c fast \
    || { rm -rf "$fresh"; die "pg_basebackup from $1 failed"; }
  rm -rf "$PGDATA"
  mv "$fresh" "$PGDATA"
  chmod 700 "$PGDATA"
  log "this pod is now a hot standby of $1"
}

if [ -s "$PGDATA/PG_VERSION" ]; then
  waited=0
  while :; do
    primary=$(find_primary)
    if [ -n "$primary" ]; then
      if [ -f "$PGDATA/standby.signal" ]; then
        log "data present, this pod is a standby and $primary is primary: starting as standby"
      else
        log "REJOIN: $primary was promoted while this pod was primary: re-syncing as its standby"
        basebackup "$primary"
      fi
      exit 0
    fi
    if [ -f "$PGDATA/standby.signal" ] || [ "$waited" -ge "$REJOIN_WINDOW" ]; then
      break
    fi
    # A primary that restarts must wait out the watchdog's decision, or both could be primary.
    log "data present, no promoted peer yet; checking again (${waited}s of ${REJOIN_WINDOW}s)"
    sleep "$RETRY_INTERVAL"
    waited=$((waited + RETRY_INTERVAL))
  done
  log "no promoted peer: starting with the existing data"
  exit 0
fi

if [ "$SELF" = "$INITIAL_PRIMARY" ]; then
  primary=$(find_primary)
  if [ -n "$primary" ]; then
    log "data directory empty and $primary is primary: joining it as standby"
    basebackup "$primary"
  else
    log "data directory empty and no primary among peers: initialising a new primary"
  fi
  exit 0
fi

while :; do
  primary=$(find_primary)
  [ -n "$primary" ] && break
  log "waiting for a primary among:$OTHERS"
  sleep "$RETRY_INTERVAL"
done
basebackup "$primary"
