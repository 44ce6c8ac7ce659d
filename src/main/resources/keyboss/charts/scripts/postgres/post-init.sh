#!/bin/sh
# Patroni's post_bootstrap hook: runs once, on the member that initialised the cluster, right
# after initdb, with a superuser connection URL as $1. Creates the separate roles:
#  - POSTGRES_USER owns POSTGRES_DB (the application; not a superuser, cannot create roles);
#  - MONITOR_USER is a member of pg_monitor (the metrics exporters);
#  - BACKUP_USER is a member of pg_read_all_data (the backup jobs: read, never write) and may
#    pause and resume a standby's replay (the base backup records the restore drill's manifest
#    on a standby held still at one WAL position).
# Patroni itself creates the superuser, replication and rewind roles. Safe to run again: it
# creates what is missing and sets the passwords.
set -eu
TAG=post-init
. "$(dirname "$0")/common.sh"
need POSTGRES_DB POSTGRES_USER POSTGRES_PASSWORD MONITOR_USER MONITOR_PASSWORD BACKUP_USER BACKUP_PASSWORD
[ -n "${1:-}" ] || die "Patroni passes the superuser connection URL as the first argument"

# psql variables quote names (:"x") and passwords (:'x'), so no value can break out of a statement.
psql "$1" -v ON_ERROR_STOP=1 -qtAX \
  -v app="$POSTGRES_USER" -v app_password="$POSTGRES_PASSWORD" -v db="$POSTGRES_DB" \
  -v monitor="$MONITOR_USER" -v monitor_password="$MONITOR_PASSWORD" \
  -v backup="$BACKUP_USER" -v backup_password="$BACKUP_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I', :'app') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app') \gexec
-- CREATEDB only for the restore test's scratch database; never SUPERUSER, CREATEROLE or REPLICATION.
ALTER ROLE :"app" WITH LOGIN NOSUPERUSER NOCREATEROLE NOREPLICATION NOBYPASSRLS CREATEDB PASSWORD :'app_password';
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'app') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
ALTER DATABASE :"db" OWNER TO :"app";

SELECT format('CREATE ROLE %I', :'monitor') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'monitor') \gexec
ALTER ROLE :"monitor" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'monitor_password';
GRANT pg_monitor TO :"monitor";

SELECT format('CREATE ROLE %I', :'backup') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'backup') \gexec
ALTER ROLE :"backup" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'backup_password';
GRANT pg_read_all_data TO :"backup";
-- The backup role's sessions are read-only by default too (pg_read_all_data grants no writes anyway).
ALTER ROLE :"backup" SET default_transaction_read_only = on;
-- Function privileges belong to each database: the backup job pauses replay in the application's.
\connect :"db"
GRANT EXECUTE ON FUNCTION pg_wal_replay_pause(), pg_wal_replay_resume() TO :"backup";
SQL
log "roles $POSTGRES_USER (owner of $POSTGRES_DB), $MONITOR_USER (pg_monitor), $BACKUP_USER (pg_read_all_data, replay pause) are in place"
