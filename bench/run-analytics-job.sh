#!/usr/bin/env bash
# The in-platform analytics job at scale: a synthetic shop of CUSTOMERS customers (BG/NBD-like order histories over a
# year, products with planted pairs) is imported into a fresh SQLite store, the pipeline derives the profiles
# (`samlet analytics run` does that first when no server runs), then the job runs twice: the first run writes every
# customer's predictions, the second (nothing changed) writes none. Prints each run's own time and the process's peak
# memory. Bounded in time; the temp dir is removed on exit.
#
# Settings (environment): CUSTOMERS=100000  SEED=1
set -euo pipefail
cd "$(dirname "$0")/.."
CUSTOMERS=${CUSTOMERS:-100000}
SEED=${SEED:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

echo "== Building (Release)"
timeout 600 dotnet build src/Samlet.Server -c Release -v q -nologo >"$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; exit 1; }
samlet=src/Samlet.Server/bin/Release/net10.0/samlet

echo "== Generating $CUSTOMERS customers' orders"
# Each customer: a purchase rate, a first order in the year, orders at exponential gaps until a dropout; two products
# per order, one of 20 planted pairs or random among 400.
awk -v n="$CUSTOMERS" -v seed="$SEED" 'BEGIN {
  srand(seed); start = 1767225600; # 2026-01-01T00:00:00Z
  for (c = 1; c <= n; c++) {
    rate = 1 / (5 + rand() * 80); day = rand() * 300; drop = (rand() < 0.4) ? rand() * 250 : 1e9; first = day; k = 0;
    while (day < 364 && day - first <= drop) {
      t = start + int(day * 86400);
      if (rand() < 0.5) { p = int(rand() * 20); a = "P" p; b = "Q" p } else { a = "R" int(rand() * 400); b = "R" int(rand() * 400) }
      printf "{\"type\":\"track\",\"userId\":\"c%d\",\"event\":\"Order Completed\",\"messageId\":\"o%d-%d\",\"timestamp\":\"%s\",\"properties\":{\"revenue\":%d,\"products\":[{\"product_id\":\"%s\"},{\"product_id\":\"%s\"}]}}\n", c, c, k, strftime("%Y-%m-%dT%H:%M:%SZ", t, 1), 10 + int(rand() * 190), a, b;
      day += -log(1 - rand()) / rate; k++;
    }
  }
}' >"$work/orders.jsonl"
echo "  $(wc -l <"$work/orders.jsonl") orders"

echo "== Importing"
"$samlet" import "$work/orders.jsonl" --data "$work/data" | tail -1
echo "== Analytics run 1 (the pipeline derives the profiles first, and applies the predictions after)"
/usr/bin/time -f "  process: %e s wall, peak memory %M KB" "$samlet" analytics run --data "$work/data" 2>&1 | grep -v "^RFM\|^Warning"
echo "== Analytics run 2 (nothing changed)"
/usr/bin/time -f "  process: %e s wall, peak memory %M KB" "$samlet" analytics run --data "$work/data" 2>&1 | grep -v "^RFM\|^Warning"
