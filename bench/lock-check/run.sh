#!/usr/bin/env bash
# Benchmark: `torchenv lock --check` on a locked CPU project against a no-op `dotnet restore --locked-mode` of the same
# packages (a project whose PackageReferences are the locked cpu/linux-x64 packages, with a packages.lock.json).
# Both run on a warm machine (packages in the global folder, the lock up to date); runs are interleaved and the medians
# and their ratio printed (goal: ratio <= 0.5). Not a test: it asserts nothing.
#
#   bench/lock-check/run.sh            # 10 runs of each
#   RUNS=20 bench/lock-check/run.sh
#
# The first run downloads TorchSharp and libtorch-cpu-linux-x64 (~200 MB) unless they are in the global packages folder.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="${WORK:-$here/.work}"
runs="${RUNS:-10}"

mkdir -p "$work"
# The tool as users get it: packed, then installed from the package into a tool folder.
if [ "${SKIP_PACK:-0}" != "1" ]; then
  dotnet pack "$repo/src/Tool" -c Release -o "$work/packages" -v q --nologo >/dev/null
  rm -rf "$work/tools"
  dotnet tool install --tool-path "$work/tools" --add-source "$work/packages" TorchEnv.Tool >/dev/null
fi
torchenv="$work/tools/torchenv"

# The locked project (CPU, linux-x64).
app="$work/app"
mkdir -p "$app"
[ -f "$app/environment.yml" ] || "$torchenv" init -f "$app/environment.yml" --name bench_torchsharp_cpu --platform linux-x64 >/dev/null
"$torchenv" lock -f "$app/environment.yml" >/dev/null

# The same packages as a plain NuGet project with packages.lock.json.
restore="$work/restore"
mkdir -p "$restore"
python3 "$here/restore_project.py" "$app/environment.lock.yml" "$restore/Bench.csproj"
cp "$repo/NuGet.config" "$restore/NuGet.config"
echo '{ "sdk": { "version": "'"$(dotnet --version)"'", "rollForward": "latestFeature" } }' > "$restore/global.json"
rm -f "$restore/packages.lock.json"
dotnet restore "$restore/Bench.csproj" -v q --nologo >/dev/null

python3 "$here/bench.py" --runs "$runs" \
  --name "torchenv lock --check" --command "$torchenv lock --check -f $app/environment.yml" \
  --name "dotnet restore --locked-mode" --command "dotnet restore $restore/Bench.csproj --locked-mode -v q --nologo"
