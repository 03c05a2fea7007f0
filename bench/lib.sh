# Shared by the bench scripts (sourced): the release binaries, a demo database per backend,
# and a server over it. Expects SIZE, PG_URL and WORK to be set.

# Builds this tree's release binaries into BIN, unless BIN names a directory already.
bench_binaries() {
  if [ -z "${BIN:-}" ]; then
    cargo build --release -q -p qyzmet -p qyzmet-bench
    BIN="${CARGO_TARGET_DIR:-target}/release"
  fi
}

# bench_database BACKEND SQLITE_FILE PG_NAME: sets DB to the database of SIZE demo
# applications, generated (its time in GEN_SECS) unless REUSE=1 and it exists already.
bench_database() {
  local backend=$1 file=$2 name=$3 exists
  if [ "$backend" = sqlite ]; then
    DB="sqlite://$WORK/$file"
    exists=$([ -f "$WORK/$file" ] && echo 1 || true)
  else
    DB="$PG_URL/$name"
    exists=$(psql "$PG_URL/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'" || true)
  fi
  if [ "${REUSE:-}" = 1 ] && [ "$exists" = 1 ]; then
    GEN_SECS=reused
    # What earlier runs added is analyzed as autovacuum would (CI's PostgreSQL runs without
    # it): stale statistics gave the storage job's shelf query a plan 15 times slower, run
    # for every office at the server's start, on the bench's cores.
    [ "$backend" = sqlite ] || psql "$DB" -qc "ANALYZE" >/dev/null
    return
  fi
  if [ "$backend" = sqlite ]; then
    rm -f "$WORK/$file"*
  else
    psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS $name" -qc "CREATE DATABASE $name" >/dev/null
  fi
  local t0
  t0=$(date +%s)
  "$BIN/qyzmet" demo generate --applications "$SIZE" --quiet --database "$DB" 2>"$WORK/generate.log"
  GEN_SECS=$(($(date +%s) - t0))
}

# bench_serve LOG: starts the release server over DB on a free port (PORT, PID) and waits
# until it is ready.
bench_serve() {
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  QYZMET_LEDGER_KEY_FILE="$WORK/ledger-key.pem" QYZMET_CRL_CACHE_DIR="$WORK/crl-cache" \
    QYZMET_LOG_FORMAT=json RUST_LOG=warn "$BIN/qyzmet" serve --database "$DB" --listen "127.0.0.1:$PORT" 2>"$WORK/$1" &
  PID=$!
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.1; done
}

# bench_backends NAME ROUND: for each backend of BACKENDS, a demo database of SIZE applications
# (NAME.db, qyzmet_bench_NAME), an administrator's TOKEN and a release server over it (PORT,
# PID); calls the function ROUND BACKEND N for N in 1..ROUNDS (default 3), then stops the
# server.
bench_backends() {
  local name=$1 round_fn=$2 backend round
  for backend in $BACKENDS; do
    bench_database "$backend" "$name.db" "qyzmet_bench_$name"
    TOKEN=$("$BIN/qyzmet" token create --admin --label "bench-$name" --database "$DB")
    bench_serve "serve-$name.log"
    trap 'kill -TERM "$PID" 2>/dev/null || true' EXIT
    for round in $(seq 1 "${ROUNDS:-3}"); do
      "$round_fn" "$backend" "$round"
    done
    kill -TERM "$PID"; wait "$PID" || true
    trap - EXIT
  done
}
