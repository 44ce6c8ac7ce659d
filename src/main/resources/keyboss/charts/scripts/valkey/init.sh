#!/bin/sh
# Init container of every ValkeySentinel data pod: writes the server configuration and decides
# whether the pod starts as master or as a replica, without ever making a stale or empty pod
# the master while a better one exists:
#   1. a Sentinel that answers names the master (they know best after a failover);
#   2. else a peer that is master now;
#   3. else the peers' view: replicas that follow this pod (it was the master: a restart of the
#      master together with the Sentinels) or another, still absent, master they follow;
#   4. else the role this pod had last: its configuration lives on the data volume, and
#      Sentinel rewrites it (CONFIG REWRITE) at every failover;
#   5. else (an empty volume: first start, or a lost one) it waits up to PEER_WAIT_SECONDS for a
#      master to appear, and only then falls back to the initial layout (the first peer master).
# An empty volume never becomes master while a peer holds data.
# The password comes from a file of the Secret and is written to AUTH_CONF (a memory-backed
# emptyDir) that the configuration includes.
set -eu
TAG=valkey-init
. "$(dirname "$0")/common.sh"
need SELF PEERS SENTINELS MASTER_NAME CONF AUTH_CONF DATA_DIR AUTH_FILE MIN_REPLICAS_TO_WRITE MIN_REPLICAS_MAX_LAG
PEER_WAIT_SECONDS=${PEER_WAIT_SECONDS:-10}
RETRY_INTERVAL=${RETRY_INTERVAL:-2}

set -- $PEERS
INITIAL_MASTER=$1
case " $PEERS " in *" $SELF "*) ;; *) die "SELF=$SELF is not one of PEERS=$PEERS" ;; esac
[ -s "$AUTH_FILE" ] || die "the password file $AUTH_FILE is missing or empty (Secret key not mounted?)"
REDISCLI_AUTH=$(cat "$AUTH_FILE")
export REDISCLI_AUTH

# The replicaof line of the last configuration, as host:port; "self" when it had none (master).
last_role() {
  [ -f "$CONF" ] || return 0
  line=$(grep -E '^(replicaof|slaveof) ' "$CONF" | tail -n 1 | tr -d '"')
  if [ -n "$line" ]; then
    set -- $line
    echo "$2:$3"
  else
    echo self
  fi
}

# Prints the master to follow (host:port, SELF when this pod is to be master) and why, or nothing.
find_master() {
  for s in $SENTINELS; do
    addr=$(vk "$s" --raw sentinel get-master-addr-by-name "$MASTER_NAME" | tr '\n' ' ') || addr=""
    set -- $addr
    if [ "$#" -eq 2 ]; then echo "$1:$2 sentinel $s names it"; return 0; fi
  done
  follows_me=""
  follows_other=""
  for p in $PEERS; do
    [ "$p" = "$SELF" ] && continue
    info=$(vk "$p" info replication | tr -d '\r') || continue
    case "$info" in
      *role:master*) echo "$p peer $p is master"; return 0 ;;
    esac
    host=$(echo "$info" | sed -n 's/^master_host://p')
    port=$(echo "$info" | sed -n 's/^master_port://p')
    [ -n "$host" ] || continue
    if [ "$host:$port" = "$SELF" ]; then follows_me=$p; else follows_other="$host:$port"; fi
  done
  if [ -n "$follows_me" ]; then echo "$SELF replica $follows_me follows this pod"; return 0; fi
  if [ -n "$follows_other" ]; then echo "$follows_other the replicas follow it"; return 0; fi
  last=$(last_role)
  case "$last" in
    self) echo "$SELF it was master when it stopped" ;;
    ?*) echo "$last it was its replica when it stopped" ;;
  esac
}

waited=0
while :; do
  found=$(find_master)
  [ -n "$found" ] && break
  if [ "$waited" -ge "$PEER_WAIT_SECONDS" ]; then
    if [ "$SELF" = "$INITIAL_MASTER" ]; then
      found="$SELF nothing else answered: the initial master"
    else
      found="$INITIAL_MASTER nothing else answered: following the initial master"
    fi
    break
  fi
  log "empty volume and no master anywhere yet; asking again in ${RETRY_INTERVAL}s"
  sleep "$RETRY_INTERVAL"
  waited=$((waited + RETRY_INTERVAL))
done
master=${found%% *}
log "${found#* } ($master)"
if [ "$master" = "$SELF" ] && [ ! -f "$CONF" ]; then
  # An empty volume must not become the master of replicas that hold data: they would copy it.
  for p in $PEERS; do
    [ "$p" = "$SELF" ] && continue
    if vk "$p" info keyspace | grep -q '^db[0-9]*:keys='; then
      master=$p
      log "but this volume is empty and $p holds data: starting as its replica; Sentinel promotes a replica"
      break
    fi
  done
fi

umask 077
printf 'requirepass %s\nmasterauth %s\n' "$REDISCLI_AUTH" "$REDISCLI_AUTH" > "$AUTH_CONF"
{
  echo "# Written by init.sh at every start; Sentinel rewrites it (CONFIG REWRITE) on failovers."
  echo "include $AUTH_CONF"
  echo "port ${SELF##*:}"
  echo "protected-mode yes"
  echo "dir $DATA_DIR"
  echo "appendonly yes"
  echo "replica-announce-ip ${SELF%:*}"
  echo "replica-announce-port ${SELF##*:}"
  # A master that cannot reach enough replicas refuses writes instead of taking writes a
  # failover would discard.
  echo "min-replicas-to-write $MIN_REPLICAS_TO_WRITE"
  echo "min-replicas-max-lag $MIN_REPLICAS_MAX_LAG"
  # A restarted master full-syncs its replicas; it starts as soon as all of them asked, not after
  # the default 5 s wait (it takes no writes until one is in sync).
  echo "repl-diskless-sync-max-replicas $(($(echo $PEERS | wc -w) - 1))"
  echo "repl-diskless-sync-delay 1"
  if [ -n "${MAXMEMORY:-}" ]; then
    echo "maxmemory $MAXMEMORY"
    # Only keys with a TTL (cache entries, task results) may be evicted, never the queues.
    echo "maxmemory-policy volatile-lru"
  fi
  if [ "$master" != "$SELF" ]; then
    echo "replicaof ${master%:*} ${master##*:}"
  fi
} > "$CONF.tmp"
mv "$CONF.tmp" "$CONF"
if [ "$master" = "$SELF" ]; then
  log "starting as master"
else
  log "starting as replica of $master"
fi
