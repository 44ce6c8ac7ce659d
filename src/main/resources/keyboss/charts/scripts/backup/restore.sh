#!/bin/sh
# Restores a logical backup written by backup.sh (or by pitr.sh with DUMP=y) into the current
# primary, in one transaction: either every object and row of the dump is in place, or the
# database is left exactly as it was. BACKUP_FILE names the dump in OBJECT_PREFIX/logical/;
# without it the newest <PREFIX>_YYYYmmdd_HHMMSS.dump is used (PREFIX defaults to PGDATABASE).
# TABLES (names separated by spaces) restores only those tables, replacing them.
set -eu
TAG=restore
here=$(dirname "$0")
. "$here/common.sh"
. "$here/objects.sh"
. "$here/manifest.sh"
need PEERS PGUSER PGPASSWORD PGDATABASE WORK_DIR
objects_init
PREFIX=${PREFIX:-$PGDATABASE}
export PGCONNECT_TIMEOUT=${CONNECT_TIMEOUT:-5}

file=${BACKUP_FILE:-$(object_list logical | grep -E "^${PREFIX}_[0-9]{8}_[0-9]{6}\.dump\$" | tail -n 1)}
[ -n "$file" ] || die "no dump named ${PREFIX}_YYYYmmdd_HHMMSS.dump in $OBJECT_PREFIX/logical/"
# shellcheck disable=SC2086
target=$(first_member primary $PEERS)
[ -n "$target" ] || die "no primary among $PEERS: a restore needs a writable database"

path="$WORK_DIR/$file"
object_get "logical/$file" "$path"
list="$path.list"
pg_restore --list "$path" > "$list" || { rm -f "$path" "$list"; die "$file is not a readable dump"; }
# Privileges on PostgreSQL's own functions (the backup role's replay pause, which post-init.sh
# grants in every new cluster) belong to the cluster's set-up, not to the dump: the owner the
# restore runs as may not grant them, and one refused statement would roll everything back.
grep -v ' ACL pg_catalog ' "$list" > "$list.use" || true
set --
for t in ${TABLES:-}; do set -- "$@" "--table=$t"; done
log "restoring $file into $PGDATABASE on $target${TABLES:+ (tables: $TABLES)}"
pg_restore -h "${target%:*}" -p "${target##*:}" -d "$PGDATABASE" --single-transaction --exit-on-error \
  --clean --if-exists --no-owner --use-list="$list.use" "$@" "$path" \
  || { rm -f "$path" "$list" "$list.use"; die "pg_restore failed; the transaction was rolled back and $PGDATABASE is unchanged"; }
rm -f "$path" "$list" "$list.use"
log "restore of $file complete; restart the API so it reconnects"
