#!/usr/bin/env bash
# Runs the issue-2 benchmarks against the release build on this machine and prints one line
# of results per backend and size. Usage:
#   bench/run.sh [sizes...]        default sizes: 100000 1000000
# Env: BACKENDS="sqlite postgres", PG_URL (default postgres://postgres@127.0.0.1:5432),
#      FRESH (applications per ingest run, default 20000), LOOKUP_SECS (default 20),
#      SETTLE_SECS (pause between the writes and the lookups, default 5), WARMUP_SECS (lookups
#      run before the measured ones, default 10),
#      REUSE=1 keeps a database of that size left by an earlier run instead of regenerating it,
#      BENCH_EVENT_IDS=v4|v7 (default v4): random or time-ordered event ids in the ingest runs,
#      BIN_DIR: the qyzmet and qyzmet-bench binaries to measure (default: build this tree's),
#      SIGNED=1: every ingested event is signed (attached CMS, RSA-2048) with a throwaway PKI
#      the server trusts (issue 3); the signing is done before the clock starts.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=("${@:-100000 1000000}")
read -r -a SIZES <<<"${SIZES[*]}"
BACKENDS="${BACKENDS:-sqlite postgres}"
PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432}"
FRESH="${FRESH:-20000}"
LOOKUP_SECS="${LOOKUP_SECS:-20}"
WORK="${WORK:-/tmp/qyzmet-bench}"
mkdir -p "$WORK"

# BIN_DIR: binaries to measure instead of this tree's release build (e.g. those of the commit
# before a change, to compare both back to back on one machine).
if [ -n "${BIN_DIR:-}" ]; then
  BIN="$BIN_DIR"
else
  cargo build --release -q -p qyzmet -p qyzmet-bench
  BIN="${CARGO_TARGET_DIR:-target}/release"
fi
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)" >&2; exit 1; }

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(date -u +%FT%TZ)"
for backend in $BACKENDS; do
  for size in "${SIZES[@]}"; do
    if [ "$backend" = sqlite ]; then
      DB="sqlite://$WORK/bench-$size.db"
      exists=$([ -f "$WORK/bench-$size.db" ] && echo 1 || true)
    else
      DB="$PG_URL/qyzmet_bench_$size"
      exists=$(psql "$PG_URL/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = 'qyzmet_bench_$size'" || true)
    fi
    if [ "${REUSE:-}" = 1 ] && [ "$exists" = 1 ]; then
      gen_secs=reused
    else
      if [ "$backend" = sqlite ]; then
        rm -f "$WORK/bench-$size.db"*
      else
        psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS qyzmet_bench_$size" -qc "CREATE DATABASE qyzmet_bench_$size" >/dev/null
      fi
      t0=$(date +%s.%N)
      "$BIN/qyzmet" demo generate --applications "$size" --quiet --database "$DB" 2>"$WORK/generate.log"
      gen_secs=$(printf %.0f "$(echo "$(date +%s.%N) - $t0" | bc)")
    fi
    stored=$("$BIN/qyzmet-bench" count --database "$DB")
    "$BIN/qyzmet-bench" prepare --database "$DB" --count "$FRESH" --out "$WORK/http.txt" 2>/dev/null
    "$BIN/qyzmet-bench" prepare --database "$DB" --count "$FRESH" --out "$WORK/raw.txt" 2>/dev/null
    "$BIN/qyzmet-bench" sample --database "$DB" --count 20000 --out "$WORK/sample.txt" 2>/dev/null
    TOKEN=$("$BIN/qyzmet" token create --admin --label bench --database "$DB")
    SIGN_ARGS=()
    SIGN_ENV=(QYZMET_LEDGER_KEY_FILE="$WORK/ledger-key.pem" QYZMET_CRL_CACHE_DIR="$WORK/crl-cache")
    if [ "${SIGNED:-}" = 1 ]; then
      rm -rf "$WORK/pki"
      "$BIN/qyzmet-bench" pki --out "$WORK/pki" >/dev/null
      SIGN_ARGS=(--sign "$WORK/pki")
      SIGN_ENV+=(QYZMET_TRUST_DIR="$WORK/pki/trust" QYZMET_CRL_DIR="$WORK/pki/crl" QYZMET_CRL_FETCH=false)
    fi
    PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    env "${SIGN_ENV[@]}" QYZMET_LOG_FORMAT=json RUST_LOG=warn "$BIN/qyzmet" serve --database "$DB" --listen "127.0.0.1:$PORT" 2>"$WORK/serve.log" &
    PID=$!
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.1; done
    # The database files are read once into the page cache before anything is measured, as a
    # server with this much memory keeps them: this VM's host reclaims the guest's page cache
    # over time (a balloon device) and its disk reads ~60 MB/s, so a 1M database left
    # uncached answers at a few hundred lookups a second, from the disk.
    if [ "$backend" = sqlite ]; then
      cat "$WORK/bench-$size.db"* >/dev/null
    else
      pgdir=$(psql "$PG_URL/postgres" -tAc "SELECT current_setting('data_directory') || '/base/' || oid FROM pg_database WHERE datname = 'qyzmet_bench_$size'")
      cat "$pgdir"/* >/dev/null 2>&1 || true
    fi
    ingest=$("$BIN/qyzmet-bench" ingest --url "http://127.0.0.1:$PORT" --token "$TOKEN" --numbers "$WORK/http.txt" "${SIGN_ARGS[@]}")
    raw=$("$BIN/qyzmet-bench" raw --database "$DB" --numbers "$WORK/raw.txt")
    # Lookups are measured in steady state: let the server copy the writes of the two ingest
    # runs out of SQLite's write-ahead log first (its checkpointer runs every 250 ms).
    sleep "${SETTLE_SECS:-5}"
    # Lookup warm-up, not measured.
    NUMBERS="$WORK/sample.txt" TOKEN="$TOKEN" wrk -t2 -c32 -d"${WARMUP_SECS:-10}s" -s bench/lookup.lua \
      "http://127.0.0.1:$PORT" >/dev/null
    lookup=$(NUMBERS="$WORK/sample.txt" TOKEN="$TOKEN" wrk -t2 -c32 -d"${LOOKUP_SECS}s" --latency -s bench/lookup.lua \
      "http://127.0.0.1:$PORT" | grep '^RESULT')
    rss_kb=$(awk '/VmRSS/{print $2}' "/proc/$PID/status")
    hwm_kb=$(awk '/VmHWM/{print $2}' "/proc/$PID/status")
    kill -TERM "$PID"; wait "$PID" || true
    ev=$(echo "$ingest" | sed -E 's/.*"events_per_second": ([0-9]+).*/\1/')
    rw=$(echo "$raw" | sed -E 's/.*"rows_per_second": ([0-9]+).*/\1/')
    ratio=$(echo "scale=2; $ev / $rw" | bc)
    echo "backend=$backend size=$size ids=${BENCH_EVENT_IDS:-v4} signed=${SIGNED:-0} stored=$stored generate_s=$gen_secs ingest_events_per_s=$ev raw_rows_per_s=$rw ratio=$ratio $lookup rss_mb=$((rss_kb / 1024)) peak_rss_mb=$((hwm_kb / 1024))"
  done
done
