#!/bin/sh
# Copies the Saleor dashboard's built files out of its image into the folder the unprivileged
# nginx serves, with the API address written into index.html. The image's own entrypoint does
# this in place, as root, before starting its nginx as root: Pod Security "restricted" refuses
# that, so this init container does it as an ordinary user into an emptyDir.
set -eu
TAG=dashboard
. "$(dirname "$0")/common.sh"
need SOURCE TARGET API_URL

[ -f "$SOURCE/index.html" ] || die "no index.html in $SOURCE: is this the saleor-dashboard image?"
# The address goes into a sed replacement and a JavaScript string.
case $API_URL in
  *'#'*|*'"'*|*'\'*|*'&'*) die "API_URL '$API_URL' holds a character (# \" \\ &) that cannot be written into index.html" ;;
esac
mkdir -p "$TARGET"
cp -R "$SOURCE/." "$TARGET/"
grep -q 'API_URL: "[^"]*"' "$SOURCE/index.html" || die "index.html in $SOURCE has no API_URL setting to replace"
sed "s#API_URL: \"[^\"]*\"#API_URL: \"$API_URL\"#" "$SOURCE/index.html" > "$TARGET/index.html"
log "dashboard files in $TARGET, API_URL $API_URL"
