#!/usr/bin/env bash
# Issue 18: the electronic queue's operations — take a ticket, call the next, start, finish —
# end to end over HTTP against the release server (`qyzmet-bench queue`: kiosks take VISITS
# tickets at once, then COUNTERS counters call, start and finish until nobody waits; every
# ticket must be finished exactly once), and the raw writes of the same rows with the driver
# (one transaction per operation, no HTTP, no rule) in the same run. Limit: at least 1,000
# operations a second through the API, on each backend.
#   bench/queue.sh
# Env: BACKENDS (default "sqlite postgres"), PG_URL, WORK, BIN (release binaries; default this
#      tree's, built), VISITS (default 4000), COUNTERS (default 8), CLIENTS (default 8),
#      ROUNDS (default 3; each a fresh office).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=0
BACKENDS="${BACKENDS:-sqlite postgres}"
PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432}"
WORK="${WORK:-/tmp/qyzmet-bench}"
mkdir -p "$WORK"
. bench/lib.sh
bench_binaries

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(date -u +%FT%TZ); load $(cut -d' ' -f1-3 /proc/loadavg); commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- crates || echo +changes)"
for backend in $BACKENDS; do
  bench_database "$backend" queue.db qyzmet_bench_queue
  TOKEN=$("$BIN/qyzmet" token create --admin --label bench-queue --database "$DB")
  QYZMET_TICKETS_PER_CLIENT_PER_MINUTE=0 bench_serve serve-queue.log
  trap 'kill -TERM "$PID" 2>/dev/null || true' EXIT
  for round in $(seq 1 "${ROUNDS:-3}"); do
    out=$("$BIN/qyzmet-bench" queue --url "http://127.0.0.1:$PORT" --token "$TOKEN" --database "$DB" \
      --visits "${VISITS:-4000}" --counters "${COUNTERS:-8}" --clients "${CLIENTS:-8}")
    api=$(echo "$out" | sed -E 's/.*"api_ops_per_second": ([0-9]+).*/\1/')
    raw=$(echo "$out" | sed -E 's/.*"raw_ops_per_second": ([0-9]+).*/\1/')
    verdict=$([ "$api" -ge 1000 ] && echo met || echo MISSED)
    echo "backend=$backend round=$round $out api_vs_raw=$(echo "scale=2; $api / $raw" | bc) limit=1000 $verdict"
  done
  kill -TERM "$PID"; wait "$PID" || true
  trap - EXIT
done
