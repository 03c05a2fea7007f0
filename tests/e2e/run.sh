#!/usr/bin/env bash
# End-to-end browser tests of the workstation on one backend: a fresh database, the real
# server with the demo data on a free port, a user of each role made with the CLI, then
# `node --test` driving Debian's headless Chromium through playwright-core.
#
#   tests/e2e/run.sh sqlite|postgres [node --test arguments, e.g. one test file]
#
# The server binary is not built here: QYZMET_BIN, or ${CARGO_TARGET_DIR:-target}/debug/qyzmet.
# PostgreSQL: a database qyzmet_t_e2e_<random> on the server of QYZMET_TEST_POSTGRES_URL,
# dropped on exit. Screenshots go to target/e2e-screenshots/<backend>/ under the repository
# root (failures: its failures/ directory, with the page's HTML), with the server's log.
# Exit code: the tests'.
# E2E_KEEP=1 keeps the temporary directory (database, server log) for a look afterwards.
set -euo pipefail

BACKEND="${1:-}"
case "$BACKEND" in
  sqlite | postgres) shift ;;
  *)
    echo "usage: $0 sqlite|postgres [node --test arguments]" >&2
    exit 2
    ;;
esac

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"

log() { printf '== e2e (%s): %s\n' "$BACKEND" "$*" >&2; }
die() {
  log "$*"
  exit 1
}

BIN="${QYZMET_BIN:-${CARGO_TARGET_DIR:-target}/debug/qyzmet}"
CHROMIUM="${E2E_CHROMIUM:-/usr/bin/chromium}"
[ -x "$BIN" ] || die "no server binary at $BIN (cargo build --bin qyzmet, or set QYZMET_BIN)"
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"
command -v node >/dev/null 2>&1 || die "node not found (Node.js 20 or later)"
[ -x "$CHROMIUM" ] || die "no Chromium at $CHROMIUM (apt-get install -y chromium)"
for pkg in playwright-core axe-core; do
  [ -d "$HERE/node_modules/$pkg" ] || die "$pkg missing: npm ci --prefix tests/e2e"
done
if [ "$BACKEND" = postgres ]; then
  [ -n "${QYZMET_TEST_POSTGRES_URL:-}" ] || die "QYZMET_TEST_POSTGRES_URL is not set"
  command -v psql >/dev/null 2>&1 || die "psql not found (it creates and drops the test database)"
fi

TMP="$(mktemp -d /tmp/qyzmet-e2e.XXXXXX)"
SERVER_LOG="$TMP/server.log"
SERVER_PID=""
SINK_PID=""
NODE_PID=""
SCREENSHOTS=""
PG_DB=""
PG_ADMIN_URL="${QYZMET_TEST_POSTGRES_URL:-}"

# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
  local rc=$?
  set +e
  if [ -n "$NODE_PID" ] && kill -0 "$NODE_PID" 2>/dev/null; then
    kill -TERM "$NODE_PID" 2>/dev/null
    wait "$NODE_PID" 2>/dev/null
  fi
  [ -z "$SINK_PID" ] || kill "$SINK_PID" 2>/dev/null
  [ -z "${SERVER2_PID:-}" ] || kill -TERM "$SERVER2_PID" 2>/dev/null
  # A test that stopped and started the server again (the live queue's) wrote its new pid.
  [ ! -s "$TMP/server.pid" ] || SERVER_PID="$(cat "$TMP/server.pid")"
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null
    for _ in $(seq 1 50); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.2
    done
    kill -KILL "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
  fi
  if [ "$rc" -ne 0 ] && [ -s "$SERVER_LOG" ]; then
    printf '\n== e2e (%s): server log (last 200 lines of %s)\n' "$BACKEND" "$SERVER_LOG" >&2
    tail -n 200 "$SERVER_LOG" >&2
  fi
  # Kept with the screenshots (CI artifacts).
  [ ! -s "$SERVER_LOG" ] || [ ! -d "${SCREENSHOTS:-}" ] || cp "$SERVER_LOG" "$SCREENSHOTS/server.log"
  if [ -n "$PG_DB" ]; then
    psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 \
      || log "WARNING: could not drop database $PG_DB"
  fi
  if [ "${E2E_KEEP:-}" = 1 ]; then
    log "kept $TMP"
  else
    rm -rf "$TMP"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

