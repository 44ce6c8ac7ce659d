#!/bin/sh
# Daily backup of the PostgresHA database: pg_dump | gzip from the current primary (a standby
# if no primary answers) into BACKUP_DIR, checked with gzip -t, then only the newest KEEP
# backups are kept. A dump is written under a temporary name and renamed when complete, so a
# failed run never leaves a file that looks like a backup.
set -eu
TAG=backup
. "$(dirname "$0")/common.sh"
need PEERS PGUSER PGPASSWORD PGDATABASE BACKUP_DIR
KEEP=${KEEP:-7}
PREFIX=${PREFIX:-$PGDATABASE}
export PGCONNECT_TIMEOUT=${CONNECT_TIMEOUT:-5}
case "$KEEP" in ''|*[!0-9]*|0) die "KEEP must be a positive whole number, got '$KEEP'" ;; esac
[ -d "$BACKUP_DIR" ] || die "BACKUP_DIR $BACKUP_DIR is not a directory"

# shellcheck disable=SC2086
source=$(pg_primary $PEERS)
if [ -z "$source" ]; then
  for p in $PEERS; do
    if [ "$(pg_role "$p")" = standby ]; then source=$p; break; fi
  done
fi
[ -n "$source" ] || die "no database among $PEERS answers"

name="${PREFIX}_$(date -u +%Y%m%d_%H%M%S).sql.gz"
partial="$BACKUP_DIR/.$name.partial"
failed="$partial.failed"
rm -f "$partial" "$failed"
log "dumping $PGDATABASE from $source to $name"
# POSIX sh has no pipefail: a marker file records a pg_dump failure inside the pipe.
{ pg_dump -h "${source%:*}" -p "${source##*:}" --clean --if-exists --no-owner "$PGDATABASE" || touch "$failed"; } \
  | gzip > "$partial"
if [ -e "$failed" ]; then
  rm -f "$partial" "$failed"
  die "pg_dump failed; no backup written"
fi
gzip -t "$partial" || { rm -f "$partial"; die "the compressed dump does not verify"; }
mv "$partial" "$BACKUP_DIR/$name"
log "wrote $name ($(wc -c < "$BACKUP_DIR/$name") bytes)"

backups "$BACKUP_DIR" "$PREFIX" | tail -n +"$((KEEP + 1))" |
  while read -r old; do
    rm -f "$BACKUP_DIR/$old"
    log "removed $old (keeping the newest $KEEP)"
  done
