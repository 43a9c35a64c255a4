#!/usr/bin/env bash
# Profile API latency under an open-loop load, and event-to-profile freshness, on the demo shop's data.
# Builds, generates the demo shop (CUSTOMERS, default 10000 ≈ 1.2 M events), imports it, starts `samlet serve` on it,
# waits until the pipeline has processed every event, then:
#   1. GETs random existing identifiers at RATE requests/s on each of ENDPOINTS (Segment traits and metadata), and at
#      NATIVE_RATE on the native /api/profiles/{id} (everything about a profile: far more work), latency from each
#      request's due time;
#   2. freshness: identify events at FRESH_RATE/s, each read back through the Segment traits path until its trait shows;
#      once with the pipeline otherwise idle, once with background ingestion at BG_EVENTS events/s (20 per request).
# Bounded in time; the server and the temp dir are removed on exit.
#
# Settings (environment): CUSTOMERS=10000  DATA (an existing data dir made by this script or bench/run-pipeline.sh with
#   KEEP_DATA=1: skips generating and importing)  RATE=5000  CONNECTIONS=32  DURATION=20  WARMUP=3
#   ENDPOINTS=traits,metadata  NATIVE_RATE=2000 (0: skip)  IDS=20000 (identifiers sampled from the store)  FRESH_RATE=200  FRESH_DURATION=20
#   BG_EVENTS=4000 (0: skip)  OUT_DIR (keeps the logs and lag samples)  KEEP_DATA=1 (keep the data dir, printed)
#   SERVER_ENV="DOTNET_gcServer=0 ..." (runtime settings for the server only)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/samlet-bench.sh

CUSTOMERS=${CUSTOMERS:-10000}
RATE=${RATE:-5000}
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-10}
ENDPOINTS=${ENDPOINTS:-traits,metadata}
NATIVE_RATE=${NATIVE_RATE:-2000}
IDS=${IDS:-20000}
FRESH_RATE=${FRESH_RATE:-200}
FRESH_DURATION=${FRESH_DURATION:-20}
BG_EVENTS=${BG_EVENTS:-4000}

work=$(mktemp -d)
cleanup() {
  stop_sampler; stop_server
  if [ -n "${OUT_DIR:-}" ]; then mkdir -p "$OUT_DIR" && cp "$work"/*.log "$work"/*.tsv "$OUT_DIR"/ 2>/dev/null || true; fi
  if [ -n "${KEEP_DATA:-}" ] && [ -z "${DATA:-}" ]; then echo "Data kept in $work/data"; find "$work" -mindepth 1 -maxdepth 1 ! -name data -exec rm -rf {} +; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

build_all
machine_load
data=${DATA:-$work/data}
if [ -z "${DATA:-}" ]; then make_store "$data" "$CUSTOMERS"; fi

echo "== Serving $data; waiting for the pipeline"
read -ra server_env <<<"${SERVER_ENV:-}"
start_server "$data" "$work/server.log" "${server_env[@]}"
# The keys are this script's (SAMLET_ADMIN_KEY at first start): a DATA dir made otherwise answers 401 to every request.
if ! curl -fsS -o /dev/null --max-time 5 -H "Authorization: Bearer $ADMIN_KEY" "$URL/api/profiles?query=x"; then
  echo "The server refuses the admin key '$ADMIN_KEY': DATA must be a data dir made by this script or bench/run-pipeline.sh." >&2
  exit 1
fi
wait_caught_up 1800
SPACE=$(sqlite3 -readonly "$data/samlet.db" "SELECT id FROM workspaces ORDER BY created_at LIMIT 1")
sqlite3 -readonly "$data/samlet.db" "SELECT type || ':' || value FROM profile_identifiers WHERE type IN ('user_id', 'email', 'anonymous_id') ORDER BY random() LIMIT $IDS" >"$work/ids.txt"
echo "  $(sqlite3 -readonly "$data/samlet.db" "SELECT COUNT(*) FROM profiles") profiles, $(sqlite3 -readonly "$data/samlet.db" "SELECT COUNT(*) FROM events") events; $(wc -l <"$work/ids.txt") identifiers sampled (user_id, email, anonymous_id); space $SPACE"
server_memory

# profile_load RATE ENDPOINTS: one open-loop run per endpoint.
profile_load() {
  local rate=$1 endpoints=$2 runs
  echo "== Profile API: open loop at $rate requests/s, $CONNECTIONS connections, ${WARMUP}+${DURATION} s per endpoint"
  machine_load
  runs=$(tr ',' '\n' <<<"$endpoints" | wc -l)
  bench $((runs * (WARMUP + DURATION + 10) + 30)) profiles --url "$URL" --api-key "$ADMIN_KEY" --space "$SPACE" \
    --ids "$work/ids.txt" --endpoints "$endpoints" --rate "$rate" --connections "$CONNECTIONS" --duration "$DURATION" \
    --warmup "$WARMUP" 2>>"$work/profiles.log"
  server_memory
}
profile_load "$RATE" "$ENDPOINTS"
if [ "$NATIVE_RATE" -gt 0 ]; then profile_load "$NATIVE_RATE" profile; fi

freshness() { bench $((FRESH_DURATION + 90)) freshness --url "$URL" --write-key "$WRITE_KEY" --api-key "$ADMIN_KEY" \
  --space "$SPACE" --rate "$FRESH_RATE" --duration "$FRESH_DURATION" --warmup 3 2>>"$work/freshness.log"; }

echo "== Freshness, pipeline otherwise idle: identify events at $FRESH_RATE/s"
machine_load
start_sampler "$work/lag-idle.tsv"
freshness
stop_sampler
awk '{ if ($3 > b) b = $3; if ($4 > s) s = $4 } END { printf "  /readyz during the run: at most %d events and %.3f s behind\n", b, s }' "$work/lag-idle.tsv"

if [ "$BG_EVENTS" -gt 0 ]; then
  echo "== Freshness with background ingestion at $BG_EVENTS events/s (20-event batches, open loop)"
  wait_caught_up 300 >/dev/null
  machine_load
  start_sampler "$work/lag-background.tsv"
  bench $((FRESH_DURATION + 60)) load --url "$URL" --write-key "$WRITE_KEY" --batch-sizes 20 --connections 8 --rate $((BG_EVENTS / 20)) \
    --warmup 1 --duration $((FRESH_DURATION + 8)) --json "$work/background-load.json" >"$work/background-load.log" 2>&1 &
  background=$!
  sleep 2
  freshness
  wait "$background" || true
  stop_sampler
  jq -r '.[] | "  background load: \(.requestsPerSecond | round) req/s, \(.ackedEventsPerSecond | round) acked events/s, ack p50 \(.p50Ms) ms, p99 \(.p99Ms) ms, errors \(.errors)"' "$work/background-load.json"
  awk '{ if ($3 > b) b = $3; if ($4 > s) s = $4 } END { printf "  /readyz during the run: at most %d events and %.3f s behind\n", b, s }' "$work/lag-background.tsv"
fi
server_memory
machine_load
