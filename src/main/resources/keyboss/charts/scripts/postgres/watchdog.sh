#!/bin/sh
# Failover watchdog of PostgresHA. Every CHECK_INTERVAL seconds it asks the primary whether it
# accepts connections; after FAILURE_THRESHOLD failures in a row it promotes the standby,
# points CONFIGMAP's CONFIGMAP_KEY at the new primary, restarts RESTART_DEPLOYMENTS so they
# reconnect, and goes on watching the new pair. It finds the current primary itself on start.
#
# Fencing: a primary that was only frozen (not dead) comes back still believing it is primary.
# Until the old primary is seen as a standby, every cycle the watchdog looks at it and, if it
# answers as a writable primary, fences it: makes it read-only (default_transaction_read_only,
# persisted with ALTER SYSTEM) and ends its client sessions, so two writable primaries never
# stay. A fenced pod re-joins as standby of the new primary when it restarts (its init
# container re-syncs it).
set -eu
TAG=watchdog
. "$(dirname "$0")/common.sh"
log() { echo "$(date -u +%H:%M:%S) [watchdog] $*"; }
need PEERS POSTGRES_USER POSTGRES_PASSWORD NAMESPACE CONFIGMAP CONFIGMAP_KEY
export PGUSER="$POSTGRES_USER" PGPASSWORD="$POSTGRES_PASSWORD"
CHECK_INTERVAL=${CHECK_INTERVAL:-3}
FAILURE_THRESHOLD=${FAILURE_THRESHOLD:-3}
CONNECT_TIMEOUT=${CONNECT_TIMEOUT:-2}
RESTART_DEPLOYMENTS=${RESTART_DEPLOYMENTS:-}
KUBE_API=${KUBE_API:-https://kubernetes.default.svc}
KUBE_TOKEN_FILE=${KUBE_TOKEN_FILE:-/var/run/secrets/kubernetes.io/serviceaccount/token}
KUBE_CA_FILE=${KUBE_CA_FILE:-/var/run/secrets/kubernetes.io/serviceaccount/ca.crt}

set -- $PEERS
[ "$#" -eq 2 ] || die "PEERS must name exactly two HOST:PORT entries, got: $PEERS"

# Sends a PATCH to the Kubernetes API; $1 path, $2 content type, $3 body.
kube_patch() {
  if [ -f "$KUBE_CA_FILE" ]; then ca="--cacert $KUBE_CA_FILE"; else ca=""; fi
  if [ -f "$KUBE_TOKEN_FILE" ]; then auth="Authorization: Bearer $(cat "$KUBE_TOKEN_FILE")"; else auth="X-No-Token: 1"; fi
  # shellcheck disable=SC2086
  curl -sS -f -o /dev/null -X PATCH $ca -H "$auth" -H "Content-Type: $2" --data "$3" "$KUBE_API$1"
}

# Makes the primary $1 read-only and ends its client sessions.
fence() {
  psql -h "${1%:*}" -p "${1##*:}" -d postgres -v ON_ERROR_STOP=1 -qtAX \
    -c "ALTER SYSTEM SET default_transaction_read_only = on" \
    -c "SELECT pg_reload_conf()" \
    -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
        WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'" >/dev/null 2>&1
}

timeline() {
  psql -h "${1%:*}" -p "${1##*:}" -d postgres -tAXc 'select timeline_id from pg_control_checkpoint()' 2>/dev/null || echo 0
}

find_pair() {
  PRIMARY=""
  STANDBY=""
  for p in $PEERS; do
    case "$(pg_role "$p")" in
      primary)
        if [ -z "$PRIMARY" ]; then
          PRIMARY=$p
        else
          # Two writable primaries: the one on the older timeline is the stale one.
          if [ "$(timeline "$p")" -gt "$(timeline "$PRIMARY")" ]; then stale=$PRIMARY; PRIMARY=$p; else stale=$p; fi
          log "two writable primaries; fencing $stale (older timeline)"
          fence "$stale" || log "WARNING: could not fence $stale"
          STANDBY=$stale
        fi ;;
      *) STANDBY=$p ;;
    esac
  done
}

while :; do
  find_pair
  [ -n "$PRIMARY" ] && break
  log "no primary among $PEERS yet; retrying in ${CHECK_INTERVAL}s"
  sleep "$CHECK_INTERVAL"
done
[ -n "$STANDBY" ] || for p in $PEERS; do [ "$p" = "$PRIMARY" ] || STANDBY=$p; done
log "primary $PRIMARY, standby $STANDBY, every ${CHECK_INTERVAL}s, failover after $FAILURE_THRESHOLD failures"

failover() {
  if [ "$(pg_role "$STANDBY")" != standby ]; then
    log "standby $STANDBY is not a reachable standby: cannot promote it; still watching"
    return 1
  fi
  log "=== FAILOVER: promoting $STANDBY ==="
  promoted=$(psql -h "${STANDBY%:*}" -p "${STANDBY##*:}" -d postgres -tAXc 'select pg_promote(true, 30)' 2>&1) || { log "pg_promote failed: $promoted"; return 1; }
  [ "$promoted" = t ] || { log "pg_promote did not finish in 30 s: $promoted"; return 1; }
  host=${STANDBY%:*}
  log "patching configmap $CONFIGMAP: $CONFIGMAP_KEY=$host"
  kube_patch "/api/v1/namespaces/$NAMESPACE/configmaps/$CONFIGMAP" "application/merge-patch+json" \
    "{\"data\":{\"$CONFIGMAP_KEY\":\"$host\"}}" || log "WARNING: could not patch configmap $CONFIGMAP"
  now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  for d in $RESTART_DEPLOYMENTS; do
    log "restarting deployment $d"
    kube_patch "/apis/apps/v1/namespaces/$NAMESPACE/deployments/$d" "application/strategic-merge-patch+json" \
      "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/restartedAt\":\"$now\"}}}}}" \
      || log "WARNING: could not restart deployment $d"
  done
  old=$PRIMARY
  PRIMARY=$STANDBY
  STANDBY=$old
  FENCE_PENDING=true
  log "=== FAILOVER COMPLETE: primary $PRIMARY, watching it; $STANDBY re-joins as standby ==="
}

# Fences the old primary if it is back and writable; done once it is a standby or fenced.
check_old_primary() {
  case "$(pg_role "$STANDBY")" in
    primary)
      if fence "$STANDBY"; then
        log "FENCED $STANDBY: it came back as a writable primary; it is read-only until it re-joins as standby"
        FENCE_PENDING=false
      else
        log "WARNING: $STANDBY is a writable primary and could not be fenced yet"
      fi ;;
    standby|fenced) FENCE_PENDING=false ;;
  esac
}

FENCE_PENDING=false
failures=0
while :; do
  if [ "$FENCE_PENDING" = true ]; then
    check_old_primary
  fi
  if pg_isready -q -h "${PRIMARY%:*}" -p "${PRIMARY##*:}" -t "$CONNECT_TIMEOUT"; then
    [ "$failures" -eq 0 ] || log "primary $PRIMARY answers again after $failures failed checks"
    failures=0
  else
    failures=$((failures + 1))
    log "primary $PRIMARY unreachable ($failures/$FAILURE_THRESHOLD)"
    if [ "$failures" -ge "$FAILURE_THRESHOLD" ] && failover; then
      failures=0
    fi
  fi
  sleep "$CHECK_INTERVAL"
done
