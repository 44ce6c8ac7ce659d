#!/bin/sh
# Init container of every ValkeySentinel data pod: writes the server configuration. The pod
# starts as a replica of the current master, asking the Sentinels first (they know best after
# a failover), then the peers; only the initial master with no master elsewhere starts as master.
set -eu
TAG=valkey-init
. "$(dirname "$0")/common.sh"
need SELF PEERS SENTINELS MASTER_NAME CONF DATA_DIR

set -- $PEERS
INITIAL_MASTER=$1
case " $PEERS " in *" $SELF "*) ;; *) die "SELF=$SELF is not one of PEERS=$PEERS" ;; esac

master=""
for s in $SENTINELS; do
  addr=$(vk "$s" --raw sentinel get-master-addr-by-name "$MASTER_NAME" | tr '\n' ' ') || addr=""
  set -- $addr
  if [ "$#" -eq 2 ]; then
    master="$1:$2"
    log "sentinel $s reports master $master"
    break
  fi
done
if [ -z "$master" ]; then
  for p in $PEERS; do
    [ "$p" = "$SELF" ] && continue
    if vk "$p" info replication | grep -q '^role:master'; then
      master=$p
      log "peer $p is master"
      break
    fi
  done
fi
if [ -z "$master" ] && [ "$SELF" != "$INITIAL_MASTER" ]; then
  master=$INITIAL_MASTER
  log "no master found; following the initial master $master"
fi

{
  echo "port ${SELF##*:}"
  echo "dir $DATA_DIR"
  echo "appendonly yes"
  echo "replica-announce-ip ${SELF%:*}"
  echo "replica-announce-port ${SELF##*:}"
  if [ -n "$master" ] && [ "$master" != "$SELF" ]; then
    echo "replicaof ${master%:*} ${master##*:}"
  fi
} > "$CONF"
if grep -q '^replicaof' "$CONF"; then
  log "starting as replica of $master"
else
  log "starting as master"
fi
