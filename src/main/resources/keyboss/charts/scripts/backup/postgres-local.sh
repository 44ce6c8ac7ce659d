#!/bin/sh
# Runs a PostgreSQL restored by pgBackRest inside the current pod, sourced after common.sh by
# the restore drill and the point-in-time recovery: never a member of the cluster, reachable only
# through a socket in its own folder, archiving nothing, streaming from no one.

# local_start PGDATA RUNDIR: starts the server on the restored data. The member's own settings
# (postgresql.conf, which Patroni may include from postgresql.base.conf) stay, so memory and
# connection limits match the source, as a hot standby requires; the flags override what would
# connect it to the cluster or let it write into the repository.
local_start() {
  mkdir -p "$2"
  printf 'local all all trust\n' > "$2/hba.conf"
  : > "$2/ident.conf"
  postgres -D "$1" \
    -c hba_file="$2/hba.conf" -c ident_file="$2/ident.conf" \
    -c listen_addresses='' -c unix_socket_directories="$2" -c port=5432 \
    -c archive_mode=off -c primary_conninfo='' -c primary_slot_name='' \
    -c synchronous_standby_names='' -c hot_standby=on -c cluster_name=restored \
    -c shared_buffers="${LOCAL_SHARED_BUFFERS:-128MB}" \
    -c logging_collector=off -c log_destination=stderr > "$2/postgres.log" 2>&1 &
  LOCAL_PID=$!
  LOCAL_SOCKET=$2
}

# local_sql SQL...: runs SQL on the local server as LOCAL_USER.
local_sql() {
  psql -h "$LOCAL_SOCKET" -p 5432 -U "$LOCAL_USER" -d "${LOCAL_DB:-postgres}" -v ON_ERROR_STOP=1 -qtAX "$@"
}

# local_wait_ready SECONDS: waits until the server accepts connections (a hot standby does once
# it is consistent); fails when the server stopped, showing the end of its log.
local_wait_ready() {
  waited=0
  until local_sql -c "SELECT 1" >/dev/null 2>&1; do
    if ! kill -0 "$LOCAL_PID" 2>/dev/null; then
      local_stopped
    fi
    [ "$waited" -lt "$1" ] || die "the restored server did not accept connections within $1 s"
    sleep 1
    waited=$((waited + 1))
  done
}

# local_stopped: explains why the restored server stopped, from its log, and fails.
local_stopped() {
  tail -n 20 "$LOCAL_SOCKET/postgres.log" >&2
  if grep -q 'recovery ended before configured recovery target was reached' "$LOCAL_SOCKET/postgres.log"; then
    die "the WAL archive ends before the recovery target: WAL archiving is behind or failing (log above)"
  fi
  die "the restored server stopped (log above)"
}

# local_stop: a clean shutdown (a checkpoint), so the data folder is consistent on its own.
local_stop() {
  if [ -n "${LOCAL_PID:-}" ] && kill -0 "$LOCAL_PID" 2>/dev/null; then
    kill -INT "$LOCAL_PID" 2>/dev/null || true
    wait "$LOCAL_PID" 2>/dev/null || true
  fi
  LOCAL_PID=""
}
