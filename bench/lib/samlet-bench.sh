# Shared by bench/run-profile-api.sh and bench/run-pipeline.sh (source it; it sets no options of its own).
# Builds, makes demo data, starts and stops `samlet serve`, waits for the pipeline, samples /readyz.
# Needs: dotnet, curl, jq, sqlite3 (Debian packages of the development image).

WRITE_KEY=bench-write-key
ADMIN_KEY=bench-admin-key
server_bin=src/Samlet.Server/bin/Release/net10.0
generator=bench/Samlet.Benchmarks/bin/Release/net10.0/Samlet.Benchmarks.dll
server_pid=""
sampler_pid=""
if [ -x "$server_bin/samlet" ]; then samlet=("$server_bin/samlet"); else samlet=(dotnet "$server_bin/samlet.dll"); fi

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick_port() { local p; while :; do p=$((20000 + RANDOM % 30000)); port_free "$p" && { echo "$p"; return; }; done; }
machine_load() { echo "load average $(cut -d' ' -f1-3 /proc/loadavg) ($(date -u +%FT%TZ))"; }

build_all() {
  echo "== Building (Release)"
  for project in src/Samlet.Server bench/Samlet.Benchmarks; do
    timeout 600 dotnet build "$project" -c Release -v q -nologo >"$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; exit 1; }
  done
}

# start_server DATA_DIR LOG [extra env...]: serves DATA_DIR on a free loopback port (sets URL and server_pid).
start_server() {
  local data=$1 log=$2; shift 2
  URL="http://127.0.0.1:$(pick_port)"
  env SAMLET_WRITE_KEY=$WRITE_KEY SAMLET_ADMIN_KEY=$ADMIN_KEY "$@" "${samlet[@]}" serve --data "$data" --urls "$URL" >"$log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 120); do
    if curl -fsS -o /dev/null --max-time 1 "$URL/readyz" 2>/dev/null; then return 0; fi
    if ! kill -0 "$server_pid" 2>/dev/null; then echo "The server exited:" >&2; tail -20 "$log" >&2; exit 1; fi
    sleep 0.5
  done
  echo "GET /readyz never answered 200:" >&2; tail -20 "$log" >&2; exit 1
}

stop_server() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  server_pid=""
}

# Peak and current resident memory of the server, in MB.
server_memory() {
  awk '/^VmHWM/ { peak = $2 } /^VmRSS/ { rss = $2 } END { printf "server resident memory %.0f MB, peak %.0f MB\n", rss / 1024, peak / 1024 }' "/proc/$server_pid/status"
}

readyz() { curl -fsS --max-time 2 "$URL/readyz"; }

# wait_caught_up SECONDS: until /readyz shows eventsBehind 0 (prints how long it took and the events/s).
wait_caught_up() {
  local limit=$1 start now behind first last
  start=$(date +%s.%N)
  first=$(readyz | jq .pipeline.position)
  for _ in $(seq 1 $((limit * 2))); do
    behind=$(readyz | jq .pipeline.eventsBehind) || behind=""
    if [ "$behind" = "0" ]; then
      now=$(date +%s.%N); last=$(readyz | jq .pipeline.position)
      awk -v s="$start" -v n="$now" -v a="$first" -v b="$last" 'BEGIN { d = n - s; printf "pipeline caught up: %d events in %.1f s", b - a, d; if (b > a && d > 0) printf " (%.0f events/s)", (b - a) / d; printf "\n" }'
      return 0
    fi
    sleep 0.5
  done
  echo "The pipeline was still $behind events behind after $limit s." >&2; return 1
}

# start_sampler FILE / stop_sampler: one line a second, "unix-seconds position eventsBehind secondsBehind".
start_sampler() {
  local file=$1
  ( while :; do
      r=$(readyz 2>/dev/null) && echo "$(date +%s.%N) $(jq -r '[.pipeline.position, .pipeline.eventsBehind, .pipeline.secondsBehind] | @tsv' <<<"$r")" >>"$file"
      sleep 1
    done ) &
  sampler_pid=$!
}

stop_sampler() {
  if [ -n "$sampler_pid" ]; then kill "$sampler_pid" 2>/dev/null || true; wait "$sampler_pid" 2>/dev/null || true; fi
  sampler_pid=""
}

# import_events DIR: $work/events.jsonl into a fresh store whose keys are the known bench keys; sets SPACE.
# `samlet import` on a fresh store makes random keys; a first `serve` (pipeline off) makes the workspace with ours.
import_events() {
  local data=$1 log="$work/first-start.log"
  start_server "$data" "$log" SAMLET__Pipeline__Enabled=false
  stop_server
  SPACE=$(grep -o 'Created workspace ws_[A-Za-z0-9]*' "$log" | cut -d' ' -f3)
  echo "== Importing (workspace $SPACE)"
  /usr/bin/time -f "  %e s, peak memory %M KB" "${samlet[@]}" import "$work/events.jsonl" --data "$data" 2>&1 | grep -vE "^\s*$|━|%"
  rm -f "$work/events.jsonl"
}

# make_store DIR CUSTOMERS: demo shop data imported into a fresh store whose keys are the known bench keys; sets SPACE.
make_store() {
  local data=$1 customers=$2
  echo "== Generating the demo shop ($customers customers)"
  /usr/bin/time -f "  %e s, peak memory %M KB" "${samlet[@]}" demo generate --customers "$customers" --out "$work/events.jsonl" 2>&1 | grep -v "^\s*$"
  echo "  $(wc -l <"$work/events.jsonl") events, $(($(stat -c %s "$work/events.jsonl") / 1000000)) MB"
  import_events "$data"
}

# make_synthetic_store DIR PROFILES: one identify event per profile (userId, email and three traits), for memory and
# throughput at a given number of profiles (the demo shop has two profiles per customer); sets SPACE.
make_synthetic_store() {
  local data=$1 profiles=$2
  echo "== Generating $profiles identify events, one new profile each"
  awk -v n="$profiles" 'BEGIN { for (i = 1; i <= n; i++) printf "{\"type\":\"identify\",\"messageId\":\"syn-%d\",\"userId\":\"u%d\",\"traits\":{\"email\":\"u%d@example.com\",\"name\":\"User %d\",\"plan\":\"%s\",\"visits\":%d},\"timestamp\":\"2026-06-01T00:00:00.000Z\"}\n", i, i, i, i, (i % 3 ? "free" : "pro"), i % 97 }' >"$work/events.jsonl"
  import_events "$data"
}

# The generator shares the cores with the server, so make it cheap (bench/README.md, "What the generator costs").
generator_env=(DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0)
# bench SECONDS MODE ARGS...: the benchmark program, killed after SECONDS.
bench() { local limit=$1; shift; timeout "$limit" env "${generator_env[@]}" dotnet "$generator" "$@"; }
