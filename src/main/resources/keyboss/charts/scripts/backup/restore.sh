#!/bin/sh
# Restores a backup written by backup.sh into the current primary. BACKUP_FILE names the file
# in BACKUP_DIR; without it the newest backup is used. The dump drops and recreates each
# object (pg_dump --clean), so restoring over a live database replaces its contents.
set -eu
TAG=restore
. "$(dirname "$0")/common.sh"
need PEERS PGUSER PGPASSWORD PGDATABASE BACKUP_DIR
PREFIX=${PREFIX:-$PGDATABASE}
export PGCONNECT_TIMEOUT=${CONNECT_TIMEOUT:-5}

file=${BACKUP_FILE:-$(backups "$BACKUP_DIR" "$PREFIX" | head -n 1)}
[ -n "$file" ] || die "no backup named ${PREFIX}_YYYYmmdd_HHMMSS.sql.gz in $BACKUP_DIR"
path="$BACKUP_DIR/$file"
[ -f "$path" ] || die "backup $path does not exist"
gzip -t "$path" || die "backup $file is damaged (gzip -t failed); pick another with BACKUP_FILE"

# shellcheck disable=SC2086
target=$(pg_primary $PEERS)
[ -n "$target" ] || die "no primary among $PEERS: a restore needs a writable database"

log "restoring $file into $PGDATABASE on $target"
gunzip -c "$path" | psql -q -v ON_ERROR_STOP=1 -h "${target%:*}" -p "${target##*:}" -d "$PGDATABASE" > /dev/null \
  || die "psql failed while restoring $file"
log "restore of $file complete; restart the API so it reconnects"
