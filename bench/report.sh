#!/usr/bin/env bash
# Issue 5: the violations report of one month over a database of N applications spread over
# 12 months. In the same run: the report as the server makes it (from the rollups), the
# reference computation from every application of the month, and DuckDB computing the same
# figures from the raw rows exported as CSV and converted to Parquet; the figures must agree
# exactly (bench/report_duckdb.py exits 1 otherwise). Usage:
#   bench/report.sh [size] [month]      defaults: 5000000, the month before this one
# Env: BACKENDS="sqlite postgres", PG_URL (default postgres://postgres@127.0.0.1:5432),
#      WORK (default /tmp/qyzmet-bench; the SQLite database is $WORK/report-N.db; PostgreSQL's
#      is qyzmet_report_N), REUSE=1 keeps a database of that size left by an earlier run,
#      DAYS (the acceptance window of the fill, default 365), RUNS (default 5),
#      BIN (a directory with release qyzmet and qyzmet-bench binaries to use instead of
#      building this tree's). Needs python3 with duckdb (pip install duckdb), sqlite3, psql.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE="${1:-5000000}"
MONTH="${2:-$(TZ=Asia/Almaty date -d "$(date +%Y-%m-01) -1 day" +%Y-%m)}"
BACKENDS="${BACKENDS:-sqlite postgres}"
PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432}"
WORK="${WORK:-/tmp/qyzmet-bench}"
DAYS="${DAYS:-365}"
RUNS="${RUNS:-5}"
mkdir -p "$WORK"
python3 -c 'import duckdb' 2>/dev/null || pip install -q duckdb

if [ -z "${BIN:-}" ]; then
  cargo build --release -q -p qyzmet -p qyzmet-bench
  BIN="${CARGO_TARGET_DIR:-target}/release"
fi

APPS="SELECT exec_org_id, service_id, planned_date, deadline, effective_acceptance, actual_completion, \
CASE WHEN suspended THEN 1 ELSE 0 END AS suspended FROM applications"
ORGS="SELECT id, code, path FROM organizations"
SVCS="SELECT id, code, depends_on FROM services"
OUTS="SELECT started_at, ended_at, CASE WHEN all_systems THEN 1 ELSE 0 END AS all_systems, systems FROM outages"

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(date -u +%FT%TZ); month $MONTH"
for backend in $BACKENDS; do
  if [ "$backend" = sqlite ]; then
    FILE="$WORK/report-$SIZE.db"
    DB="sqlite://$FILE"
    exists=$([ -f "$FILE" ] && echo 1 || true)
  else
    DB="$PG_URL/qyzmet_report_$SIZE"
    exists=$(psql "$PG_URL/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = 'qyzmet_report_$SIZE'" || true)
  fi
  if [ "${REUSE:-}" = 1 ] && [ "$exists" = 1 ]; then
    fill="reused"
  else
    if [ "$backend" = sqlite ]; then
      rm -f "$FILE"*
    else
      psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS qyzmet_report_$SIZE" -qc "CREATE DATABASE qyzmet_report_$SIZE" >/dev/null
    fi
    t0=$(date +%s)
    "$BIN/qyzmet" demo generate --applications "$SIZE" --days "$DAYS" --quiet --database "$DB" 2>"$WORK/report-generate.log"
    fill="filled in $(($(date +%s) - t0)) s"
  fi
  echo
  echo "### $backend ($fill)"
  if [ "$backend" = sqlite ]; then cat "$FILE"* >/dev/null; fi
  "$BIN/qyzmet-bench" report --database "$DB" --month "$MONTH" --runs "$RUNS" --outages \
    --out "$WORK/report-$backend.json"
  OUT="$WORK/export-$backend"
  rm -rf "$OUT" && mkdir -p "$OUT"
  t0=$(date +%s)
  for pair in "applications:$APPS" "organizations:$ORGS" "services:$SVCS" "outages:$OUTS"; do
    name="${pair%%:*}"
    query="${pair#*:}"
    if [ "$backend" = sqlite ]; then
      sqlite3 -readonly -csv -header "$FILE" "$query" >"$OUT/$name.csv"
    else
      psql "$DB" -qc "\\copy ($query) TO '$OUT/$name.csv' WITH (FORMAT csv, HEADER)"
    fi
  done
  echo "raw rows exported as CSV in $(($(date +%s) - t0)) s"
  python3 bench/report_duckdb.py --dir "$OUT" --report "$WORK/report-$backend.json" --runs "$RUNS"
done
