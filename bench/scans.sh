#!/usr/bin/env bash
# Issue 19: package scans (001 §15.9) end to end over HTTP against the release server
# (`qyzmet-bench scans`: couriers scan PACKAGES packages, four handovers each, in order; every
# answer must be 201), and the raw insert of the same rows with the driver (one transaction per
# scan, no HTTP, no rule) in the same run. Limit: at least 2,000 scans a second through the
# API, on each backend.
#   bench/scans.sh
# Env: BACKENDS (default "sqlite postgres"), PG_URL, WORK, BIN (release binaries; default this
#      tree's, built), PACKAGES (default 1000), CLIENTS (default 8), ROUNDS (default 3).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE="${SIZE:-20000}"
BACKENDS="${BACKENDS:-sqlite postgres}"
PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432}"
WORK="${WORK:-/tmp/qyzmet-bench}"
mkdir -p "$WORK"
. bench/lib.sh
bench_binaries

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(date -u +%FT%TZ); load $(cut -d' ' -f1-3 /proc/loadavg); commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- crates || echo +changes)"
round() {
  out=$("$BIN/qyzmet-bench" scans --url "http://127.0.0.1:$PORT" --token "$TOKEN" --database "$DB" \
    --packages "${PACKAGES:-1000}" --clients "${CLIENTS:-8}")
  api=$(echo "$out" | sed -E 's/.*"api_scans_per_second": ([0-9]+).*/\1/')
  raw=$(echo "$out" | sed -E 's/.*"raw_scans_per_second": ([0-9]+).*/\1/')
  verdict=$([ "$api" -ge 2000 ] && echo met || echo MISSED)
  echo "backend=$1 round=$2 $out api_vs_raw=$(echo "scale=2; $api / $raw" | bc) limit=2000 $verdict"
}
bench_backends scans round
