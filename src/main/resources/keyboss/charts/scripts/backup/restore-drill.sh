#!/bin/sh
# The restore drill: restores the newest base backup that has a drill manifest (or BACKUP_SET)
# from object storage into DRILL_DIR, an empty folder of this pod, replays WAL from the archive
# up to the position the manifest names, and compares every table there with what the backup
# job recorded on the source at that position: the list of tables, their row counts and their
# checksums. Exits non-zero naming each table that differs. It never connects to the cluster.
set -eu
TAG=restore-drill
here=$(dirname "$0")
. "$here/common.sh"
. "$here/objects.sh"
. "$here/manifest.sh"
. "$here/postgres-local.sh"
fail() { echo "[$TAG] FAILED: $*" >&2; exit 1; }
need PGBACKREST_STANZA DRILL_DIR LOCAL_USER
objects_init
REPLAY_TIMEOUT=${REPLAY_TIMEOUT:-3600}
[ -d "$DRILL_DIR" ] || die "DRILL_DIR $DRILL_DIR is not a folder"
pgdata="$DRILL_DIR/pgdata"
[ ! -e "$pgdata" ] || [ -z "$(ls -A "$pgdata")" ] || die "$pgdata is not empty; the drill restores into an empty folder only"

set_label=${BACKUP_SET:-}
if [ -z "$set_label" ]; then
  # Newest backup that still exists and has a manifest (labels sort by time).
  for m in $(object_list drill | sort -r); do
    candidate=${m%.manifest}
    if pgbackrest info --set="$candidate" >/dev/null 2>&1; then set_label=$candidate; break; fi
  done
fi
[ -n "$set_label" ] || fail "no backup with a drill manifest in the repository"
expected="$DRILL_DIR/expected"
object_get "drill/$set_label.manifest" "$expected"
lsn=$(awk '$1 == "lsn" { print $2 }' "$expected")
LOCAL_DB=$(awk '$1 == "database" { print $2 }' "$expected")
[ -n "$lsn" ] && [ -n "$LOCAL_DB" ] || fail "the manifest of $set_label names no WAL position or database"
export LOCAL_DB

started=$(date +%s)
log "restoring $set_label, then WAL up to $lsn"
mkdir -p "$pgdata"
chmod 700 "$pgdata"
pgbackrest restore --pg1-path="$pgdata" --set="$set_label" --type=lsn --target="$lsn" --target-exclusive \
  --target-action=pause >/dev/null || fail "pgbackrest could not restore $set_label"
restored=$(date +%s)
trap local_stop EXIT
local_start "$pgdata" "$DRILL_DIR/run"
local_wait_ready "$REPLAY_TIMEOUT"
waited=0
until [ "$(local_sql -c "SELECT pg_get_wal_replay_pause_state()")" = paused ]; do
  kill -0 "$LOCAL_PID" 2>/dev/null || local_stopped
  [ "$waited" -lt "$REPLAY_TIMEOUT" ] || fail "WAL position $lsn not reached within $REPLAY_TIMEOUT s"
  sleep 1
  waited=$((waited + 1))
done
reached=$(local_sql -c "SELECT pg_last_wal_replay_lsn()")
log "restore took $((restored - started)) s, WAL replay to $reached another $(( $(date +%s) - restored )) s"

actual="$DRILL_DIR/actual"
table_sums -h "$DRILL_DIR/run" -p 5432 -U "$LOCAL_USER" -d "$LOCAL_DB" > "$actual"
problems=""
[ "$reached" = "$lsn" ] || problems="${problems}WAL position reached is $reached, the manifest's is $lsn
"
problems="$problems$(awk '$1 != "table" { next }
  NR == FNR { rows[$2] = $3; sum[$2] = $4; next }
  !($2 in rows) { print "table " $2 ": in the restored copy, not in the manifest"; next }
  $3 != rows[$2] { print "table " $2 ": " $3 " rows restored, " rows[$2] " recorded" }
  $3 == rows[$2] && $4 != sum[$2] { print "table " $2 ": contents differ (" $3 " rows, checksum " $4 " restored, " sum[$2] " recorded)" }
  { seen[$2] = 1 }
  END { for (t in rows) if (!(t in seen)) print "table " t ": in the manifest, missing from the restored copy" }' "$expected" "$actual")"
tables=$(grep -c '^table ' "$expected" || true)
if [ -n "$problems" ]; then
  printf '%s\n' "$problems" | sed '/^$/d; s/^/[restore-drill] DIFFERENCE: /' >&2
  fail "backup $set_label does not restore to what was recorded ($tables tables compared)"
fi
log "PASSED: backup $set_label restored to $reached; $tables tables match the manifest row for row"
