#!/usr/bin/env bash
# Issue 15, finding 5, reproduced against a binary: 24 concurrent wrong sign-ins on one
# account (curl, released together), then the audit's count of what was checked. Before the
# fix every one was checked; after, at most five (the lockout) and the rest refused as locked
# or throttled (429). Usage: bench/signin_burst.sh BIN   (e.g. target/release/qyzmet)
set -euo pipefail
BIN=$(realpath "$1")
W=$(mktemp -d)
DB="sqlite://$W/q.db"
trap 'kill "${PID:-0}" 2>/dev/null || true; rm -rf "$W"' EXIT
"$BIN" demo generate --applications 10 --quiet --database "$DB" 2>/dev/null
printf '%s' 'correct horse battery' |
  "$BIN" admin create-user --username burst.user --role analyst --password-stdin --database "$DB" >/dev/null
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
QYZMET_LEDGER_KEY_FILE="$W/k.pem" QYZMET_CRL_CACHE_DIR="$W/crl" QYZMET_COOKIE_SECURE=false \
  "$BIN" serve --database "$DB" --listen "127.0.0.1:$PORT" 2>"$W/log" &
PID=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.1; done
echo "answers (count, status):"
for i in $(seq 1 24); do
  curl -s -o /dev/null -w "%{http_code}\n" -b "qyzmet_pre=x" \
    --data "username=burst.user&password=wrong-$i&pre=x" "http://127.0.0.1:$PORT/sign-in" &
done | sort | uniq -c
sleep 1
echo "audited (action|count): user.sign_in_failed and user.locked are passwords checked"
sqlite3 "$W/q.db" "SELECT action, count(*) FROM audit_log WHERE subject LIKE 'user:%' GROUP BY action"
