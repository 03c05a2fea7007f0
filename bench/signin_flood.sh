#!/usr/bin/env bash
# Issue 15, finding 5: API lookups while 8 clients flood sign-in with wrong passwords. The
# release server over a demo database; first the lookups alone (bench/lookup.lua, LOOKUP_CONN
# connections), then the same lookups while FLOOD_CONN connections post sign-ins with a new
# wrong password each (bench/signin_flood.lua). Prints p50/p99 of both and the issue's limit
# (p99 under 50 ms during the flood).
#
# The sign-in throttles are raised out of the way for this run (QYZMET_SIGN_IN_PER_*), so
# that every flooding request reaches the hashing pool: the worst case, a flood from many
# addresses on many accounts, which the per-client and per-account throttles do not stop.
#
# Usage: bench/signin_flood.sh [size]      default size: 100000
# Env: BACKENDS (default "sqlite postgres"), PG_URL, WORK (default /tmp/qyzmet-bench), REUSE=1,
#      BIN (a directory with qyzmet and qyzmet-bench to run instead of building this tree's),
#      LOOKUP_CONN (default 4), FLOOD_CONN (default 8), SECS (default 20).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE="${1:-100000}"
BACKENDS="${BACKENDS:-sqlite postgres}"
PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432}"
WORK="${WORK:-/tmp/qyzmet-bench}"
LOOKUP_CONN="${LOOKUP_CONN:-4}"
FLOOD_CONN="${FLOOD_CONN:-8}"
SECS="${SECS:-20}"
mkdir -p "$WORK"
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)" >&2; exit 1; }
. bench/lib.sh
bench_binaries

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(date -u +%FT%TZ); load $(cut -d' ' -f1-3 /proc/loadavg)"
for backend in $BACKENDS; do
  bench_database "$backend" "flood-$SIZE.db" "qyzmet_bench_flood_$SIZE"
  TOKEN=$("$BIN/qyzmet" token create --admin --label bench-flood --database "$DB")
  "$BIN/qyzmet-bench" sample --database "$DB" --count 20000 --out "$WORK/flood-sample-$backend.txt" 2>/dev/null
  export QYZMET_SIGN_IN_PER_ACCOUNT_PER_MINUTE=1000000 QYZMET_SIGN_IN_PER_CLIENT_PER_MINUTE=1000000
  bench_serve serve-flood.log
  trap 'kill -TERM "$PID" 2>/dev/null || true' EXIT
  base="http://127.0.0.1:$PORT"
  lookups() {
    NUMBERS="$WORK/flood-sample-$backend.txt" TOKEN="$TOKEN" wrk -t1 -c"$LOOKUP_CONN" -d"$1" --latency \
      -s bench/lookup.lua "$base" | grep '^RESULT'
  }
  lookups 5s >/dev/null # warm-up
  quiet=$(lookups "${SECS}s")
  # The flood runs past the measured lookups on both sides (2 s before, 2 s after).
  wrk -t1 -c"$FLOOD_CONN" -d"$((SECS + 4))s" --latency -s bench/signin_flood.lua "$base" \
    >"$WORK/flood-$backend.txt" 2>&1 &
  FLOOD=$!
  sleep 2
  flooded=$(lookups "${SECS}s")
  wait "$FLOOD"
  flood=$(grep '^FLOOD' "$WORK/flood-$backend.txt")
  p99=$(sed -E 's/.* p99_ms=([0-9.]+).*/\1/' <<<"$flooded")
  pass=$(awk -v p="$p99" 'BEGIN { print (p < 50) ? "yes" : "NO" }')
  echo
  echo "backend=$backend size=$SIZE binary=$BIN/qyzmet ($(sha256sum "$BIN/qyzmet" | cut -c1-12)) tree=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- crates || echo +changes)"
  echo "  lookups alone:        $quiet"
  echo "  lookups during flood: $flooded"
  echo "  sign-in flood ($FLOOD_CONN connections): $flood"
  echo "  limit: p99 < 50 ms during the flood: p99=${p99} ms, within the limit: $pass"
  kill -TERM "$PID"; wait "$PID" || true
  trap - EXIT
done
