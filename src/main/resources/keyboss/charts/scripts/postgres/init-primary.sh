#!/bin/sh
# Runs once, from /docker-entrypoint-initdb.d, when the postgres entrypoint initialises a new
# primary: creates the replication role and admits replication connections from any pod.
# (WAL settings are server flags in the manifest, so they hold on every start and every role.)
set -eu
# Self-contained: the entrypoint runs every .sh in its folder, so no helper file sits beside it.
for v in PGDATA POSTGRES_USER POSTGRES_REPLICATION_USER POSTGRES_REPLICATION_PASSWORD; do
  eval "val=\${$v:-}"
  [ -n "$val" ] || { echo "[init-primary] ERROR: required variable $v is not set" >&2; exit 1; }
done

echo "host replication $POSTGRES_REPLICATION_USER all scram-sha-256" >> "$PGDATA/pg_hba.conf"

# psql variables quote the name and password, so neither can break out of the statement.
psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "${POSTGRES_DB:-$POSTGRES_USER}" \
  -v role="$POSTGRES_REPLICATION_USER" -v password="$POSTGRES_REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE :"role" WITH REPLICATION LOGIN PASSWORD :'password';
SQL
echo "[init-primary] replication role $POSTGRES_REPLICATION_USER created"
