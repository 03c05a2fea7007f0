#!/usr/bin/env bash
# Issue 18: 500 hall displays and digital tickets on the office's feed (server-sent events):
# a call must reach p99 of them within 300 ms; the server's memory with the streams open is
# reported (`qyzmet-bench hall`: an office with one counter, STREAMS streams, CALLS calls, each
# timed from the call's request to each stream's `called` event). On PostgreSQL two nodes serve
# the same database and the streams are split between them: half are served by the node that
# does not take the calls (LISTEN/NOTIFY). Release build.
#   bench/hall.sh
# Env: BACKENDS (default "sqlite postgres"), PG_URL, WORK, BIN (release binaries; default this
#      tree's, built), STREAMS (default 500), CALLS (default 100), ROUNDS (default 3).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=0
BACKENDS="${BACKENDS:-sqlite postgres}"
PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432}"
WORK="${WORK:-/tmp/qyzmet-bench}"
mkdir -p "$WORK"
. bench/lib.sh
bench_binaries
ulimit -n 8192 2>/dev/null || true

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(date -u +%FT%TZ); load $(cut -d' ' -f1-3 /proc/loadavg); commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- crates || echo +changes)"
for backend in $BACKENDS; do
  bench_database "$backend" hall.db qyzmet_bench_hall
  TOKEN=$("$BIN/qyzmet" token create --admin --label bench-hall --database "$DB")
  bench_serve serve-hall.log
  PID1=$PID PORT1=$PORT
  nodes=(--node "http://127.0.0.1:$PORT1")
  pids=(--pid "$PID1")
  PID2=""
  if [ "$backend" = postgres ]; then
    bench_serve serve-hall-2.log
    PID2=$PID
    nodes+=(--node "http://127.0.0.1:$PORT")
    pids+=(--pid "$PID2")
  fi
  trap 'kill -TERM $PID1 $PID2 2>/dev/null || true' EXIT
  for round in $(seq 1 "${ROUNDS:-3}"); do
    out=$("$BIN/qyzmet-bench" hall --url "http://127.0.0.1:$PORT1" "${nodes[@]}" "${pids[@]}" \
      --token "$TOKEN" --streams "${STREAMS:-500}" --calls "${CALLS:-100}")
    p99=$(echo "$out" | sed -E 's/.*"p99_ms":([0-9.]+).*/\1/')
    missed=$(echo "$out" | sed -E 's/.*"missed":([0-9]+).*/\1/')
    verdict=$([ "$(echo "$p99 <= 300" | bc)" = 1 ] && [ "$missed" = 0 ] && echo met || echo MISSED)
    echo "backend=$backend round=$round $out limit_p99_ms=300 $verdict"
  done
  kill -TERM $PID1 $PID2 2>/dev/null || true
  wait $PID1 2>/dev/null || true
  [ -z "$PID2" ] || wait "$PID2" 2>/dev/null || true
  trap - EXIT
done
