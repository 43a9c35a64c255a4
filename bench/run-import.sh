#!/usr/bin/env bash
# Measures `samlet import`: events/s and peak memory, on demo-shop data (deterministic, seeded).
# Usage: CUSTOMERS=10000 bench/run-import.sh      (10,000 customers ≈ 1.2 M events)
set -euo pipefail
cd "$(dirname "$0")/.."
CUSTOMERS="${CUSTOMERS:-10000}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build src/Samlet.Server -c Release -v q -nologo >/dev/null
samlet=src/Samlet.Server/bin/Release/net10.0/samlet
echo "== Generating the demo shop ($CUSTOMERS customers)"
"$samlet" demo generate --customers "$CUSTOMERS" --out "$work/events.jsonl" 2>/dev/null
ls -l "$work/events.jsonl" | awk '{ printf "%d lines, %.0f MB\n", 0, $5 / 1e6 }' | sed "s/^0 lines/$(wc -l < "$work/events.jsonl") lines/"
for run in first again; do
  echo "== Import ($run)"
  /usr/bin/time -f "peak memory %M KB, %e s wall, %U s user, %S s system" "$samlet" import "$work/events.jsonl" --data "$work/data" 2>&1 | grep -vE "^\s*$|━|%"
done
ls -l "$work/data" | awk '/samlet.db$/ { printf "database: %.0f MB\n", $5 / 1e6 }'
