#!/bin/sh
# The seed-data Job (seed 2.4): the dashboard admin, the Digital Keys product type with its
# attributes, the categories and collections. Idempotent: seed.py only creates what is missing,
# so running it again changes nothing.
set -eu
TAG=seed
. "$(dirname "$0")/common.sh"
need DATABASE_URL ADMIN_EMAIL ADMIN_PASSWORD
log "seeding (creates only what is missing)"
python3 manage.py shell < "$(dirname "$0")/seed.py"
log "seed complete"
