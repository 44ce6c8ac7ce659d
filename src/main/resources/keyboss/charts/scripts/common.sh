#!/bin/sh
# Helpers shared by the pod scripts; each scripts ConfigMap carries a copy beside them, and the
# scripts source it from their own folder. Callers set TAG (their log prefix) first.

log() { echo "[$TAG] $*"; }
die() { echo "[$TAG] ERROR: $*" >&2; exit 1; }

# need VAR...: stops at once, naming the first required variable that is unset or empty.
need() {
  for v in "$@"; do
    eval "val=\${$v:-}"
    [ -n "$val" ] || die "required variable $v is not set"
  done
}

# pg_role HOST:PORT: prints primary, standby or down. Connects as PGUSER/PGPASSWORD.
pg_role() {
  r=$(PGCONNECT_TIMEOUT="${CONNECT_TIMEOUT:-3}" psql -h "${1%:*}" -p "${1##*:}" -d "${PGDATABASE:-postgres}" \
      -tAXc "select case when pg_is_in_recovery() then 'standby' else 'primary' end" 2>/dev/null) || { echo down; return 0; }
  case "$r" in
    primary|standby) echo "$r" ;;
    *) echo down ;;
  esac
}

# pg_primary HOST:PORT...: prints the first one that is a primary, or nothing.
pg_primary() {
  for p in "$@"; do
    if [ "$(pg_role "$p")" = primary ]; then
      echo "$p"
      return 0
    fi
  done
  return 0
}

# backups DIR PREFIX: lists the backups PREFIX_YYYYmmdd_HHMMSS.sql.gz in DIR, newest first
# (their names sort by their UTC time stamp).
backups() {
  ls "$1" | grep -E "^${2}_[0-9]{8}_[0-9]{6}\.sql\.gz\$" | sort -r
}

# vk HOST:PORT ARGS...: one valkey-cli call with a time limit; VALKEY_CLI overrides the client.
vk() {
  hp=$1
  shift
  timeout "${CONNECT_TIMEOUT:-2}" "${VALKEY_CLI:-valkey-cli}" -h "${hp%:*}" -p "${hp##*:}" "$@" 2>/dev/null
}
