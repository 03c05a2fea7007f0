#!/usr/bin/env bash
# Issue 19: the printed receipt's share of an acceptance at the counter, over HTTP against the
# release server (`qyzmet-bench acceptance`: CLIENTS employees make COUNT complete acceptances —
# checked, registered, the receipt written and sealed — then print each receipt as a PDF).
# Reported: the mean time of each and the PDF's share of both. The demo registry and passports.
#   bench/acceptance.sh
# Env: BACKENDS (default "sqlite postgres"), PG_URL, WORK, BIN (release binaries; default this
#      tree's, built), COUNT (default 400), CLIENTS (default 4), ROUNDS (default 3).
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
round() {
  out=$("$BIN/qyzmet-bench" acceptance --url "http://127.0.0.1:$PORT" --token "$TOKEN" \
    --count "${COUNT:-400}" --clients "${CLIENTS:-4}")
  echo "backend=$1 round=$2 $out"
}
bench_backends acceptance round
