#!/usr/bin/env bash
# Pipeline throughput on the demo shop's data: rebuild (all events of an imported store) and live (does the pipeline
# keep up with ingestion at a given rate?).
#   1. generates the demo shop (CUSTOMERS, default 10000 ≈ 1.2 M events; 85000 ≈ 10 M) and imports it;
#   2. rebuild: `Samlet.Benchmarks pipeline --data` (what `samlet rebuild` runs), events/s and peak memory;
#   3. live: `samlet serve` on the rebuilt store; for each rate in LIVE_RATES (events/s) the ingestion load generator
#      sends 20-event batches in an open loop for LIVE_SECONDS while /readyz is sampled every second. The pipeline keeps
#      up when it is less than 2 s behind over the last third of the run. Stops at the first rate it does not keep up
#      with, after measuring how fast it then drains its backlog.
# Bounded in time; the server and the temp dir are removed on exit.
#
# Settings (environment): CUSTOMERS=10000  PROFILES (instead of the demo shop: that many identify events, one new
#   profile each, e.g. PROFILES=1000000 for the memory of a million profiles)  LIVE_RATES=2000,5000,10000,20000,40000  LIVE_SECONDS=30  SKIP_REBUILD=1
#   SKIP_LIVE=1  OUT_DIR (keeps logs and lag samples)  KEEP_DATA=1 (keep the data dir, e.g. for DATA= of run-profile-api.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/samlet-bench.sh

CUSTOMERS=${CUSTOMERS:-10000}
LIVE_RATES=${LIVE_RATES:-2000,5000,10000,20000,40000}
LIVE_SECONDS=${LIVE_SECONDS:-30}

work=$(mktemp -d)
cleanup() {
  stop_sampler; stop_server
  if [ -n "${OUT_DIR:-}" ]; then mkdir -p "$OUT_DIR" && cp "$work"/*.log "$work"/*.tsv "$work"/*.json "$OUT_DIR"/ 2>/dev/null || true; fi
  if [ -n "${KEEP_DATA:-}" ]; then echo "Data kept in $work/data"; find "$work" -mindepth 1 -maxdepth 1 ! -name data -exec rm -rf {} +; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

build_all
machine_load
if [ -n "${PROFILES:-}" ]; then make_synthetic_store "$work/data" "$PROFILES"; else make_store "$work/data" "$CUSTOMERS"; fi
echo "  store: $(($(stat -c %s "$work/data/samlet.db") / 1000000)) MB"

if [ -z "${SKIP_REBUILD:-}" ]; then
  echo "== Rebuild (Samlet.Benchmarks pipeline --data)"
  machine_load
  /usr/bin/time -f "  process: %e s wall, %U s user, %S s system, peak memory %M KB" \
    dotnet "$generator" pipeline --data "$work/data" 2>&1 | tee "$work/rebuild.log" | grep -v "^  [0-9]"
  machine_load
fi

[ -n "${SKIP_LIVE:-}" ] && exit 0
echo "== Live: ingestion at a fixed rate while the pipeline runs (20-event batches, open loop, $LIVE_SECONDS s each)"
start_server "$work/data" "$work/server.log"
wait_caught_up 1800
printf "  %-10s %-10s %-12s %-12s %-14s %-12s %-10s %s\n" "target/s" "acked/s" "pipeline/s" "max behind" "max s behind" "end behind" "keeps up" "load average"
highest=none
for rate in ${LIVE_RATES//,/ }; do
  samples="$work/lag-$rate.tsv"
  loadavg=$(cut -d' ' -f1 /proc/loadavg)
  start_sampler "$samples"
  bench $((LIVE_SECONDS + 60)) load --url "$URL" --write-key "$WRITE_KEY" --batch-sizes 20 --connections 16 --rate $((rate / 20)) \
    --warmup 1 --duration "$LIVE_SECONDS" --json "$work/load-$rate.json" >"$work/load-$rate.log" 2>&1 || true
  stop_sampler
  acked=$(jq '.[0].ackedEventsPerSecond | round' "$work/load-$rate.json" 2>/dev/null || echo 0)
  verdict=$(awk -v n="$(wc -l <"$samples")" -v target="$rate" -v acked="$acked" -v la="$loadavg" '
    NR == 1 { t0 = $1; p0 = $2 }
    { t1 = $1; p1 = $2; if ($3 > maxb) maxb = $3; if ($4 > maxs) maxs = $4; if (NR > n * 2 / 3 && $4 > tail) tail = $4; end = $3 }
    END { ok = (tail < 2) ? "yes" : "no"
          printf "  %-10d %-10d %-12.0f %-12d %-14.1f %-12d %-10s %s\n", target, acked, (p1 - p0) / (t1 - t0), maxb, maxs, end, ok, la
          exit (ok == "yes") ? 0 : 1 }' "$samples") && ok=1 || ok=0
  echo "$verdict"
  if [ "$ok" = 1 ]; then highest=$rate; fi
  # Drain what is left before the next rate (or measure the drain when the pipeline fell behind).
  wait_caught_up 600 | sed 's/^/  drain: /'
  [ "$ok" = 1 ] || break
done
echo "  highest rate kept up with: $highest events/s"
server_memory
machine_load
