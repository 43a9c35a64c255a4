#!/usr/bin/env bash
# Compares the pipeline's rebuild at two revisions on one store, interleaved (A B A B …), because on a shared machine the
# same build varies by 15–25 % between runs and a figure from another hour says more about the machine than the code.
# Builds bench/Samlet.Benchmarks at each revision in a git worktree of its own, then per round and revision copies the
# store and runs `Samlet.Benchmarks pipeline --data` on the copy (what `samlet rebuild` runs), printing events/s and the
# process's user + system CPU seconds (steadier than wall time when other work shares the cores).
#
#   bench/run-rebuild-ab.sh REV_A REV_B DATA_DIR [ROUNDS]
#
# DATA_DIR: a SQLite data dir with events (e.g. kept by `KEEP_DATA=1 SKIP_LIVE=1 bench/run-pipeline.sh`); it is only
# copied, never changed. ROUNDS defaults to 3. Needs disk for one more copy of the store. Worktrees and copies are
# removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 3 ] || { sed -n '2,12p' "$0" >&2; exit 2; }
rev_a=$1 rev_b=$2 data=$3 rounds=${4:-3}
[ -f "$data/samlet.db" ] || { echo "$data has no samlet.db." >&2; exit 2; }

work=$(mktemp -d)
cleanup() {
  for v in a b; do git worktree remove --force "$work/$v" >/dev/null 2>&1 || true; done
  git worktree prune
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for v in a b; do
  rev=$([ "$v" = a ] && echo "$rev_a" || echo "$rev_b")
  echo "== Building $v = $(git rev-parse --short "$rev") ($rev)"
  git worktree add --detach -q "$work/$v" "$rev"
  timeout 600 dotnet build "$work/$v/bench/Samlet.Benchmarks" -c Release -v q -nologo >"$work/build-$v.log" 2>&1 || { tail -30 "$work/build-$v.log" >&2; exit 1; }
done

echo "round  rev  events/s  wall s  CPU s (user+system)  peak MB  load average"
for round in $(seq 1 "$rounds"); do
  for v in a b; do
    rm -rf "$work/store" && cp -r "$data" "$work/store"
    out=$( { /usr/bin/time -f "TIME %e %U %S %M" timeout 3600 "$work/$v/bench/Samlet.Benchmarks/bin/Release/net10.0/Samlet.Benchmarks" pipeline --data "$work/store"; } 2>&1 )
    rate=$(sed -nE 's/^rebuild: .* = ([0-9,]+) events\/s.*/\1/p' <<<"$out")
    read -r wall user system peak < <(sed -nE 's/^TIME //p' <<<"$out")
    printf "%5s  %3s  %8s  %6s  %19.1f  %7d  %s\n" "$round" "$v" "${rate:-failed}" "$wall" "$(awk -v u="$user" -v s="$system" 'BEGIN { print u + s }')" $((peak / 1024)) "$(cut -d' ' -f1 /proc/loadavg)"
  done
done
