#!/bin/sh
# Readiness of a Valkey server or Sentinel (liveness is a cheaper TCP check): PING on port $1 with
# the password of AUTH_FILE must answer PONG (an error such as NOAUTH fails the probe).
set -eu
TAG=ping
. "$(dirname "$0")/common.sh"
need AUTH_FILE
REDISCLI_AUTH=$(cat "$AUTH_FILE")
export REDISCLI_AUTH
reply=$(timeout 2 "${VALKEY_CLI:-valkey-cli}" -h "${PING_HOST:-127.0.0.1}" -p "${1:?usage: ping.sh PORT}" ping 2>&1) || true
[ "$reply" = PONG ] || die "ping on port $1: ${reply:-no answer}"
