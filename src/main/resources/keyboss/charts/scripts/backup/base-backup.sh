#!/bin/sh
# Base backup of the PostgresHA cluster into the pgBackRest repository in object storage; the
# weekly full and the daily differential CronJobs run it with BACKUP_TYPE full or diff. WAL is
# archived continuously by the members themselves (archive_command). pgBackRest reaches the
# members through their pgBackRest TLS servers (PGBACKREST_PG<N>_HOST) and copies the primary,
# which it finds itself. Then:
#  1. expires what the retention allows: full backups (with their differentials and WAL) older
#     than RETENTION_DAYS, but never fewer than RETENTION_MIN_COUNT full backups;
#  2. records the drill manifest of the new backup: a standby is paused at a WAL position past
#     the backup's end, every table's row count and checksum is read there, and the standby
#     resumes. The manifest (that position and the table lines) is stored encrypted as
#     OBJECT_PREFIX/drill/<backup label>.manifest and the backup is annotated with the position.
#     No standby streaming means no manifest: the job then fails after the backup, so the
#     backup is kept but the failure shows (the drill uses the newest backup with a manifest).
set -eu
TAG=base-backup
here=$(dirname "$0")
. "$here/common.sh"
. "$here/objects.sh"
. "$here/manifest.sh"
need BACKUP_TYPE PGBACKREST_STANZA PEERS PGUSER PGPASSWORD PGDATABASE WORK_DIR RETENTION_DAYS RETENTION_MIN_COUNT
objects_init
case "$BACKUP_TYPE" in full|diff|incr) ;; *) die "BACKUP_TYPE must be full, diff or incr, got '$BACKUP_TYPE'" ;; esac
for n in RETENTION_DAYS RETENTION_MIN_COUNT; do
  eval "v=\$$n"
  case "$v" in ''|*[!0-9]*|0) die "$n must be a positive whole number, got '$v'" ;; esac
done
export PGCONNECT_TIMEOUT=${CONNECT_TIMEOUT:-5}
REPLAY_WAIT=${REPLAY_WAIT:-300}

# Creates the stanza the first time; afterwards it only checks that it matches the cluster.
pgbackrest stanza-create >/dev/null || die "stanza-create failed: the repository does not match this cluster (see above)"
started=$(date +%s)
log "taking a $BACKUP_TYPE backup"
pgbackrest backup --type="$BACKUP_TYPE" --start-fast --no-expire-auto || die "pgbackrest backup failed"
label=$(pgbackrest info | awk '$2 == "backup:" { l = $3 } END { print l }')
[ -n "$label" ] || die "pgbackrest lists no backup after backing up"
log "backup $label done in $(( $(date +%s) - started )) s"

# 1. Retention: pgBackRest keeps full backups by age; the age is raised to that of the
# RETENTION_MIN_COUNT-th newest full backup when it is older, so that many always remain.
days=$RETENTION_DAYS
nth=$(pgbackrest info | awk '$1 == "full" && $2 == "backup:" { print $3 }' | sort -r | sed -n "${RETENTION_MIN_COUNT}p")
if [ -n "$nth" ]; then
  nth_time=$(date -u -d "$(echo "$nth" | sed 's/^\(....\)\(..\)\(..\)-\(..\)\(..\)\(..\)F$/\1-\2-\3 \4:\5:\6/')" +%s)
  nth_days=$(( ($(date -u +%s) - nth_time) / 86400 + 1 ))
  [ "$nth_days" -gt "$days" ] && days=$nth_days
fi
pgbackrest expire --repo1-retention-full-type=time --repo1-retention-full="$days" || die "pgbackrest expire failed"
log "retention: full backups of the last $days days (RETENTION_DAYS=$RETENTION_DAYS, at least $RETENTION_MIN_COUNT kept)"
object_list drill | while read -r m; do
  # A manifest whose backup expired goes with it.
  set=${m%.manifest}
  pgbackrest info --set="$set" >/dev/null 2>&1 || { object_delete "drill/$m"; log "removed drill/$m (its backup expired)"; }
done

# 2. The drill manifest, read on a paused standby.
# shellcheck disable=SC2086
primary=$(first_member primary $PEERS)
[ -n "$primary" ] || die "no primary among $PEERS to read the WAL position from"
# shellcheck disable=SC2086
standby=$(first_member standby $PEERS)
[ -n "$standby" ] || die "backup $label is stored, but no standby among $PEERS answers to record its drill manifest from"
on_primary() { psql -h "${primary%:*}" -p "${primary##*:}" -v ON_ERROR_STOP=1 -qtAX "$@"; }
on_standby() { psql -h "${standby%:*}" -p "${standby##*:}" -v ON_ERROR_STOP=1 -qtAX "$@"; }
target=$(on_primary -c "SELECT pg_current_wal_lsn()")
waited=0
until [ "$(on_standby -c "SELECT pg_last_wal_replay_lsn() >= '$target'::pg_lsn")" = t ]; do
  [ "$waited" -lt "$REPLAY_WAIT" ] || die "standby $standby did not replay up to $target within $REPLAY_WAIT s"
  sleep 1
  waited=$((waited + 1))
done
trap 'on_standby -c "SELECT pg_wal_replay_resume()" >/dev/null 2>&1 || true' EXIT
on_standby -c "SELECT pg_wal_replay_pause()" >/dev/null
until [ "$(on_standby -c "SELECT pg_get_wal_replay_pause_state()")" = paused ]; do sleep 0.2; done
lsn=$(on_standby -c "SELECT pg_last_wal_replay_lsn()")
manifest="$WORK_DIR/$label.manifest"
{
  echo "backup $label"
  echo "database $PGDATABASE"
  echo "lsn $lsn"
  table_sums -h "${standby%:*}" -p "${standby##*:}"
} > "$manifest"
on_standby -c "SELECT pg_wal_replay_resume()" >/dev/null
trap - EXIT
tables=$(grep -c '^table ' "$manifest" || true)
object_put "$manifest" "drill/$label.manifest"
rm -f "$manifest"
pgbackrest annotate --set="$label" --annotation="keyboss-drill-lsn=$lsn" >/dev/null
log "drill manifest of $label: $tables tables at WAL position $lsn (read on $standby)"
