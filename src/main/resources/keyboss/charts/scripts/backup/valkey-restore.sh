#!/bin/sh
# Puts a Valkey snapshot from object storage into DATA_DIR (the data volume of one Valkey pod,
# mounted while that pod is stopped): BACKUP_FILE names it in OBJECT_PREFIX/valkey/, else the
# newest is used. The files there before (dump.rdb, the append-only folder) are moved aside as
# *.before-restore. The servers run with appendonly yes, and a server with an empty append-only
# folder starts EMPTY even beside a dump.rdb: so the snapshot becomes the base file of a new
# append-only folder (its manifest names it), and dump.rdb too (for appendonly no). Run it for
# every data pod while the Valkey StatefulSet is scaled to zero; the README has the procedure.
set -eu
TAG=valkey-restore
here=$(dirname "$0")
. "$here/common.sh"
. "$here/objects.sh"
need DATA_DIR
objects_init
[ -d "$DATA_DIR" ] || die "DATA_DIR $DATA_DIR is not a folder (mount the pod's data volume there)"
file=${BACKUP_FILE:-$(object_list valkey | grep -E '^valkey_[0-9]{8}_[0-9]{6}\.rdb$' | tail -n 1)}
[ -n "$file" ] || die "no snapshot named valkey_YYYYmmdd_HHMMSS.rdb in $OBJECT_PREFIX/valkey/"
object_get "valkey/$file" "$DATA_DIR/dump.rdb.restoring"
case "$(head -c 5 "$DATA_DIR/dump.rdb.restoring")" in
  REDIS|VALKE) ;;
  *) rm -f "$DATA_DIR/dump.rdb.restoring"; die "$file is not an RDB snapshot" ;;
esac
for old in dump.rdb appendonlydir appendonly.aof; do
  if [ -e "$DATA_DIR/$old" ]; then
    rm -rf "$DATA_DIR/$old.before-restore"
    mv "$DATA_DIR/$old" "$DATA_DIR/$old.before-restore"
    log "moved $old aside as $old.before-restore"
  fi
done
aof="$DATA_DIR/${AOF_DIR:-appendonlydir}"
name=${AOF_NAME:-appendonly.aof}
mkdir -p "$aof"
cp "$DATA_DIR/dump.rdb.restoring" "$aof/$name.1.base.rdb"
: > "$aof/$name.1.incr.aof"
printf 'file %s seq 1 type b\nfile %s seq 1 type i\n' "$name.1.base.rdb" "$name.1.incr.aof" > "$aof/$name.manifest"
mv "$DATA_DIR/dump.rdb.restoring" "$DATA_DIR/dump.rdb"
log "restored $file into $DATA_DIR/dump.rdb; start the pod and it loads the snapshot"
