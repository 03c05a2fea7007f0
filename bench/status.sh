#!/usr/bin/env bash
# Issue 17: the public status lookup (`GET /api/v1/public/status?number=&iin=`, no token) at
# SIZE applications, next to the token-authenticated lookup (`GET /api/v1/applications/{n}`,
# issue 2's) against the same server in the same run, both by wrk at 32 connections over
# random stored applications, with the per-client limit lifted
# (QYZMET_STATUS_LOOKUPS_PER_CLIENT_PER_MINUTE=0). Prints one line per backend and series,
# each compared with the issue's figure: at least 5,000 req/s with p99 under 20 ms.
#
#   bench/status.sh [SIZE]          (default 1000000)
# Env: BACKENDS, PG_URL, WORK (as bench/inbox.sh, whose databases it reuses with REUSE=1),
#      BIN (release binaries: default this tree's, built), SECS (each series, default 20),
#      WARMUP_SECS (default 10).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE="${1:-1000000}"
BACKENDS="${BACKENDS:-sqlite postgres}"
PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432}"
WORK="${WORK:-/tmp/qyzmet-bench}"
SECS="${SECS:-20}"
mkdir -p "$WORK"
. bench/lib.sh
bench_binaries
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)" >&2; exit 1; }

# "number applicant_id" of 20,000 random applications.
sample_pairs() { # out
  if [ "$backend" = sqlite ]; then
    python3 - "$WORK/inbox-$SIZE.db" "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT printf('%013d', number), applicant_id FROM applications ORDER BY random() LIMIT 20000").fetchall()
open(sys.argv[2], "w").write("".join(f"{n} {i}\n" for n, i in rows))
PY
  else
    psql "$DB" -tAc "SELECT lpad(number::text, 13, '0') || ' ' || applicant_id FROM applications TABLESAMPLE SYSTEM (5) LIMIT 20000" >"$1"
  fi
  cut -d' ' -f1 "$1" >"$1.numbers"
}

# One wrk series: NAME SCRIPT → a line with the limits compared.
series() {
  local name=$1 script=$2 out rps p99 verdict
  PAIRS="$WORK/pairs.txt" NUMBERS="$WORK/pairs.txt.numbers" TOKEN="$TOKEN" \
    wrk -t2 -c32 -d"${WARMUP_SECS:-10}s" -s "$script" "http://127.0.0.1:$PORT" >/dev/null
  out=$(PAIRS="$WORK/pairs.txt" NUMBERS="$WORK/pairs.txt.numbers" TOKEN="$TOKEN" \
    wrk -t2 -c32 -d"${SECS}s" --latency -s "$script" "http://127.0.0.1:$PORT" | grep '^RESULT')
  rps=$(echo "$out" | sed -E 's/.* rps=([0-9]+).*/\1/')
  p99=$(echo "$out" | sed -E 's/.* p99_ms=([0-9.]+).*/\1/')
  verdict=$(awk -v r="$rps" -v p="$p99" 'BEGIN { print (r >= 5000 && p < 20) ? "met" : "MISSED" }')
  echo "backend=$backend series=$name $out limit=5000rps,p99<20ms $verdict"
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(date -u +%FT%TZ); load $(cut -d' ' -f1-3 /proc/loadavg)"
for backend in $BACKENDS; do
  REUSE=1 bench_database "$backend" "inbox-$SIZE.db" "qyzmet_bench_$SIZE"
  TOKEN=$("$BIN/qyzmet" token create --admin --label bench-status --database "$DB")
  QYZMET_STATUS_LOOKUPS_PER_CLIENT_PER_MINUTE=0 bench_serve serve-status.log
  sample_pairs "$WORK/pairs.txt"
  if [ "$backend" = sqlite ]; then
    cat "$WORK/inbox-$SIZE.db"* >/dev/null
  else
    pgdir=$(psql "$PG_URL/postgres" -tAc "SELECT current_setting('data_directory') || '/base/' || oid FROM pg_database WHERE datname = 'qyzmet_bench_$SIZE'")
    cat "$pgdir"/* >/dev/null 2>&1 || true
  fi
  stored=$("$BIN/qyzmet-bench" count --database "$DB")
  echo "backend=$backend stored=$stored commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- crates || echo +changes)"
  series token bench/lookup.lua
  series public bench/status.lua
  kill -TERM "$PID"; wait "$PID" || true
done
