#!/bin/sh
# Init container of every Saleor pod: waits until the database schema has every migration this
# image ships (the migrations Job applies them), so a new version never serves an old schema.
set -eu
TAG=wait-for-migrations
. "$(dirname "$0")/common.sh"
need DATABASE_URL
MIGRATIONS_TIMEOUT=${MIGRATIONS_TIMEOUT:-900}
RETRY_INTERVAL=${RETRY_INTERVAL:-5}

waited=0
# `migrate --check` exits non-zero while unapplied migrations exist (or the database is unreachable).
until python3 manage.py migrate --check >/dev/null 2>&1; do
  if [ "$waited" -ge "$MIGRATIONS_TIMEOUT" ]; then
    die "migrations still unapplied after ${MIGRATIONS_TIMEOUT}s; check the migrations Job's logs"
  fi
  log "waiting for the migrations Job (${waited}s)"
  sleep "$RETRY_INTERVAL"
  waited=$((waited + RETRY_INTERVAL))
done
log "schema is up to date"
