#!/usr/bin/env bash
# Computed traits and audiences (issue 4): `Samlet.Benchmarks audiences` on a fresh store of synthetic profiles.
#   generate: PROFILES profiles written straight into the store (traits, aggregates, memberships, identifiers);
#   preview:  AudiencePreview of the three-condition audience (trait + computed trait + kept behavioural condition);
#   recompute: the backfill after AUDIENCES new audiences were put (every profile re-evaluated);
#   latency:  event-to-membership p50/p99 of probe identifies while demo events are appended at RATE events/s and a
#             live pipeline worker loop runs; then the process's memory after each phase.
# The store is a temp dir (removed by the benchmark), or a new database on POSTGRES (dropped afterwards).
#
# Settings (environment): PROFILES=100000  AUDIENCES=100  PREVIEW_RUNS=5  RATE=3000  DURATION=20  PHASES (e.g.
#   generate,preview)  POSTGRES (connection string of a server)  EXTRA (more options, see `audiences --help`)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/samlet-bench.sh

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

echo "== Building (Release)"
timeout 600 dotnet build bench/Samlet.Benchmarks -c Release -v q -nologo >"$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; exit 1; }

args=(audiences --profiles "${PROFILES:-100000}" --audiences "${AUDIENCES:-100}" --preview-runs "${PREVIEW_RUNS:-5}"
      --rate "${RATE:-3000}" --duration "${DURATION:-20}")
if [ -n "${PHASES:-}" ]; then args+=(--phases "$PHASES"); fi
if [ -n "${POSTGRES:-}" ]; then args+=(--postgres "$POSTGRES"); fi
# shellcheck disable=SC2206 # EXTRA is split on purpose
if [ -n "${EXTRA:-}" ]; then args+=($EXTRA); fi

machine_load
echo "== dotnet $generator ${args[*]}"
timeout 7200 /usr/bin/time -f "  process: %e s wall, %U s user, %S s system, peak memory %M KB" dotnet "$generator" "${args[@]}"
machine_load
