#!/usr/bin/env bash
# Issue 4: the operator inbox (GET /work, 50 rows, server-side HTML) over a database of N
# applications, end to end over HTTP, with the bare query of each page timed in the same run
# (`qyzmet-bench inbox`). Prints the machine, then a markdown table per backend. Usage:
#   bench/inbox.sh [size]          default size: 1000000
# Env: BACKENDS="sqlite postgres", PG_URL (default postgres://postgres@127.0.0.1:5432),
#      WORK (default /tmp/qyzmet-bench; the SQLite database is $WORK/inbox-N.db),
#      REUSE=1 keeps a database of that size left by an earlier run (this script or
#      bench/run.sh for PostgreSQL, database qyzmet_bench_N) instead of regenerating it,
#      REQUESTS (measured requests per case and series, default 2000), WARMUP (default 200),
#      CONCURRENCY (the concurrent series, default 4), BUDGET_SECS (the most one series of one
#      case may take, default 60: a slow case is measured on fewer requests, column n),
#      ONLY (a substring of the case labels),
#      BIN (a directory with the qyzmet and qyzmet-bench binaries to run instead of building
#      this tree's: e.g. a copy of an earlier commit's, for a before/after comparison).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE="${1:-1000000}"
BACKENDS="${BACKENDS:-sqlite postgres}"
PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432}"
WORK="${WORK:-/tmp/qyzmet-bench}"
mkdir -p "$WORK"
. bench/lib.sh
bench_binaries

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(date -u +%FT%TZ); load $(cut -d' ' -f1-3 /proc/loadavg)"
for backend in $BACKENDS; do
  bench_database "$backend" "inbox-$SIZE.db" "qyzmet_bench_$SIZE"
  gen_secs=$GEN_SECS
  bench_serve serve-inbox.log
  # The server applies pending migrations at start; count after it did.
  stored=$("$BIN/qyzmet-bench" count --database "$DB")
  # As bench/run.sh: the database is read once into the page cache before anything is
  # measured (this VM's host reclaims the guest's page cache; its disk reads ~60 MB/s).
  if [ "$backend" = sqlite ]; then
    cat "$WORK/inbox-$SIZE.db"* >/dev/null
  else
    pgdir=$(psql "$PG_URL/postgres" -tAc "SELECT current_setting('data_directory') || '/base/' || oid FROM pg_database WHERE datname = 'qyzmet_bench_$SIZE'")
    cat "$pgdir"/* >/dev/null 2>&1 || true
  fi
  echo
  echo "backend=$backend stored=$stored generate_s=$gen_secs commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- crates || echo +changes) load=$(cut -d' ' -f1-3 /proc/loadavg)"
  only=()
  [ -n "${ONLY:-}" ] && only=(--only "$ONLY")
  "$BIN/qyzmet-bench" inbox --url "http://127.0.0.1:$PORT" --database "$DB" \
    --requests "${REQUESTS:-2000}" --warmup "${WARMUP:-200}" --concurrency "${CONCURRENCY:-4}" \
    --budget-secs "${BUDGET_SECS:-60}" "${only[@]}"
  rss_kb=$(awk '/VmRSS/{print $2}' "/proc/$PID/status")
  kill -TERM "$PID"; wait "$PID" || true
  echo "server RSS after the run: $((rss_kb / 1024)) MB; load after: $(cut -d' ' -f1-3 /proc/loadavg)"
done
