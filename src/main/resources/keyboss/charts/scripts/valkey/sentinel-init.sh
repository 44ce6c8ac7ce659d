#!/bin/sh
# Init container of every Sentinel pod: finds the current master and writes a Sentinel
# configuration that monitors it by host name (pod IPs change on restart, names do not).
# Sentinel state is re-derived at every start, never reset to the first pod blindly:
#   1. a running Sentinel names the master;
#   2. else the data pods: the master among them (several: the one with most replicas, then the
#      highest replication offset);
#   3. else the master the replicas follow, even while it is down (the master restarting with
#      every Sentinel): the replicas go into the configuration as known replicas, so the
#      Sentinels fail over to one of them if that master does not come back.
# Nothing answering at all: it asks again every RETRY_INTERVAL seconds.
set -eu
TAG=sentinel-init
. "$(dirname "$0")/common.sh"
need SELF PEERS SENTINELS MASTER_NAME QUORUM DOWN_AFTER_MS FAILOVER_TIMEOUT_MS CONF AUTH_FILE
RETRY_INTERVAL=${RETRY_INTERVAL:-2}
[ -s "$AUTH_FILE" ] || die "the password file $AUTH_FILE is missing or empty (Secret key not mounted?)"
REDISCLI_AUTH=$(cat "$AUTH_FILE")
export REDISCLI_AUTH

# Prints "host:port why" of the master, or nothing.
find_master() {
  for s in $SENTINELS; do
    [ "$s" = "$SELF" ] && continue
    addr=$(vk "$s" --raw sentinel get-master-addr-by-name "$MASTER_NAME" | tr '\n' ' ') || addr=""
    set -- $addr
    if [ "$#" -eq 2 ]; then echo "$1:$2 Sentinel $s names it"; return 0; fi
  done
  best=""
  best_key=""
  followed=""
  for p in $PEERS; do
    info=$(vk "$p" info replication | tr -d '\r') || continue
    case "$info" in
      *role:master*)
        replicas=$(echo "$info" | sed -n 's/^connected_slaves://p')
        offset=$(echo "$info" | sed -n 's/^master_repl_offset://p')
        key=$(printf '%05d%020d' "${replicas:-0}" "${offset:-0}")
        if [ -z "$best" ] || [ "$key" \> "$best_key" ]; then best=$p; best_key=$key; fi ;;
      *)
        host=$(echo "$info" | sed -n 's/^master_host://p')
        port=$(echo "$info" | sed -n 's/^master_port://p')
        [ -n "$host" ] && followed="$followed $host:$port" ;;
    esac
  done
  if [ -n "$best" ]; then echo "$best it is master"; return 0; fi
  # The master most replicas follow.
  top=$(for m in $followed; do echo "$m"; done | sort | uniq -c | sort -rn | awk 'NR == 1 {print $2}')
  if [ -n "$top" ]; then echo "$top the replicas follow it (it is down now)"; fi
}

while :; do
  found=$(find_master)
  [ -n "$found" ] && break
  log "no Sentinel, master or replica answers yet; asking again in ${RETRY_INTERVAL}s"
  sleep "$RETRY_INTERVAL"
done
master=${found%% *}
log "master $master: ${found#* }"

umask 077
{
  echo "port ${SELF##*:}"
  echo "protected-mode yes"
  echo "requirepass $REDISCLI_AUTH"
  echo "sentinel resolve-hostnames yes"
  echo "sentinel announce-hostnames yes"
  echo "sentinel announce-ip ${SELF%:*}"
  echo "sentinel announce-port ${SELF##*:}"
  echo "sentinel monitor $MASTER_NAME ${master%:*} ${master##*:} $QUORUM"
  echo "sentinel auth-pass $MASTER_NAME $REDISCLI_AUTH"
  echo "sentinel down-after-milliseconds $MASTER_NAME $DOWN_AFTER_MS"
  echo "sentinel failover-timeout $MASTER_NAME $FAILOVER_TIMEOUT_MS"
  echo "sentinel parallel-syncs $MASTER_NAME 1"
  # Replicas of that master, so a failover is possible even if it never answers again.
  for p in $PEERS; do
    [ "$p" = "$master" ] && continue
    info=$(vk "$p" info replication | tr -d '\r') || continue
    host=$(echo "$info" | sed -n 's/^master_host://p')
    port=$(echo "$info" | sed -n 's/^master_port://p')
    if [ "$host:$port" = "$master" ]; then echo "sentinel known-replica $MASTER_NAME ${p%:*} ${p##*:}"; fi
  done
} > "$CONF.tmp"
mv "$CONF.tmp" "$CONF"
log "monitoring $MASTER_NAME at $master (quorum $QUORUM, $(grep -c known-replica "$CONF") known replicas)"
