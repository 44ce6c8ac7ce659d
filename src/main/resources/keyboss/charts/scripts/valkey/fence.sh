#!/bin/sh
# Sidecar of every ValkeySentinel data pod. A master that no majority of the Sentinels has named
# master for FENCE_AFTER_MS stops taking writes (min-replicas-to-write above any replica count:
# clients get NOREPLICAS and retry). The Sentinels that cannot see it promote a replica after
# their down-after period, and every write it took meanwhile would be discarded when it re-joins;
# fencing before that (FENCE_AFTER_MS is half the down-after period) leaves no such writes. A
# master that a majority names again takes writes again; a replica always has
# MIN_REPLICAS_TO_WRITE, the value init.sh writes. Nothing else is changed, and a master whose
# Sentinels are all briefly away (a rolling restart keeps a majority) is only paused.
set -eu
TAG=valkey-fence
. "$(dirname "$0")/common.sh"
need SELF SENTINELS MASTER_NAME AUTH_FILE MIN_REPLICAS_TO_WRITE FENCE_AFTER_MS
# The server of this pod (the lab, which has no pod network, sets its own).
LOCAL=${LOCAL:-127.0.0.1:${SELF##*:}}
INTERVAL=${INTERVAL:-0.5}
CONNECT_TIMEOUT=1
# More replicas than any deployment has: the master refuses every write.
FENCED=1000000
[ -s "$AUTH_FILE" ] || die "the password file $AUTH_FILE is missing or empty (Secret key not mounted?)"
REDISCLI_AUTH=$(cat "$AUTH_FILE")
export REDISCLI_AUTH
set -- $SENTINELS
sentinels=$#
majority=$((sentinels / 2 + 1))
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
trap 'exit 0' INT TERM

# Milliseconds since boot (/proc/uptime has hundredths of a second; date has whole seconds).
now_ms() {
  read -r up _ < /proc/uptime
  hundredths=${up#*.}
  echo $((${up%.*} * 1000 + ${hundredths#0} * 10))
}

# want VALUE WHY: sets min-replicas-to-write to VALUE unless the server has it already (read
# each time: a restarted server starts from its configuration file).
want() {
  current=$(vk "$LOCAL" config get min-replicas-to-write | sed -n 2p) || return 0
  [ -n "$current" ] && [ "$current" != "$1" ] || return 0
  if [ "$(vk "$LOCAL" config set min-replicas-to-write "$1")" = OK ]; then
    if [ "$1" = "$FENCED" ]; then log "fenced (writes refused): $2"; else log "writes allowed again: $2"; fi
  fi
}

log "watching $MASTER_NAME: a master no majority ($majority of $sentinels) of the Sentinels confirms for ${FENCE_AFTER_MS} ms refuses writes"
last_ok=$(now_ms)
while :; do
  role=$(vk "$LOCAL" role | head -n 1) || role=""
  if [ "$role" = master ]; then
    # Every Sentinel at once: one that does not answer costs CONNECT_TIMEOUT, not one each.
    i=0
    for s in $SENTINELS; do
      i=$((i + 1))
      (vk "$s" --raw sentinel get-master-addr-by-name "$MASTER_NAME" | tr '\n' ' ' > "$work/$i" || true) &
    done
    wait
    agree=0
    other=0
    for f in "$work"/*; do
      set -- $(cat "$f")
      if [ "$#" -eq 2 ]; then
        if [ "$1:$2" = "$SELF" ]; then agree=$((agree + 1)); else other=$((other + 1)); fi
      fi
    done
    rm -f "$work"/*
    now=$(now_ms)
    if [ "$agree" -ge "$majority" ]; then
      last_ok=$now
      want "$MIN_REPLICAS_TO_WRITE" "$agree of $sentinels Sentinels name this pod master"
    elif [ "$other" -ge "$majority" ]; then
      want "$FENCED" "$other of $sentinels Sentinels name another master"
    elif [ $((now - last_ok)) -ge "$FENCE_AFTER_MS" ]; then
      want "$FENCED" "only $agree of $sentinels Sentinels named this pod master in the last $((now - last_ok)) ms"
    fi
  else
    # A replica, or a server not running: the period starts again when it is master.
    last_ok=$(now_ms)
    [ -z "$role" ] || want "$MIN_REPLICAS_TO_WRITE" "this pod is a $role"
  fi
  sleep "$INTERVAL"
done
