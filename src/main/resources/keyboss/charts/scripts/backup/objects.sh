#!/bin/sh
# Object-store helpers of the backup scripts, sourced after common.sh. Every file the backups
# keep besides pgBackRest's own repository (logical dumps, Valkey snapshots, drill manifests)
# lives in the same bucket, under OBJECT_PREFIX, encrypted with the repository's passphrase.
# The bucket settings are pgBackRest's (PGBACKREST_REPO1_*), so the pods carry one set of names:
#   PGBACKREST_REPO1_S3_ENDPOINT (host), PGBACKREST_REPO1_STORAGE_PORT, PGBACKREST_REPO1_S3_BUCKET,
#   PGBACKREST_REPO1_S3_REGION, PGBACKREST_REPO1_S3_URI_STYLE (path|host),
#   PGBACKREST_REPO1_STORAGE_VERIFY_TLS (y|n), PGBACKREST_REPO1_STORAGE_CA_FILE (optional),
#   PGBACKREST_REPO1_S3_KEY, PGBACKREST_REPO1_S3_KEY_SECRET, PGBACKREST_REPO1_CIPHER_PASS.
# Uploads are signed with AWS signature v4 by curl; payloads carry their SHA-256 (S3 requires it).

EMPTY_SHA256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855

objects_init() {
  need PGBACKREST_REPO1_S3_ENDPOINT PGBACKREST_REPO1_S3_BUCKET PGBACKREST_REPO1_S3_REGION \
    PGBACKREST_REPO1_S3_KEY PGBACKREST_REPO1_S3_KEY_SECRET PGBACKREST_REPO1_CIPHER_PASS OBJECT_PREFIX
  case "$OBJECT_PREFIX" in
    /*|*/) die "OBJECT_PREFIX '$OBJECT_PREFIX' must not start or end with '/'" ;;
  esac
  port=${PGBACKREST_REPO1_STORAGE_PORT:-443}
  case "${PGBACKREST_REPO1_S3_URI_STYLE:-host}" in
    path) S3_BASE="https://$PGBACKREST_REPO1_S3_ENDPOINT:$port/$PGBACKREST_REPO1_S3_BUCKET" ;;
    host) S3_BASE="https://$PGBACKREST_REPO1_S3_BUCKET.$PGBACKREST_REPO1_S3_ENDPOINT:$port" ;;
    *) die "PGBACKREST_REPO1_S3_URI_STYLE must be path or host, got '$PGBACKREST_REPO1_S3_URI_STYLE'" ;;
  esac
  S3_TLS=""
  if [ "${PGBACKREST_REPO1_STORAGE_VERIFY_TLS:-y}" = n ]; then
    S3_TLS="--insecure"
  elif [ -n "${PGBACKREST_REPO1_STORAGE_CA_FILE:-}" ]; then
    S3_TLS="--cacert $PGBACKREST_REPO1_STORAGE_CA_FILE"
  fi
}

# s3 SHA256 CURL-ARGS...: one signed request; fails on any HTTP error.
s3() {
  sha=$1
  shift
  # shellcheck disable=SC2086
  curl -sS --fail --retry 3 --retry-delay 2 --connect-timeout 10 $S3_TLS \
    --aws-sigv4 "aws:amz:$PGBACKREST_REPO1_S3_REGION:s3" \
    --user "$PGBACKREST_REPO1_S3_KEY:$PGBACKREST_REPO1_S3_KEY_SECRET" \
    -H "x-amz-content-sha256: $sha" "$@"
}

# encrypt / decrypt: stdin to stdout with the repository passphrase (AES-256, key from PBKDF2).
encrypt() { openssl enc -aes-256-cbc -pbkdf2 -iter 100000 -salt -pass env:PGBACKREST_REPO1_CIPHER_PASS; }
decrypt() { openssl enc -d -aes-256-cbc -pbkdf2 -iter 100000 -pass env:PGBACKREST_REPO1_CIPHER_PASS; }

