#!/bin/sh
# The drill manifest's table lines, sourced after common.sh: the backup job writes them from a
# standby paused at a WAL position, the restore drill from its copy paused at the same position,
# so the two must match exactly.

# table_sums PSQL-ARGS...: one line per ordinary, logged table of the connected database,
# "table SCHEMA.NAME ROWS SUM", sorted by name. SUM adds the first 60 bits of each row's md5:
# any changed, added or removed row changes it, in constant memory and whatever the rows'
# physical order. Settings that change how values print are fixed so both sides print alike.
# Unlogged tables are left out: WAL does not carry them, so no restore has their rows.
table_sums() {
  psql -v ON_ERROR_STOP=1 -qtAX "$@" <<'SQL' | awk -F'|' 'NF == 3 { print "table", $1, $2, $3 }' | sort
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SET extra_float_digits = 1;
SET bytea_output = 'hex';
SELECT format('SELECT %L, count(*), coalesce(sum((''x'' || left(md5(t::text), 15))::bit(60)::bigint), 0) FROM %I.%I AS t',
              n.nspname || '.' || c.relname, n.nspname, c.relname)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r' AND c.relpersistence = 'p'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
ORDER BY 1 \gexec
SQL
}

# member_role HOST:PORT: primary, standby or down, from pg_is_in_recovery() alone (a role whose
# sessions are read-only by default, like the backup role, still sees which member leads).
member_role() {
  r=$(PGCONNECT_TIMEOUT="${CONNECT_TIMEOUT:-3}" psql -h "${1%:*}" -p "${1##*:}" -tAXc "SELECT pg_is_in_recovery()" 2>/dev/null) \
    || { echo down; return 0; }
  case "$r" in
    f) echo primary ;;
    t) echo standby ;;
    *) echo down ;;
  esac
}

# first_member ROLE HOST:PORT...: the first member in ROLE, or nothing.
first_member() {
  want=$1
  shift
  for p in "$@"; do
    if [ "$(member_role "$p")" = "$want" ]; then echo "$p"; return 0; fi
  done
  return 0
}
