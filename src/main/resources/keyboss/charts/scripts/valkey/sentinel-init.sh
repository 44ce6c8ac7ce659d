#!/bin/sh
# Init container of every Sentinel pod: waits until a master answers, then writes a Sentinel
# configuration that monitors it by host name (pod IPs change on restart, names do not).
set -eu
TAG=sentinel-init
. "$(dirname "$0")/common.sh"
need SELF PEERS SENTINELS MASTER_NAME QUORUM DOWN_AFTER_MS FAILOVER_TIMEOUT_MS CONF
RETRY_INTERVAL=${RETRY_INTERVAL:-2}

set -- $PEERS
INITIAL_MASTER=$1

find_master() {
  for s in $SENTINELS; do
    [ "$s" = "$SELF" ] && continue
    addr=$(vk "$s" --raw sentinel get-master-addr-by-name "$MASTER_NAME" | tr '\n' ' ') || addr=""
    set -- $addr
    if [ "$#" -eq 2 ]; then echo "$1:$2"; return 0; fi
  done
  for p in $PEERS; do
    if vk "$p" info replication | grep -q '^role:master'; then echo "$p"; return 0; fi
  done
  return 0
}

while :; do
  master=$(find_master)
  [ -n "$master" ] || master=$INITIAL_MASTER
  if vk "$master" ping | grep -q PONG; then
    break
  fi
  log "waiting for master $master to answer"
  sleep "$RETRY_INTERVAL"
done

{
  echo "port ${SELF##*:}"
  echo "sentinel resolve-hostnames yes"
  echo "sentinel announce-hostnames yes"
  echo "sentinel announce-ip ${SELF%:*}"
  echo "sentinel announce-port ${SELF##*:}"
  echo "sentinel monitor $MASTER_NAME ${master%:*} ${master##*:} $QUORUM"
  echo "sentinel down-after-milliseconds $MASTER_NAME $DOWN_AFTER_MS"
  echo "sentinel failover-timeout $MASTER_NAME $FAILOVER_TIMEOUT_MS"
  echo "sentinel parallel-syncs $MASTER_NAME 1"
} > "$CONF"
log "monitoring $MASTER_NAME at $master (quorum $QUORUM)"
