#!/usr/bin/env bash
# Runs every test of the repository, the way CI does:
#   1. installs what a fresh machine lacks (the npm emulators, from the committed lockfile; NuGet packages),
#   2. builds everything with warnings as errors,
#   3. runs every test project of Counter.sln (emulators are started by the test fixtures themselves),
#   4. ends with one line: "N passed, N failed, N skipped". The exit code is non-zero if anything failed.
# Extra arguments go to `dotnet test`, e.g. ./test.sh --filter "FullyQualifiedName~Sqlite".
set -uo pipefail
cd "$(dirname "$0")"

fail() { echo "test.sh: $*" >&2; echo "0 passed, 1 failed, 0 skipped"; exit 1; }

command -v dotnet >/dev/null || fail ".NET SDK 10 is not installed (https://dot.net)."
command -v npm >/dev/null || fail "Node.js 20 and npm are not installed; the Azure and DynamoDB emulators need them."

# The emulators come from package-lock.json; reinstall only when the lockfile is newer than the install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> npm ci (emulators)"
  npm ci --no-audit --no-fund --loglevel=error || fail "npm ci failed."
fi

# Every project must be in Counter.sln, or its tests would silently never run.
missing=$(comm -23 <(git ls-files '*.csproj' 2>/dev/null | sort) <(dotnet sln Counter.sln list | grep '\.csproj$' | sort))
[ -z "$missing" ] || fail "these projects are not in Counter.sln (dotnet sln add them): $missing"

echo "==> dotnet build (warnings are errors)"
dotnet build Counter.sln -c Release -warnaserror -nologo -clp:NoSummary -v:q || fail "the build failed."

log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "==> dotnet test"
dotnet test Counter.sln -c Release --no-build -nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Each test assembly prints "Passed!  - Failed: F, Passed: P, Skipped: S, Total: T ..." (or "Failed!  - ...").
read -r passed failed skipped < <(
  grep -E '^(Passed|Failed)! +- +Failed: ' "$log" | sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\2 \1 \3/' |
    awk '{p += $1; f += $2; s += $3} END {print p + 0, f + 0, s + 0}'
)
assemblies=$(grep -cE '^(Passed|Failed)! +- ' "$log")

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # A test host crashed or a project did not report: count it as a failure rather than print a clean line.
  echo "test.sh: dotnet test exited with $status but reported no failed test; counting one failure." >&2
  failed=1
fi
if [ "$assemblies" -eq 0 ]; then
  echo "test.sh: no test assembly reported results." >&2
  failed=$((failed + 1))
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
