#!/usr/bin/env bash
# Issue 15: concurrent events to one hot application (CLIENTS clients, single events) against
# the same load spread over many applications, end to end over HTTP against the release
# server (`qyzmet-bench hot`): every event must be stored; prints events/s of both. Usage:
#   bench/hot.sh [size]            default size: 100000 (demo applications in the database)
# Env: BACKENDS (default "postgres sqlite"), PG_URL (default postgres://postgres@127.0.0.1:5432),
#      WORK (default /tmp/qyzmet-bench; the SQLite database is $WORK/hot-N.db, PostgreSQL's
#      qyzmet_bench_hot_N), REUSE=1 keeps a database of that size left by an earlier run,
#      CLIENTS (default 16), EVENTS (per client and run, default 200), ROUNDS (hot and spread
#      runs, alternating, default 3), BIN (a directory with the qyzmet and qyzmet-bench
#      binaries to run instead of building this tree's).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE="${1:-100000}"
BACKENDS="${BACKENDS:-postgres sqlite}"
PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432}"
WORK="${WORK:-/tmp/qyzmet-bench}"
mkdir -p "$WORK"
. bench/lib.sh
bench_binaries

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(date -u +%FT%TZ); load $(cut -d' ' -f1-3 /proc/loadavg)"
for backend in $BACKENDS; do
  bench_database "$backend" "hot-$SIZE.db" "qyzmet_bench_hot_$SIZE"
  gen_secs=$GEN_SECS
  TOKEN=$("$BIN/qyzmet" token create --admin --label bench-hot --database "$DB")
  bench_serve serve-hot.log
  trap 'kill -TERM "$PID" 2>/dev/null || true' EXIT
  echo
  echo "backend=$backend size=$SIZE generate_s=$gen_secs commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- crates || echo +changes) load=$(cut -d' ' -f1-3 /proc/loadavg)"
  "$BIN/qyzmet-bench" hot --url "http://127.0.0.1:$PORT" --token "$TOKEN" \
    --clients "${CLIENTS:-16}" --events "${EVENTS:-200}" --rounds "${ROUNDS:-3}"
  kill -TERM "$PID"; wait "$PID" || true
  trap - EXIT
  echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
done
