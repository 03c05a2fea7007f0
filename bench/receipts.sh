#!/usr/bin/env bash
# Issue 19: receipt PDFs rendered per second on one core (`qyzmet-bench receipts`: COUNT
# distinct receipts, each sealed with an Ed25519 key and rendered whole — fonts subset and
# embedded, its QR code drawn). Limit: at least 100 a second per core. Release build.
#   bench/receipts.sh
# Env: BIN (release binaries; default this tree's, built), COUNT (default 2000), ROUNDS (3).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
bench_binaries

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(date -u +%FT%TZ); load $(cut -d' ' -f1-3 /proc/loadavg); commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- crates || echo +changes)"
for round in $(seq 1 "${ROUNDS:-3}"); do
  # One core: the receipt is rendered by one request's thread.
  out=$(taskset -c 0 "$BIN/qyzmet-bench" receipts --count "${COUNT:-2000}")
  rate=$(echo "$out" | sed -E 's/.*"pdf_per_second":([0-9]+).*/\1/')
  verdict=$([ "$rate" -ge 100 ] && echo met || echo MISSED)
  echo "round=$round $out limit=100 $verdict"
done
