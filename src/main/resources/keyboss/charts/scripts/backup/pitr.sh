#!/bin/sh
# Point-in-time recovery into an EMPTY data folder (PGDATA, a new volume), never over a running
# member: restores the base backup that precedes TARGET_TIME (or BACKUP_SET), replays the WAL
# archive up to TARGET_TIME ("2026-01-31 14:05:00+00"), or to the end of the archive when
# TARGET_TIME is empty, promotes, and shuts the server down cleanly. The folder is then a
# complete cluster: start a new Patroni cluster on it, or (DUMP=y) take a logical dump of it,
# stored as OBJECT_PREFIX/logical/<db>-pitr_YYYYmmdd_HHMMSS.dump, for restore.sh to bring
# chosen tables back into production (PREFIX=<db>-pitr TABLES="...").
set -eu
TAG=pitr
here=$(dirname "$0")
. "$here/common.sh"
. "$here/objects.sh"
. "$here/postgres-local.sh"
need PGBACKREST_STANZA PGDATA LOCAL_USER RUN_DIR
objects_init
TIMEOUT=${TIMEOUT:-7200}
if [ -e "$PGDATA" ] && [ -n "$(ls -A "$PGDATA")" ]; then
  die "$PGDATA is not empty: point-in-time recovery only writes into an empty folder (a new volume), never over existing data"
fi
mkdir -p "$PGDATA"
chmod 700 "$PGDATA"

set -- --pg1-path="$PGDATA"
[ -n "${BACKUP_SET:-}" ] && set -- "$@" --set="$BACKUP_SET"
if [ -n "${TARGET_TIME:-}" ]; then
  set -- "$@" --type=time --target="$TARGET_TIME" --target-action=promote
  goal="the last commit before $TARGET_TIME"
else
  # Replays every archived segment, then promotes by itself.
  set -- "$@" --type=default
  goal="the end of the archive (latest)"
fi
started=$(date +%s)
log "restoring, then replaying WAL to $goal"
pgbackrest restore "$@" >/dev/null || die "pgbackrest restore failed (see above)"
trap local_stop EXIT
local_start "$PGDATA" "$RUN_DIR"
local_wait_ready "$TIMEOUT"
waited=0
until [ "$(local_sql -c "SELECT pg_is_in_recovery()")" = f ]; do
  kill -0 "$LOCAL_PID" 2>/dev/null || local_stopped
  [ "$waited" -lt "$TIMEOUT" ] || die "recovery did not finish within $TIMEOUT s"
  sleep 1
  waited=$((waited + 1))
done
# PostgreSQL logs where it stopped: the first commit it left out, or the last one it replayed.
reached=$(grep -E 'recovery stopping before|last completed transaction was at log time' "$RUN_DIR/postgres.log" \
  | sed 's/^.*LOG: *//' | tr '\n' ';' || true)
log "recovered in $(( $(date +%s) - started )) s; $reached"
if [ "${DUMP:-n}" = y ]; then
  need LOCAL_DB
  name="${LOCAL_DB}-pitr_$(date -u +%Y%m%d_%H%M%S).dump"
  pg_dump -h "$RUN_DIR" -p 5432 -U "$LOCAL_USER" --format=custom --no-owner --file="$RUN_DIR/$name" "$LOCAL_DB" \
    || die "pg_dump of the recovered database failed"
  object_put "$RUN_DIR/$name" "logical/$name"
  rm -f "$RUN_DIR/$name"
  log "stored logical/$name; restore tables from it with restore.sh PREFIX=${LOCAL_DB}-pitr TABLES=\"...\""
fi
local_stop
trap - EXIT
log "done: $PGDATA holds the recovered cluster, shut down cleanly"