case "$BACKEND" in
  sqlite)
    DB_URL="sqlite://$TMP/e2e.db"
    ;;
  postgres)
    PG_DB="qyzmet_t_e2e_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
    psql "$PG_ADMIN_URL" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE $PG_DB" >/dev/null \
      || { PG_DB=""; die "cannot create a database on $PG_ADMIN_URL"; }
    # The same server and credentials, the new database (query parameters kept).
    pg_base="${PG_ADMIN_URL%%\?*}"
    pg_query="${PG_ADMIN_URL#"$pg_base"}"
    DB_URL="${pg_base%/*}/$PG_DB$pg_query"
    ;;
esac

# Everything the server would otherwise keep under ./data goes to the temporary directory;
# no revocation lists are fetched from the network.
export QYZMET_DATABASE_URL="$DB_URL"
export QYZMET_LEDGER_KEY_FILE="$TMP/ledger-key.pem"
export QYZMET_CRL_CACHE_DIR="$TMP/crl-cache"
export QYZMET_CRL_FETCH=false
unset QYZMET_LISTEN

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
    || node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

http_status() {
  if command -v curl >/dev/null 2>&1; then
    curl -s -o /dev/null -m 2 -w '%{http_code}' "$1" 2>/dev/null || true
  else
    node -e 'fetch(process.argv[1],{signal:AbortSignal.timeout(2000)}).then(r=>console.log(r.status),()=>console.log(0))' "$1"
  fi
}

# A real SMTP server (aiosmtpd, scripts/smtp_sink.py) takes the applicants' e-mail; the tests
# read what it received from E2E_MAIL_FILE (issue 17). Required under CI.
SMTP_PY="${QYZMET_TEST_SMTP_PYTHON:-$HOME/.cache/qyzmet/informing-venv/bin/python3}"
MAIL_FILE=""
if [ -x "$SMTP_PY" ] && "$SMTP_PY" -c 'import aiosmtpd' 2>/dev/null; then
  MAIL_FILE="$TMP/mail.jsonl"
  "$SMTP_PY" "$ROOT/scripts/smtp_sink.py" "$MAIL_FILE" >"$TMP/sink.out" &
  SINK_PID=$!
  for _ in $(seq 1 50); do grep -q PORT "$TMP/sink.out" 2>/dev/null && break; sleep 0.1; done
  export QYZMET_SMTP_URL="smtp://127.0.0.1:$(awk '/PORT/{print $2}' "$TMP/sink.out")"
  export QYZMET_SMTP_FROM="qyzmet <noreply@qyzmet.test>"
  export QYZMET_INFORMING_INTERVAL_MS=100
elif [ "${CI:-}" = true ]; then
  die "CI=true but aiosmtpd is missing (pip install -r scripts/informing-requirements.txt; QYZMET_TEST_SMTP_PYTHON)"
else
  log "WARNING: no aiosmtpd: the e-mail checks are skipped"
fi

PORT="$(free_port)"
BASE_URL="http://127.0.0.1:$PORT"
export QYZMET_PUBLIC_URL="$BASE_URL"
log "starting $BIN serve --demo on $BASE_URL (${DB_URL%%\?*})"
started=$SECONDS
"$BIN" serve --demo --listen "127.0.0.1:$PORT" --database "$DB_URL" >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!
echo "$SERVER_PID" >"$TMP/server.pid"

# The demo data (3,000 applications) is loaded before the server listens.
READY_TIMEOUT="${E2E_READY_TIMEOUT:-300}"
until [ "$(http_status "$BASE_URL/readyz")" = 200 ]; do
  kill -0 "$SERVER_PID" 2>/dev/null || die "the server exited before it was ready"
  [ $((SECONDS - started)) -lt "$READY_TIMEOUT" ] || die "the server was not ready within ${READY_TIMEOUT}s"
  sleep 0.5
done
log "ready after $((SECONDS - started))s"

