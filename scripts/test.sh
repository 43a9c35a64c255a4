#!/usr/bin/env bash
# Runs every test of the solution and ends with the line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
# The unmodified SDKs that tests/Samlet.Server.Tests/Sdk drives, exactly as package-lock.json pins them.
if [ ! -d tests/sdk-clients/node_modules ]; then
  npm ci --prefix tests/sdk-clients --ignore-scripts --prefer-offline --no-audit --no-fund --loglevel=error
fi
log=$(mktemp)
dotnet test Samlet.slnx -c Release "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# The end-to-end server tests again with every server on PostgreSQL (SamletServer.OnPostgres), except those that choose
# their store themselves (kill -9 of a SQLite server, multi-instance and PostgreSQL-only tests).
echo "== The server tests on PostgreSQL"
SAMLET_TEST_SERVER_STORE=postgres dotnet test tests/Samlet.Server.Tests -c Release --no-build "$@" \
  --filter "FullyQualifiedName!~PipelineCrashTests&FullyQualifiedName!~CrashRecoveryTests&FullyQualifiedName!~MultiInstanceTests&FullyQualifiedName!~PipelineLeaseTests&FullyQualifiedName!~Postgres" 2>&1 | tee -a "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
# VSTest prints one summary line per test assembly: "Passed!  - Failed: 0, Passed: 4, ..."
read -r passed failed < <(awk '/(Passed|Failed)! +- +Failed:/ {
    for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1) }
  } END { print p + 0, f + 0 }' "$log" | tr -d ',')
rm -f "$log"
echo "$passed passed, $failed failed"
if [ "$passed" -eq 0 ] || [ "$failed" -ne 0 ] || [ "$status" -ne 0 ]; then exit 1; fi