# object_put FILE NAME: encrypts FILE and stores it as OBJECT_PREFIX/NAME. The encrypted copy is
# written beside FILE first: S3 needs the length and hash before the body.
object_put() {
  enc="$1.enc"
  encrypt < "$1" > "$enc" || { rm -f "$enc"; die "could not encrypt $1"; }
  sha=$(sha256sum "$enc" | cut -d' ' -f1)
  s3 "$sha" -o /dev/null -T "$enc" "$S3_BASE/$OBJECT_PREFIX/$2" || { rm -f "$enc"; die "upload of $2 failed"; }
  rm -f "$enc"
}

# object_get NAME FILE: fetches OBJECT_PREFIX/NAME and decrypts it into FILE.
object_get() {
  s3 "$EMPTY_SHA256" -o "$2.enc" "$S3_BASE/$OBJECT_PREFIX/$1" || { rm -f "$2.enc"; die "download of $1 failed"; }
  decrypt < "$2.enc" > "$2" || { rm -f "$2.enc" "$2"; die "$1 does not decrypt with the repository passphrase"; }
  rm -f "$2.enc"
}

# object_delete NAME
object_delete() {
  s3 "$EMPTY_SHA256" -o /dev/null -X DELETE "$S3_BASE/$OBJECT_PREFIX/$1" || die "delete of $1 failed"
}

# object_list FOLDER: the names (relative to OBJECT_PREFIX/FOLDER/) of the objects in FOLDER, in
# ascending order. Names are letters, digits and . _ - only, so only '/' needs escaping.
object_list() {
  token=""
  while :; do
    query="list-type=2&prefix=$(printf '%s/%s/' "$OBJECT_PREFIX" "$1" | sed 's|/|%2F|g')"
    [ -n "$token" ] && query="continuation-token=$(printf '%s' "$token" | sed 's|/|%2F|g;s|+|%2B|g;s|=|%3D|g')&$query"
    page=$(s3 "$EMPTY_SHA256" "$S3_BASE?$query") || die "listing $OBJECT_PREFIX/$1/ failed"
    printf '%s\n' "$page" | sed 's|<Key>|\n<Key>|g' | sed -n 's|^<Key>[^<]*/\([^/<]*\)</Key>.*|\1|p'
    case "$page" in
      *"<IsTruncated>true</IsTruncated>"*)
        token=$(printf '%s\n' "$page" | sed -n 's|.*<NextContinuationToken>\([^<]*\)</NextContinuationToken>.*|\1|p') ;;
      *) break ;;
    esac
    [ -n "$token" ] || break
  done | sort
}

# stamp_epoch NAME: the UTC time of a name carrying _YYYYmmdd_HHMMSS, in seconds since 1970.
stamp_epoch() {
  s=$(printf '%s' "$1" | sed -n 's/.*_\([0-9]\{8\}\)_\([0-9]\{6\}\)\..*/\1\2/p')
  [ -n "$s" ] || { echo 0; return 0; }
  date -u -d "$(printf '%s' "$s" | sed 's/\(....\)\(..\)\(..\)\(..\)\(..\)\(..\)/\1-\2-\3 \4:\5:\6/')" +%s
}

# object_expire FOLDER PATTERN: deletes the objects of FOLDER matching PATTERN (an extended
# regular expression of names carrying _YYYYmmdd_HHMMSS) that are older than RETENTION_DAYS and
# not among the newest RETENTION_MIN_COUNT.
object_expire() {
  need RETENTION_DAYS RETENTION_MIN_COUNT
  now=$(date -u +%s)
  object_list "$1" | grep -E "$2" | sort -r | tail -n +"$((RETENTION_MIN_COUNT + 1))" |
    while read -r old; do
      age=$(( (now - $(stamp_epoch "$old")) / 86400 ))
      if [ "$age" -ge "$RETENTION_DAYS" ]; then
        object_delete "$1/$old"
        log "removed $1/$old ($age days old; keeping $RETENTION_DAYS days and at least the newest $RETENTION_MIN_COUNT)"
      fi
    done
}