# One user of each role; operators and the supervisor in the Astana akimat, whose sub-tree
# (archive, urban planning, civil registry departments) executes six demo services. The
# polyglot operator is the one whose language is switched, so that the others stay on the
# default. Passwords are new on every run.
E2E_ORG="${E2E_ORG:-AKIM-AST}"
PASSWORD="e2e-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
create_user() { # username role [org]
  local args=(admin create-user --username "$1" --role "$2" --password-stdin --database "$DB_URL")
  [ $# -lt 3 ] || args+=(--org "$3")
  printf '%s\n' "$PASSWORD" | "$BIN" "${args[@]}" >>"$TMP/users.log" 2>&1 \
    || { cat "$TMP/users.log" >&2; die "cannot create user $1 ($2)"; }
}
create_user e2e.admin administrator
create_user e2e.analyst analyst
create_user e2e.operator operator "$E2E_ORG"
create_user e2e.supervisor supervisor "$E2E_ORG"
create_user e2e.polyglot operator "$E2E_ORG"
create_user e2e.blockable operator "$E2E_ORG" # blocked, unblocked and reset by users.test.mjs
# The front office (issue 18): an operator of a State Corporation branch works at a counter and
# signs in the kiosk; an administrator's API token sets the office up.
FO_ORG="${E2E_FO_ORG:-GOVCORP-AST-1}"
create_user e2e.fo operator "$FO_ORG"
create_user e2e.desk operator "$FO_ORG" # the counter's desk (issue 19): desk.test.mjs
E2E_ADMIN_TOKEN="$("$BIN" token create --admin --label e2e --database "$DB_URL" 2>>"$TMP/users.log")" \
  || die "cannot create the administrator's API token"

# On PostgreSQL a second node serves the same database: the hall display is opened on it, so
# that a call made on the first reaches it across nodes (LISTEN/NOTIFY). SQLite has one node.
BASE_URL_2="$BASE_URL"
SERVER2_PID=""
if [ "$BACKEND" = postgres ]; then
  PORT2="$(free_port)"
  BASE_URL_2="http://127.0.0.1:$PORT2"
  "$BIN" serve --listen "127.0.0.1:$PORT2" --database "$DB_URL" >"$TMP/server2.log" 2>&1 &
  SERVER2_PID=$!
  until [ "$(http_status "$BASE_URL_2/readyz")" = 200 ]; do
    kill -0 "$SERVER2_PID" 2>/dev/null || die "the second node exited before it was ready"
    sleep 0.5
  done
  log "second node ready on $BASE_URL_2"
fi

# Nothing else is prepared: `serve --demo` guarantees open overdue and nearing applications
# in every akimat and stores the violations reports of the completed months its data covers
# (issue 16, B.11), and the tests rely on exactly that.

user_json() { # key username role org
  local org=null
  [ -z "$4" ] || org="\"$4\""
  printf '"%s":{"username":"%s","password":"%s","role":"%s","org":%s}' "$1" "$2" "$PASSWORD" "$3" "$org"
}
E2E_USERS="{$(user_json administrator e2e.admin administrator ''),$(user_json analyst e2e.analyst analyst ''),$(user_json operator e2e.operator operator "$E2E_ORG"),$(user_json supervisor e2e.supervisor supervisor "$E2E_ORG"),$(user_json polyglot e2e.polyglot operator "$E2E_ORG"),$(user_json blockable e2e.blockable operator "$E2E_ORG"),$(user_json fo e2e.fo operator "$FO_ORG"),$(user_json desk e2e.desk operator "$FO_ORG")}"

SCREENSHOTS="$ROOT/target/e2e-screenshots/$BACKEND"
rm -rf "$SCREENSHOTS"
mkdir -p "$SCREENSHOTS"

if [ $# -eq 0 ]; then
  set -- "$HERE"/*.test.mjs
fi
log "running node --test $*"
# In the background, so that an INT or TERM of this script is handled at once (cleanup).
# E2E_SERVER_BIN and E2E_SERVER_PID_FILE: the live queue's test stops the first node under the
# browser and starts it again (lib.mjs stopServer/startServer), with this script's environment.
E2E_SERVER_BIN="$BIN" E2E_SERVER_PID_FILE="$TMP/server.pid" \
E2E_BASE_URL="$BASE_URL" E2E_BASE_URL_2="$BASE_URL_2" E2E_ADMIN_TOKEN="$E2E_ADMIN_TOKEN" E2E_BACKEND="$BACKEND" E2E_USERS="$E2E_USERS" E2E_MAIL_FILE="$MAIL_FILE" \
  E2E_SCREENSHOTS="$SCREENSHOTS" E2E_SERVER_LOG="$SERVER_LOG" E2E_CHROMIUM="$CHROMIUM" \
  node --test --test-concurrency=1 --test-reporter=spec "$@" &
NODE_PID=$!
rc=0
wait "$NODE_PID" || rc=$?
NODE_PID=""
# The live queue's test stops the server and starts another: that one must still run.
SERVER_PID="$(cat "$TMP/server.pid")"
if ! kill -0 "$SERVER_PID" 2>/dev/null; then
  log "the server died during the tests"
  [ "$rc" -ne 0 ] || rc=1
fi
if [ "$rc" -eq 0 ]; then
  log "passed in $((SECONDS - started))s; screenshots in ${SCREENSHOTS#"$ROOT"/}"
else
  log "FAILED (exit $rc); screenshots in ${SCREENSHOTS#"$ROOT"/}"
fi
exit "$rc"
