#!/usr/bin/env bash
# Load-tests the Tracking API of a fresh `samlet serve` on loopback: for each batch size a closed loop (maximum
# throughput) against /v1/batch and the no-storage ceiling path, then an open loop at half the 20-event maximum
# request rate (latency at a given load). Bounded in time; the server and its temp dir are removed on exit.
#
# Settings (environment): DURATION=10 (s per run)  WARMUP=8 (s before each run: the JIT's tiers settle in the first
#   seconds of the server; 2 s measured 8–15 % less throughput)  CONNECTIONS=32  BATCH_SIZES=1,20,100
#   OPEN_RATE (requests/s; default half the closed-loop 20-event durable rate)  PORT (default: a free one)
#   OUT_DIR (keep closed.json, open.json and server.log there)
#   POSTGRES (a server's connection string, e.g. from `PG_DURABLE=1 scripts/pg-up.sh`: the server stores in a new
#   database there, dropped on exit; without it SQLite in the temp dir)
#   INSTANCES=1 (with POSTGRES: that many servers on the one database, the generator's connections spread over them)
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
WARMUP=${WARMUP:-8}
CONNECTIONS=${CONNECTIONS:-32}
BATCH_SIZES=${BATCH_SIZES:-1,20,100}
WRITE_KEY=bench-write-key
CEILING_PATH=/_ceiling/v1/batch

INSTANCES=${INSTANCES:-1}
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PORT=${PORT:-}
while [ -z "$PORT" ]; do p=$((20000 + RANDOM % 30000)); port_free "$p" && PORT=$p; done
URL="http://127.0.0.1:$PORT"
urls=$URL
for _ in $(seq 2 "$INSTANCES"); do
  while :; do p=$((20000 + RANDOM % 30000)); port_free "$p" && [ "$p" != "$PORT" ] && break; done
  urls="$urls,http://127.0.0.1:$p"
done

work=$(mktemp -d)
server_pids=()
store_env=()
database=""
if [ -n "${POSTGRES:-}" ]; then
  pg_port=$(sed -n 's/.*Port=\([0-9]*\).*/\1/p' <<<"$POSTGRES"); pg_port=${pg_port:-5432}
  pg_host=$(sed -n 's/.*Host=\([^;]*\).*/\1/p' <<<"$POSTGRES"); pg_host=${pg_host:-127.0.0.1}
  database="samlet_load_$$"
  psql -h "$pg_host" -p "$pg_port" -U postgres -d postgres -qc "CREATE DATABASE $database" >/dev/null
  store_env=(SAMLET__Store__Kind=postgres "SAMLET__Store__Connection=$(sed 's/;*Database=[^;]*//' <<<"$POSTGRES");Database=$database")
fi
cleanup() {
  for pid in "${server_pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  if [ -n "$database" ]; then psql -h "$pg_host" -p "$pg_port" -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1 || true; fi
  if [ -n "${OUT_DIR:-}" ]; then mkdir -p "$OUT_DIR" && cp "$work"/*.json "$work"/server*.log "$OUT_DIR"/ 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== Building (Release)"
for project in src/Samlet.Server bench/Samlet.Benchmarks; do
  timeout 600 dotnet build "$project" -c Release -v q -nologo >"$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; exit 1; }
done
server_bin=src/Samlet.Server/bin/Release/net10.0
generator=bench/Samlet.Benchmarks/bin/Release/net10.0/Samlet.Benchmarks.dll

if [ "$INSTANCES" -gt 1 ] && [ -z "$database" ]; then echo "INSTANCES needs POSTGRES (instances share one PostgreSQL)." >&2; exit 2; fi
if [ -x "$server_bin/samlet" ]; then server=("$server_bin/samlet"); else server=(dotnet "$server_bin/samlet.dll"); fi
i=0
for url in ${urls//,/ }; do
  echo "== Starting samlet serve on $url (data in $work/data$i)"
  mkdir -p "$work/data$i"
  env "${store_env[@]}" SAMLET_WRITE_KEY=$WRITE_KEY SAMLET_ADMIN_KEY=bench-admin-key SAMLET__Ingestion__CeilingEndpoint=true \
    "${server[@]}" serve --data "$work/data$i" --urls "$url" >"$work/server$i.log" 2>&1 &
  server_pids+=($!)
  for _ in $(seq 1 60); do
    if curl -fsS -o /dev/null --max-time 1 "$url/readyz" 2>/dev/null; then break; fi
    if ! kill -0 "${server_pids[$i]}" 2>/dev/null; then echo "The server exited:" >&2; tail -20 "$work/server$i.log" >&2; exit 1; fi
    sleep 0.5
  done
  curl -fsS -o /dev/null --max-time 1 "$url/readyz" || { echo "GET /readyz never answered 200:" >&2; tail -20 "$work/server$i.log" >&2; exit 1; }
  i=$((i + 1))
done

# Each run takes WARMUP + DURATION + at most 5 s of grace; two paths per batch size.
runs=$(( $(tr ',' '\n' <<<"$BATCH_SIZES" | wc -l) * 2 ))
budget=$(( runs * (WARMUP + DURATION + 5) + 30 ))
# The generator shares the cores with the server, so make it cheap: run socket continuations on the epoll thread and
# let idle thread-pool threads sleep instead of spinning (measured: about a fifth less CPU per request; bench/README.md).
load() { DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 \
  timeout "$budget" dotnet "$generator" load --url "$urls" --write-key "$WRITE_KEY" --ceiling-path "$CEILING_PATH" \
  --batch-sizes "$BATCH_SIZES" --connections "$CONNECTIONS" \
  --duration "$DURATION" --warmup "$WARMUP" "$@"; }

echo "== Closed loop: maximum throughput"
load --json "$work/closed.json"

# Half the durable 20-event requests/s, read from our own JSON (one property per line).
rate=${OPEN_RATE:-$(awk '/"target":/ { durable = /"durable"/ } /"batchSize":/ { twenty = /: 20,/ }
  /"requestsPerSecond":/ && durable && twenty { gsub(/[ ,]/, "", $2); printf "%d", $2 / 2 }' "$work/closed.json")}
if [ -z "$rate" ] || [ "$rate" -lt 1 ]; then
  echo "No 20-event durable rate measured (set OPEN_RATE); skipping the open loop."; exit 0
fi
echo "== Open loop at $rate requests/s"
load --rate "$rate" --json "$work/open.json"
