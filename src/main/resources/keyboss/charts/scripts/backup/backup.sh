#!/bin/sh
# Daily logical backup of the PostgresHA database, kept beside the physical backups: portable
# to any PostgreSQL version and restorable table by table. pg_dump in custom format from the
# primary (a standby if no primary answers) into WORK_DIR, its table of contents read back,
# then stored encrypted as OBJECT_PREFIX/logical/<db>_YYYYmmdd_HHMMSS.dump. Dumps older than
# RETENTION_DAYS are deleted, keeping at least the newest RETENTION_MIN_COUNT.
set -eu
TAG=backup
here=$(dirname "$0")
. "$here/common.sh"
. "$here/objects.sh"
. "$here/manifest.sh"
need PEERS PGUSER PGPASSWORD PGDATABASE WORK_DIR RETENTION_DAYS RETENTION_MIN_COUNT
objects_init
export PGCONNECT_TIMEOUT=${CONNECT_TIMEOUT:-5}
[ -d "$WORK_DIR" ] || die "WORK_DIR $WORK_DIR is not a folder"

# shellcheck disable=SC2086
source=$(first_member primary $PEERS)
# shellcheck disable=SC2086
[ -n "$source" ] || source=$(first_member standby $PEERS)
[ -n "$source" ] || die "no database among $PEERS answers"

name="${PGDATABASE}_$(date -u +%Y%m%d_%H%M%S).dump"
file="$WORK_DIR/$name"
log "dumping $PGDATABASE from $source to $name"
pg_dump -h "${source%:*}" -p "${source##*:}" --format=custom --no-owner --file="$file" "$PGDATABASE" \
  || { rm -f "$file"; die "pg_dump failed; no backup written"; }
tables=$(pg_restore --list "$file" | grep -c ' TABLE DATA ' || true)
[ "$tables" -gt 0 ] || { rm -f "$file"; die "the dump lists no table data; not stored"; }
object_put "$file" "logical/$name"
log "stored logical/$name ($(wc -c < "$file") bytes before encryption, $tables tables)"
rm -f "$file"
object_expire logical "^${PGDATABASE}_[0-9]{8}_[0-9]{6}\.dump\$"
