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

SURVEY=$CONF.survey

# One line per data pod that answers: "pod role master-host:port connected-replicas offset".
survey() {
  for p in $PEERS; do
    info=$(vk "$p" info replication | tr -d '\r') || continue
    role=$(echo "$info" | sed -n 's/^role://p')
    [ -n "$role" ] || continue
    host=$(echo "$info" | sed -n 's/^master_host://p')
    port=$(echo "$info" | sed -n 's/^master_port://p')
    replicas=$(echo "$info" | sed -n 's/^connected_slaves://p')
    offset=$(echo "$info" | sed -n 's/^master_repl_offset://p')
    echo "$p $role ${host:-none}:${port:-0} ${replicas:-0} ${offset:-0}"
  done
}

# Prints "host:port why" of the master, or nothing; leaves the survey of the data pods in $SURVEY.
find_master() {
  survey > "$SURVEY"
  for s in $SENTINELS; do
    [ "$s" = "$SELF" ] && continue
    addr=$(vk "$s" --raw sentinel get-master-addr-by-name "$MASTER_NAME" | tr '\n' ' ') || addr=""
    set -- $addr
    if [ "$#" -eq 2 ]; then echo "$1:$2 Sentinel $s names it"; return 0; fi
  done
  best=$(awk '$2 == "master" {printf "%05d%020d %s\n", $4, $5, $1}' "$SURVEY" | sort -r | awk 'NR == 1 {print $2}')
  if [ -n "$best" ]; then echo "$best it is master"; return 0; fi
  # The master most replicas follow.
  top=$(awk '$2 == "slave" && $3 != "none:0" {print $3}' "$SURVEY" | sort | uniq -c | sort -rn | awk 'NR == 1 {print $2}')
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
  awk -v master="$master" -v name="$MASTER_NAME" '$2 == "slave" && $3 == master {
    n = split($1, hp, ":"); print "sentinel known-replica " name " " hp[1] " " hp[2] }' "$SURVEY"
} > "$CONF.tmp"
mv "$CONF.tmp" "$CONF"
rm -f "$SURVEY"
log "monitoring $MASTER_NAME at $master (quorum $QUORUM, $(grep -c known-replica "$CONF") known replicas)"
