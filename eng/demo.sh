#!/usr/bin/env bash
# The main job on a fresh machine: packs TorchEnv, installs the torchenv-train template into a private template hive
# (the user's own templates stay untouched), creates a locked training project from it in artifacts/demo, builds it on
# the packed TorchEnv.Sdk and trains it on the bundled data set (CPU, the template's defaults, plus --profile for a
# trace). Network: package restore only. Each run starts from an empty artifacts/demo.
#
#   ./eng/demo.sh                 the whole job (about 1.5 minutes on 2 cores once the packages are cached)
#   ./eng/demo.sh --epochs 1      extra arguments go to the training program (`--help` lists them)
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
demo="$root/artifacts/demo"
hive="$demo/.template-hive"
name="ShapesDemo"
project="$demo/$name"
started=$(date +%s)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

./eng/install-prerequisites.sh
echo "== pack (artifacts/packages)"
dotnet pack Sdk.sln -c Release -o artifacts/packages -v q --nologo -clp:ErrorsOnly

echo "== template into a private hive ($hive)"
rm -rf "$demo"
mkdir -p "$demo"
# artifacts/demo lies inside this repository: stop its build settings (warnings as errors, central package versions)
# from reaching the demo, which must build like a user's project anywhere else.
for file in Directory.Build.props Directory.Build.targets Directory.Packages.props; do
  echo "<Project />" > "$demo/$file"
done
templates=(artifacts/packages/TorchEnv.Templates.*.nupkg)
dotnet new install "${templates[0]}" --debug:custom-hive "$hive" >/dev/null

echo "== dotnet new torchenv-train -n $name"
dotnet new torchenv-train -n "$name" -o "$project" --no-restore --no-update-check --debug:custom-hive "$hive" >/dev/null
# The packed TorchEnv.Sdk and TorchEnv.Training come from artifacts/packages, everything else from nuget.org.
cat > "$project/NuGet.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="torchenv-artifacts" value="$root/artifacts/packages" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
</configuration>
CONFIG

cd "$project"
echo "== build: locks environment.yml into environment.lock.yml, then builds again in locked mode (as CI would)"
# The first build writes the lock even when CI=true is set in this shell; the second proves the lock is complete.
dotnet build -c Release -v q --nologo -clp:ErrorsOnly -p:TorchEnvLockedMode=false
dotnet build -c Release -v q --nologo -clp:ErrorsOnly -p:TorchEnvLockedMode=true

echo "== train (CPU, bundled data set; template defaults + --profile)"
log="$demo/train.log"
dotnet "bin/Release/net10.0/$name.dll" --profile "$@" 2>&1 | tee "$log"

accuracy=$(grep -oE 'test accuracy [0-9.]+ ?%' "$log" | tail -n 1 | grep -oE '[0-9.]+ ?%' || true)
trace=$(grep -oE '^trace: .*' "$log" | head -n 1 | cut -c 8- || true)
if [ -n "$trace" ] && [ "${trace:0:1}" != "/" ]; then trace="$project/$trace"; fi
echo
echo "== done in $(( $(date +%s) - started )) s"
echo "final test accuracy: ${accuracy:-(none printed)}"
echo "project:     $project (environment.yml + environment.lock.yml)"
echo "checkpoint:  $project/checkpoints/last.ckpt"
echo "trace:       ${trace:-(none)}"
echo "tensorboard: $project/runs (one folder per run: tensorboard --logdir runs)"
echo "log:         $log"
