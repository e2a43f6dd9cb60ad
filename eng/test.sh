#!/usr/bin/env bash
# Runs every test of TorchEnv on a fresh machine: builds the solution (test projects included), packs the four
# packages (the end-to-end tests install them from artifacts/packages like a user would), then runs the test projects.
# tests/Training.Tests builds on the packed TorchEnv.Sdk (dogfooding), so Sdk.sln lists it without building it and it
# is built and run here, after the pack.
set -euo pipefail
cd "$(dirname "$0")/.."
./eng/install-prerequisites.sh
dotnet build Sdk.sln -c Release
dotnet pack Sdk.sln -c Release -o artifacts/packages
status=0
dotnet test Sdk.sln -c Release --no-build --logger "console;verbosity=normal" "$@" || status=$?
dotnet test tests/Training.Tests -c Release --logger "console;verbosity=normal" "$@" || status=$?
exit $status
