#!/bin/sh
# Valkey snapshot to object storage, in two steps of one Job (the Valkey image has the client,
# the uploader image has curl and openssl):
#   valkey-backup.sh snapshot  asks the Sentinels for the master of MASTER_NAME and writes its
#                              RDB (valkey-cli --rdb) to WORK_DIR/dump.rdb;
#   valkey-backup.sh upload    stores it encrypted as OBJECT_PREFIX/valkey/valkey_YYYYmmdd_HHMMSS.rdb
#                              and deletes snapshots older than RETENTION_DAYS, keeping at least
#                              the newest RETENTION_MIN_COUNT.
# A Valkey password, when the servers have one, comes in REDISCLI_AUTH (read by valkey-cli).
set -eu
TAG=valkey-backup
here=$(dirname "$0")
. "$here/common.sh"
need WORK_DIR
rdb="$WORK_DIR/dump.rdb"
case "${1:-}" in
  snapshot)
    need SENTINELS MASTER_NAME
    master=""
    for s in $SENTINELS; do
      addr=$(vk "$s" --raw sentinel get-master-addr-by-name "$MASTER_NAME" | tr '\n' ' ') || addr=""
      # shellcheck disable=SC2086
      set -- $addr
      if [ "$#" -eq 2 ]; then master="$1:$2"; break; fi
    done
    [ -n "$master" ] || die "no Sentinel among $SENTINELS knows the master of $MASTER_NAME"
    log "master of $MASTER_NAME is $master; fetching its RDB snapshot"
    rm -f "$rdb"
    # The master forks and streams a fresh snapshot; the time limit covers large data sets.
    timeout "${SNAPSHOT_TIMEOUT:-600}" "${VALKEY_CLI:-valkey-cli}" -h "${master%:*}" -p "${master##*:}" --rdb "$rdb" >/dev/null \
      || die "valkey-cli --rdb from $master failed"
    # Every RDB file starts with REDIS (or VALKEY in newer formats) and its format version.
    magic=$(head -c 5 "$rdb" 2>/dev/null || true)
    case "$magic" in
      REDIS|VALKE) ;;
      *) rm -f "$rdb"; die "what $master sent is not an RDB snapshot" ;;
    esac
    log "snapshot of $master: $(wc -c < "$rdb") bytes"
    ;;
  upload)
    . "$here/objects.sh"
    need RETENTION_DAYS RETENTION_MIN_COUNT
    objects_init
    [ -s "$rdb" ] || die "$rdb is missing or empty: the snapshot step did not run"
    name="valkey_$(date -u +%Y%m%d_%H%M%S).rdb"
    object_put "$rdb" "valkey/$name"
    log "stored valkey/$name"
    object_expire valkey '^valkey_[0-9]{8}_[0-9]{6}\.rdb$'
    ;;
  *) die "usage: valkey-backup.sh snapshot|upload" ;;
esac
