#!/usr/bin/env bash
# Runs every test of TorchEnv on a fresh machine: builds the solution (test projects included), packs the four
# packages (the end-to-end tests install them from artifacts/packages like a user would), then runs the test projects.
# tests/Training.Tests builds on the packed TorchEnv.Sdk (dogfooding), so Sdk.sln lists it without building it and it
# is built and run here, after the pack.
# The failed tests are repeated at the end with their messages, so a log cut to its last lines still names them.
set -euo pipefail
cd "$(dirname "$0")/.."
# CI runners set CI=true, which turns on TorchEnv's locked mode; set it everywhere so a test that leaks it into a
# child build fails on a developer's machine too, not only in CI.
export CI=true
./eng/install-prerequisites.sh
dotnet build Sdk.sln -c Release
dotnet pack Sdk.sln -c Release -o artifacts/packages
log=artifacts/test-results/console.log
mkdir -p "$(dirname "$log")"
: > "$log"
status=0
dotnet test Sdk.sln -c Release --no-build --logger "console;verbosity=normal" "$@" 2>&1 | tee -a "$log" || status=$?
dotnet test tests/Training.Tests -c Release --logger "console;verbosity=normal" "$@" 2>&1 | tee -a "$log" || status=$?
if [ "$status" -ne 0 ]; then
  echo
  echo "=== failed tests (from $log) ==="
  # From each "Failed <test>" line through its error message, up to the stack trace's first 12 lines.
  awk '/^[[:space:]]+(Passed|Skipped) / { show = 0 }
       /^[[:space:]]+Failed [A-Za-z]/ { show = 1; stack = 0 }
       show && /^[[:space:]]+Stack Trace:/ { stack = 1 }
       show { print; if (stack && ++stack > 13) show = 0 }' "$log" | head -n 400
  grep -E "^(Failed!|Passed!) " "$log" || true
fi
exit $status
