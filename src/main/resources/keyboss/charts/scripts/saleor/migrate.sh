#!/bin/sh
# The migrations Job: applies Saleor's migrations. Safe to run again: Django applies only what
# is missing, so a re-run after success changes nothing.
set -eu
TAG=migrate
. "$(dirname "$0")/common.sh"
need DATABASE_URL
log "applying migrations"
python3 manage.py migrate --no-input
log "migrations applied"
