#!/usr/bin/env bash
# Benchmark: what a first lock of the template's 3-platform CPU spec (linux-x64, win-x64, osx-arm64) costs on a Linux
# machine, from an empty global packages folder and empty NuGet HTTP cache:
#   1. bytes left in the global packages folder for packages no linux-x64 restore needs (goal 0);
#   2. first-lock wall time ÷ a plain `dotnet restore` of the linux-x64 packages into an empty folder (goal <= 1.5);
#   3. packages read when a platform is added to a locked spec (goal: only the new platform's).
# Not a test: it prints figures and asserts nothing. Needs the network (the registry in NuGet.config).
#
#   bench/lock-cost/run.sh
#   SKIP_PACK=1 bench/lock-cost/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="${WORK:-$here/.work}"

rm -rf "$work/lock" "$work/restore" "$work/relock"
mkdir -p "$work"
if [ "${SKIP_PACK:-0}" != "1" ]; then
  dotnet pack "$repo/src/Tool" -c Release -o "$work/packages" -v q --nologo >/dev/null
  rm -rf "$work/tools"
  dotnet tool install --tool-path "$work/tools" --add-source "$work/packages" TorchEnv.Tool >/dev/null
fi
torchenv="$work/tools/torchenv"

# The template's CPU spec, without TorchEnv.Training (it comes from this repository's packages, not the registry).
spec() { # $1 = folder, $2 = platforms
  mkdir -p "$1"
  cp "$repo/NuGet.config" "$1/NuGet.config"
  cat > "$1/environment.yml" <<YAML
name: bench_torchsharp_cpu
policy: research
platforms: [$2]
dependencies:
  - dotnet-sdk=10.0.*
  - torchsharp=0.107.*
  - cpu
  - nuget:
      - SkiaSharp.NativeAssets.Linux.NoDependencies=2.88.6
YAML
}

# Every run starts cold: its own empty global packages folder, HTTP cache, fact cache and registry of known locks.
isolated() { # $1 = name; prints the environment for a run
  echo "NUGET_PACKAGES=$work/$1/packages NUGET_HTTP_CACHE_PATH=$work/$1/http-cache TORCHENV_PACKAGE_FACTS=$work/$1/facts.json TORCHENV_LOCK_REGISTRY=$work/$1/locks.json"
}

now() { date +%s.%N; }

# 1 + 2: first lock of the 3-platform spec.
spec "$work/lock/app" "linux-x64, win-x64, osx-arm64"
start=$(now)
env $(isolated lock) "$torchenv" lock --verbose -f "$work/lock/app/environment.yml" 2> "$work/lock/lock.log" >/dev/null
lock_seconds=$(echo "$(now) - $start" | bc)
read_line=$(grep -o 'packages: .*' "$work/lock/lock.log" | tail -1 || true)

# A plain restore of the linux-x64 entry's packages (the same versions) into an empty folder.
mkdir -p "$work/restore/project"
python3 "$repo/bench/lock-check/restore_project.py" "$work/lock/app/environment.lock.yml" "$work/restore/project/Bench.csproj" >/dev/null
cp "$repo/NuGet.config" "$work/restore/project/NuGet.config"
echo '{ "sdk": { "version": "'"$(dotnet --version)"'", "rollForward": "latestFeature" } }' > "$work/restore/project/global.json"
sed -i 's|<RestorePackagesWithLockFile>true</RestorePackagesWithLockFile>||' "$work/restore/project/Bench.csproj"
start=$(now)
env $(isolated restore) dotnet restore "$work/restore/project/Bench.csproj" -v q --nologo >/dev/null
restore_seconds=$(echo "$(now) - $start" | bc)

# 3: lock linux-x64 + win-x64, then add osx-arm64 and lock again (the fact cache of the first lock is kept).
spec "$work/relock/app" "linux-x64, win-x64"
env $(isolated relock) "$torchenv" lock -f "$work/relock/app/environment.yml" 2>/dev/null >/dev/null
spec "$work/relock/app" "linux-x64, win-x64, osx-arm64"
env $(isolated relock) "$torchenv" lock --verbose -f "$work/relock/app/environment.yml" 2> "$work/relock/lock.log" >/dev/null
relock_line=$(grep -o 'packages: .*' "$work/relock/lock.log" | tail -1 || true)

python3 "$here/report.py" \
  --lock "$work/lock/app/environment.lock.yml" --packages "$work/lock/packages" --restored "$work/restore/packages" \
  --lock-seconds "$lock_seconds" --restore-seconds "$restore_seconds" --lock-read "$read_line" \
  --relock "$work/relock/app/environment.lock.yml" --relock-read "$relock_line"
