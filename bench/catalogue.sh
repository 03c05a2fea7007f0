#!/usr/bin/env bash
# Issue 17: the public catalogue's search over 5,000 published passports (p95 < 20 ms), the
# whole page (`GET /services?q=…`) rendered by the release server, one request in flight.
# A fresh database gets the demo registry (`qyzmet demo generate --applications 0`) and
# services with a published passport (bench/passport.json) up to SERVICES, before anything
# is timed.
#
#   bench/catalogue.sh            Env: BACKENDS, PG_URL, WORK, BIN (as bench/inbox.sh),
#                                 SERVICES (default 5000), REQUESTS (2000), WARMUP (200)
set -euo pipefail
cd "$(dirname "$0")/.."
BACKENDS="${BACKENDS:-sqlite postgres}"
PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432}"
WORK="${WORK:-/tmp/qyzmet-bench}"
SERVICES="${SERVICES:-5000}"
mkdir -p "$WORK"
. bench/lib.sh
bench_binaries

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(date -u +%FT%TZ); load $(cut -d' ' -f1-3 /proc/loadavg)"
for backend in $BACKENDS; do
  SIZE=0 bench_database "$backend" "catalogue.db" "qyzmet_bench_catalogue"
  "$BIN/qyzmet-bench" catalogue-fill --database "$DB" --services "$SERVICES" --passport bench/passport.json
  bench_serve serve-catalogue.log
  echo "backend=$backend services=$SERVICES commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- crates || echo +changes)"
  "$BIN/qyzmet-bench" catalogue --url "http://127.0.0.1:$PORT" --requests "${REQUESTS:-2000}" --warmup "${WARMUP:-200}"
  kill -TERM "$PID"; wait "$PID" || true
done
