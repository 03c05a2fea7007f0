#!/usr/bin/env bash
# Issue 17: informing's two figures, on each backend, against the release build and a real
# SMTP server (aiosmtpd, scripts/smtp_sink.py) on this machine:
#  1. ingest with notifications on against off, in one run on one server (delivery running):
#     FRESH applications without a contact and FRESH with an e-mail address, each taken
#     through four stages by `qyzmet-bench ingest` (batches over HTTP); the demo passports flag
#     ready-for-issue, so "on" writes one outbox message per application in the events'
#     transactions. Rounds alternate off, on, off, on; the figure is on/off of the sums.
#     Limit: at least 0.8.
#  2. delivery to the SMTP server: MAIL messages written while no mail server is configured,
#     then a server with one delivers them; the rate is taken from the SMTP server's own
#     acceptance times (first to last). Limit: at least 500 messages/s.
#
#   bench/informing.sh
# Env: BACKENDS, PG_URL, WORK, BIN (release binaries; default this tree's, built),
#      FRESH (default 20000), MAIL (default 10000), QYZMET_TEST_SMTP_PYTHON.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=0
BACKENDS="${BACKENDS:-sqlite postgres}"
PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432}"
WORK="${WORK:-/tmp/qyzmet-bench}"
FRESH="${FRESH:-20000}"
MAIL="${MAIL:-10000}"
PY="${QYZMET_TEST_SMTP_PYTHON:-$HOME/.cache/qyzmet/informing-venv/bin/python3}"
mkdir -p "$WORK"
. bench/lib.sh
bench_binaries

rm -f "$WORK/mail.jsonl" "$WORK/sink.out"
"$PY" scripts/smtp_sink.py "$WORK/mail.jsonl" >"$WORK/sink.out" &
SINK=$!
trap 'kill $SINK 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do grep -q PORT "$WORK/sink.out" 2>/dev/null && break; sleep 0.1; done
SMTP_PORT=$(awk '/PORT/{print $2}' "$WORK/sink.out")

received() { [ -f "$WORK/mail.jsonl" ] && wc -l <"$WORK/mail.jsonl" || echo 0; }

ingest_rate() { # numbers-file → events/s
  "$BIN/qyzmet-bench" ingest --url "http://127.0.0.1:$PORT" --token "$TOKEN" --numbers "$1" \
    | sed -E 's/.*"events_per_second": ([0-9]+).*/\1/'
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(date -u +%FT%TZ); load $(cut -d' ' -f1-3 /proc/loadavg); commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- crates || echo +changes)"
for backend in $BACKENDS; do
  bench_database "$backend" informing.db qyzmet_bench_informing
  TOKEN=$("$BIN/qyzmet" token create --admin --label bench-informing --database "$DB")
  for round in 1 2; do
    "$BIN/qyzmet-bench" prepare --database "$DB" --count "$FRESH" --out "$WORK/off-$round.txt" 2>/dev/null
    "$BIN/qyzmet-bench" prepare --database "$DB" --count "$FRESH" --out "$WORK/on-$round.txt" --contacts 2>/dev/null
  done
  QYZMET_SMTP_URL="smtp://127.0.0.1:$SMTP_PORT" QYZMET_SMTP_FROM="qyzmet <noreply@qyzmet.test>" \
    bench_serve serve-informing.log
  off=0; on=0
  # The "on" rounds' messages go out while they run: count from before them.
  want=$(( $(received) + 2 * FRESH ))
  for round in 1 2; do
    off=$((off + $(ingest_rate "$WORK/off-$round.txt")))
    on=$((on + $(ingest_rate "$WORK/on-$round.txt")))
  done
  ratio=$(echo "scale=3; $on / $off" | bc)
  verdict=$(echo "$ratio >= 0.8" | bc | sed 's/1/met/; s/0/MISSED/')
  echo "backend=$backend figure=ingest fresh=$FRESH rounds=2 off_events_per_s=$((off / 2)) on_events_per_s=$((on / 2)) ratio=$ratio limit=0.8 $verdict"
  # Let the messages of the "on" rounds go out before the delivery run.
  for _ in $(seq 1 600); do [ "$(received)" -ge "$want" ] && break; sleep 0.5; done
  kill -TERM "$PID"; wait "$PID" || true

  # Delivery: MAIL messages written with no mail server configured, then delivered.
  "$BIN/qyzmet-bench" prepare --database "$DB" --count "$MAIL" --out "$WORK/mail.txt" --contacts 2>/dev/null
  bench_serve serve-informing-hold.log
  ingest_rate "$WORK/mail.txt" >/dev/null
  kill -TERM "$PID"; wait "$PID" || true
  before=$(received)
  QYZMET_SMTP_URL="smtp://127.0.0.1:$SMTP_PORT" QYZMET_SMTP_FROM="qyzmet <noreply@qyzmet.test>" \
    bench_serve serve-informing-deliver.log
  for _ in $(seq 1 1200); do [ "$(received)" -ge $((before + MAIL)) ] && break; sleep 0.1; done
  kill -TERM "$PID"; wait "$PID" || true
  rate=$(tail -n +"$((before + 1))" "$WORK/mail.jsonl" | python3 -c '
import json, sys
at = [json.loads(l)["at"] for l in sys.stdin]
print(f"{len(at)} {(len(at) - 1) / (max(at) - min(at)):.0f}" if len(at) > 1 else "0 0")')
  n=${rate% *}; mps=${rate#* }
  verdict=$([ "$n" -eq "$MAIL" ] && [ "$mps" -ge 500 ] && echo met || echo MISSED)
  echo "backend=$backend figure=delivery messages=$n/$MAIL messages_per_s=$mps limit=500 $verdict"
done
