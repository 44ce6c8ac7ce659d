#!/bin/sh
# Proves that the newest backup (or BACKUP_FILE) restores: checks the gzip stream, restores it
# into a scratch database on the primary, and compares the tables restored with the tables
# the dump creates. Leaves nothing behind; exits non-zero when the backup is not restorable.
set -eu
TAG=restore-test
. "$(dirname "$0")/common.sh"
fail() { echo "[restore-test] FAILED: $*" >&2; exit 1; }
need PEERS PGUSER PGPASSWORD PGDATABASE BACKUP_DIR
PREFIX=${PREFIX:-$PGDATABASE}
SCRATCH_DB=${SCRATCH_DB:-${PGDATABASE}_restore_test}
export PGCONNECT_TIMEOUT=${CONNECT_TIMEOUT:-5}

file=${BACKUP_FILE:-$(backups "$BACKUP_DIR" "$PREFIX" | head -n 1)}
[ -n "$file" ] || fail "no backup named ${PREFIX}_YYYYmmdd_HHMMSS.sql.gz in $BACKUP_DIR"
path="$BACKUP_DIR/$file"
log "testing $file"
gzip -t "$path" || fail "integrity: $file is not a complete gzip stream"
log "integrity: OK"

expected=$(gunzip -c "$path" | grep -c '^CREATE TABLE ' || true)
[ "$expected" -gt 0 ] || fail "$file creates no tables"

# shellcheck disable=SC2086
target=$(pg_primary $PEERS)
[ -n "$target" ] || fail "no primary among $PEERS to restore into"
h=${target%:*}
port=${target##*:}

sql() { psql -h "$h" -p "$port" -v ON_ERROR_STOP=1 -tAX "$@"; }
cleanup() { sql -d postgres -c "DROP DATABASE IF EXISTS \"$SCRATCH_DB\"" > /dev/null 2>&1 || true; }
trap cleanup EXIT
cleanup
sql -d postgres -c "CREATE DATABASE \"$SCRATCH_DB\"" > /dev/null
gunzip -c "$path" | psql -q -h "$h" -p "$port" -v ON_ERROR_STOP=1 -d "$SCRATCH_DB" > /dev/null 2>&1 \
  || fail "restoring $file into a scratch database failed"

count="select count(*) from information_schema.tables where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')"
restored=$(sql -d "$SCRATCH_DB" -c "$count")
live=$(sql -d "$PGDATABASE" -c "$count")
log "tables in dump: $expected, restored: $restored, in live database: $live"
[ "$restored" -eq "$expected" ] || fail "restored $restored tables, the dump creates $expected"
log "PASSED: $file is valid and restorable"
