#!/usr/bin/env bash
# Issue 15: the cost of the durable read audit (ADR 0011). Lookups (GET
# /api/v1/applications/{number}, bench/lookup.lua) of two server binaries on the same data, in
# one run, alternating old/new/old/new… so that drift (other load, the page cache, the VM's
# host) falls on both alike. Prints one line per run and a summary per backend: the median
# requests/s, p50 and p99 of each binary and new/old (the issue asks at least 0.8).
#
# Usage: bench/audit.sh OLD_BIN NEW_BIN
#   e.g. bench/audit.sh /work/baseline/target/release/qyzmet target/release/qyzmet
# Env: BACKENDS="sqlite postgres", SIZE (applications, default 100000), ROUNDS (old/new pairs,
#      default 3), LOOKUP_SECS (default 20), WARMUP_SECS (default 5), CONNECTIONS (wrk, default
#      32), PG_URL (default postgres://postgres@127.0.0.1:5432), WORK (default /tmp/qyzmet-audit),
#      REUSE=1 keeps the databases of an earlier run of the same SIZE.
#
# The database is filled once (by OLD_BIN, whose schema both binaries can open) and copied:
# each binary serves its own copy, so a migration that only the new binary has cannot stop
# the old one from starting. Both copies hold the same applications.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { echo "usage: bench/audit.sh OLD_BIN NEW_BIN" >&2; exit 2; }
OLD_BIN=$(realpath "$1")
NEW_BIN=$(realpath "$2")
BACKENDS="${BACKENDS:-sqlite postgres}"
SIZE="${SIZE:-100000}"
ROUNDS="${ROUNDS:-3}"
LOOKUP_SECS="${LOOKUP_SECS:-20}"
WARMUP_SECS="${WARMUP_SECS:-5}"
CONNECTIONS="${CONNECTIONS:-32}"
PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432}"
WORK="${WORK:-/tmp/qyzmet-audit}"
mkdir -p "$WORK"
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)" >&2; exit 1; }
# The sampler reads numbers from either schema.
cargo build --release -q -p qyzmet-bench
SAMPLER="${CARGO_TARGET_DIR:-target}/release/qyzmet-bench"

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(date -u +%FT%TZ)"
echo "old: $OLD_BIN ($(sha256sum "$OLD_BIN" | cut -c1-12))"
echo "new: $NEW_BIN ($(sha256sum "$NEW_BIN" | cut -c1-12))"

# The URL of a backend's database `name`.
db_url() {
  if [ "$1" = sqlite ]; then echo "sqlite://$WORK/$2.db"; else echo "$PG_URL/$2"; fi
}

# Fills `audit_SIZE_old` with OLD_BIN, copies it to `audit_SIZE_new`.
prepare() {
  local backend=$1 old="audit_${SIZE}_old" new="audit_${SIZE}_new"
  if [ "${REUSE:-}" = 1 ]; then
    if [ "$backend" = sqlite ] && [ -f "$WORK/$old.db" ] && [ -f "$WORK/$new.db" ]; then return; fi
    if [ "$backend" = postgres ] && [ "$(psql "$PG_URL/postgres" -tAc "SELECT count(*) FROM pg_database WHERE datname IN ('$old', '$new')")" = 2 ]; then return; fi
  fi
  if [ "$backend" = sqlite ]; then
    rm -f "$WORK/$old.db"* "$WORK/$new.db"*
  else
    psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS $old" -qc "DROP DATABASE IF EXISTS $new" -qc "CREATE DATABASE $old" >/dev/null
  fi
  "$OLD_BIN" demo generate --applications "$SIZE" --quiet --database "$(db_url "$backend" "$old")" 2>"$WORK/generate.log"
  if [ "$backend" = sqlite ]; then
    # A consistent copy, the write-ahead log folded in.
    sqlite3 "$WORK/$old.db" "VACUUM INTO '$WORK/$new.db'"
  else
    psql "$PG_URL/postgres" -qc "CREATE DATABASE $new TEMPLATE $old" >/dev/null
  fi
}

# Runs the lookup load against `bin` on database `name`; prints wrk's RESULT line.
measure() {
  local backend=$1 bin=$2 name=$3 url port pid token
  url=$(db_url "$backend" "$name")
  token=$("$bin" token create --admin --label audit-bench --database "$url")
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  QYZMET_LEDGER_KEY_FILE="$WORK/ledger-key.pem" QYZMET_CRL_CACHE_DIR="$WORK/crl-cache" \
    QYZMET_LOG_FORMAT=json RUST_LOG=warn "$bin" serve --database "$url" --listen "127.0.0.1:$port" \
    2>>"$WORK/serve-$name.log" &
  pid=$!
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
  if [ "$backend" = sqlite ]; then
    cat "$WORK/$name.db"* >/dev/null
  else
    local pgdir
    pgdir=$(psql "$PG_URL/postgres" -tAc "SELECT current_setting('data_directory') || '/base/' || oid FROM pg_database WHERE datname = '$name'")
    cat "$pgdir"/* >/dev/null 2>&1 || true
  fi
  NUMBERS="$WORK/sample-$backend.txt" TOKEN="$token" wrk -t2 -c"$CONNECTIONS" -d"${WARMUP_SECS}s" \
    -s bench/lookup.lua "http://127.0.0.1:$port" >/dev/null
  NUMBERS="$WORK/sample-$backend.txt" TOKEN="$token" wrk -t2 -c"$CONNECTIONS" -d"${LOOKUP_SECS}s" \
    --latency -s bench/lookup.lua "http://127.0.0.1:$port" | grep '^RESULT'
  kill -TERM "$pid"
  wait "$pid" || true
}

# The median of the numbers on stdin.
median() {
  sort -g | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

for backend in $BACKENDS; do
  prepare "$backend"
  "$SAMPLER" sample --database "$(db_url "$backend" "audit_${SIZE}_old")" --count 20000 \
    --out "$WORK/sample-$backend.txt" 2>/dev/null
  results="$WORK/results-$backend.txt"
  : >"$results"
  for round in $(seq 1 "$ROUNDS"); do
    for which in old new; do
      if [ "$which" = old ]; then bin=$OLD_BIN; else bin=$NEW_BIN; fi
      line=$(measure "$backend" "$bin" "audit_${SIZE}_$which")
      echo "backend=$backend size=$SIZE round=$round binary=$which $line"
      echo "$which $line" >>"$results"
    done
  done
  for which in old new; do
    for field in rps p50_ms p99_ms non2xx; do
      value=$(grep "^$which " "$results" | sed -E "s/.* $field=([0-9.]+).*/\\1/" | median)
      printf -v "${which}_${field}" '%s' "$value"
    done
  done
  ratio=$(echo "scale=3; $new_rps / $old_rps" | bc)
  echo "summary backend=$backend size=$SIZE rounds=$ROUNDS old_rps=$old_rps new_rps=$new_rps new_over_old=$ratio" \
    "old_p50_ms=$old_p50_ms new_p50_ms=$new_p50_ms old_p99_ms=$old_p99_ms new_p99_ms=$new_p99_ms" \
    "old_non2xx=$old_non2xx new_non2xx=$new_non2xx (medians of the rounds)"
done
