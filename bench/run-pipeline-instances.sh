#!/usr/bin/env bash
# The pipeline's work on PostgreSQL by one instance and split across instances (ADR 11: partitions of whole workspaces).
#   1. generates the demo shop (CUSTOMERS, default 10000 ≈ 1.2 M events) and imports it into a new database;
#   2. copies its events into more workspaces until there are WORKSPACES (default 2), interleaved in the log;
#   3. one instance: `Samlet.Benchmarks pipeline --postgres` rebuilds everything (all 8 partitions);
#   4. INSTANCES (default 2) instances: the derived state is dropped, then one process per share of the partitions
#      (as the server's leases share them) catches up at the same time; the wall time until the last is done counts.
# Prints events/s of each and the speed-up. Every process shares the machine's cores with PostgreSQL.
#
# Settings (environment): POSTGRES (required: a server's connection string, e.g. from `PG_DURABLE=1 scripts/pg-up.sh`;
#   a new database there is dropped on exit)  CUSTOMERS=10000  WORKSPACES=2  INSTANCES=2  BATCH_SIZE=2000
#   PIPELINE_ARGS (more worker settings for every run, e.g. "--events-per-commit 2000 --read-ahead 1")
#   SKIP_ONE=1 (only the split run)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/samlet-bench.sh

: "${POSTGRES:?Set POSTGRES to a PostgreSQL connection string (e.g. from PG_DURABLE=1 scripts/pg-up.sh)}"
CUSTOMERS=${CUSTOMERS:-10000}
WORKSPACES=${WORKSPACES:-2}
INSTANCES=${INSTANCES:-2}
BATCH_SIZE=${BATCH_SIZE:-2000}

work=$(mktemp -d)
database="samlet_bench_instances_$$"
pg_host=$(grep -oP 'Host=\K[^;]+' <<<"$POSTGRES")
pg_port=$(grep -oP 'Port=\K[^;]+' <<<"$POSTGRES" || echo 5432)
connection="$(sed 's/;*Database=[^;]*//' <<<"$POSTGRES");Database=$database"
cleanup() {
  jobs -p | xargs -r kill 2>/dev/null || true
  psql -h "$pg_host" -p "$pg_port" -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

build_all
psql -h "$pg_host" -p "$pg_port" -U postgres -d postgres -qc "CREATE DATABASE $database" >/dev/null
machine_load
echo "== Generating the demo shop ($CUSTOMERS customers) and importing it"
"${samlet[@]}" demo generate --customers "$CUSTOMERS" --out "$work/events.jsonl" >/dev/null
/usr/bin/time -f "  import: %e s, peak memory %M KB" "${samlet[@]}" import "$work/events.jsonl" --store postgres --connection "$connection" 2>&1 | grep -vE "^\s*$|━|%|key"
rm -f "$work/events.jsonl"
pipeline() { dotnet "$generator" pipeline --postgres "$connection" --batch-size "$BATCH_SIZE" ${PIPELINE_ARGS:-} "$@"; }
pipeline --workspaces "$WORKSPACES" --reset | grep -v "^Derived"

elapsed() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.1f", e - s }'; }
if [ -z "${SKIP_ONE:-}" ]; then
  echo "== One instance: every partition"
  machine_load
  start=$(date +%s.%N)
  /usr/bin/time -f "  process: %e s wall, %U s user, %S s system, peak memory %M KB" dotnet "$generator" pipeline --postgres "$connection" --batch-size "$BATCH_SIZE" ${PIPELINE_ARGS:-} 2>&1 | grep -v "^  [0-9]"
  one=$(elapsed "$start" "$(date +%s.%N)")
fi

echo "== $INSTANCES instances at once, each on its share of the partitions"
pipeline --reset >/dev/null
machine_load
start=$(date +%s.%N)
for rank in $(seq 0 $((INSTANCES - 1))); do
  share=$(seq 0 7 | awk -v r="$rank" -v n="$INSTANCES" '$1 % n == r' | paste -sd,)
  pipeline --partitions "$share" >"$work/instance-$rank.log" 2>&1 &
done
wait
split=$(elapsed "$start" "$(date +%s.%N)")
for rank in $(seq 0 $((INSTANCES - 1))); do grep -E "^catch-up" "$work/instance-$rank.log" | sed "s/^/  instance $rank: /"; done
machine_load
events=$(psql -h "$pg_host" -p "$pg_port" -U postgres -d "$database" -Atc "SELECT count(*) FROM events")
echo "  $INSTANCES instances: $events events in $split s = $(awk -v e="$events" -v s="$split" 'BEGIN { printf "%.0f", e / s }') events/s"
if [ -n "${one:-}" ]; then
  echo "  one instance: $events events in $one s = $(awk -v e="$events" -v s="$one" 'BEGIN { printf "%.0f", e / s }') events/s"
  echo "  speed-up: $(awk -v a="$one" -v b="$split" 'BEGIN { printf "%.2f", a / b }')x on $(nproc) cores"
fi
