#!/usr/bin/env bash
# No-op incremental `dotnet build` of a TorchSharp project on TorchEnv.Sdk against the same project on Microsoft.NET.Sdk
# with the same exact PackageReferences (the locked closure), interleaved runs, printed as a ratio (goal <= 1.05).
# A third project, on TorchEnv.Sdk with EnableTorchEnv=false and the same references, splits the difference into what
# any NuGet-delivered MSBuild SDK costs (MSBuild's NuGet SDK resolver runs in restore's and in build's evaluation) and
# what TorchEnv's own targets cost.
#
# Usage: bench/sdk/noop-build.sh [RUNS]   (default 15; needs artifacts/packages: dotnet pack Sdk.sln -c Release -o artifacts/packages)
# Env:   KEEP=1 keeps the temporary folder.
set -euo pipefail
runs=${1:-15}
repo=$(cd "$(dirname "$0")/../.." && pwd)
feed="$repo/artifacts/packages"
sdk_package=$(ls -t "$feed"/TorchEnv.Sdk.*.nupkg 2>/dev/null | head -n 1 || true)
if [ -z "$sdk_package" ]; then
  echo "No TorchEnv.Sdk package in $feed: run dotnet pack Sdk.sln -c Release -o artifacts/packages first." >&2
  exit 66
fi
version=$(basename "$sdk_package" .nupkg); version=${version#TorchEnv.Sdk.}

work=$(mktemp -d -t torchenv-bench-XXXXXX)
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT
export NUGET_PACKAGES="$work/packages" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1 \
       DOTNET_CLI_DO_NOT_USE_MSBUILD_SERVER=1 MSBUILDTERMINALLOGGER=off
unset CI ContinuousIntegrationBuild TORCHENV_LOCKED
echo '<Project />' > "$work/Directory.Build.props"
echo '<Project />' > "$work/Directory.Build.targets"
cat > "$work/NuGet.config" <<XML
<configuration>
  <packageSources>
    <clear />
    <add key="torchenv-local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
</configuration>
XML
# Set-up builds print their output when they fail (set -e would otherwise end the script silently).
setup_build() {
  local log
  if ! log=$(dotnet build "$1" -nologo -v q 2>&1); then
    echo "$log" >&2
    echo "Set-up build of $1 failed." >&2
    exit 1
  fi
}

program='using TorchSharp;
System.Console.WriteLine(torch.arange(1, 5).sum().item<long>());'
properties='<OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable>'

mkdir -p "$work/torchenv" "$work/plain"
cat > "$work/torchenv/environment.yml" <<YAML
name: bench_net10_cpu
channels: [nuget.org]
platforms: [linux-x64]
dependencies:
  - torchsharp=0.107.0
  - cpu
YAML
echo "<Project Sdk=\"TorchEnv.Sdk/$version\"><PropertyGroup>$properties</PropertyGroup></Project>" > "$work/torchenv/torchenv.csproj"
echo "$program" > "$work/torchenv/Program.cs"
echo "Locking and building the TorchEnv.Sdk project once ($work)..." >&2
setup_build "$work/torchenv"

# The plain project gets exactly the references TorchEnv.Sdk gave NuGet (the PackageReference items of its generated file).
references=$(awk '
  /<_TorchEnvLockedItem Include=/ { match($0, /Include="[^"]*"/); id = substr($0, RSTART + 9, RLENGTH - 10); kind = ""; version = "" }
  /<TorchEnvItemKind>/ { gsub(/.*<TorchEnvItemKind>|<\/TorchEnvItemKind>.*/, ""); kind = $0 }
  /<Version>/ { gsub(/.*<Version>|<\/Version>.*/, ""); version = $0 }
  /<\/_TorchEnvLockedItem>/ { if (kind == "PackageReference") printf "<PackageReference Include=\"%s\" Version=\"%s\" />\n", id, version }
' "$work"/torchenv/obj/Debug/net10.0/torchenv.torchenv.packages.proj)
echo "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup>$properties</PropertyGroup><ItemGroup>$references</ItemGroup></Project>" > "$work/plain/plain.csproj"
echo "$program" > "$work/plain/Program.cs"
echo "Building the Microsoft.NET.Sdk project once..." >&2
setup_build "$work/plain"
mkdir -p "$work/off"
echo "<Project Sdk=\"TorchEnv.Sdk/$version\"><PropertyGroup>$properties<EnableTorchEnv>false</EnableTorchEnv></PropertyGroup><ItemGroup>$references</ItemGroup></Project>" > "$work/off/off.csproj"
echo "$program" > "$work/off/Program.cs"
echo "Building the TorchEnv.Sdk project with EnableTorchEnv=false once..." >&2
setup_build "$work/off"
echo "Plain project references: $(echo "$references" | tr '\n' ' ')" >&2

# Prints "<wall ms> <cpu ms>" of one build. CPU time (user + system of dotnet and the MSBuild nodes it reaps) is far
# less disturbed than wall time when other work shares the machine; both are reported.
time_build() {
  local start end cpu
  start=$(date +%s%N)
  cpu=$( { dotnet build "$1" -nologo -v q >/dev/null; times; } | tail -n 1 \
    | awk '{ n = 0; for (i = 1; i <= 2; i++) { split($i, p, /[ms]/); n += p[1] * 60000 + p[2] * 1000 } printf "%d", n }')
  end=$(date +%s%N)
  echo "$(( (end - start) / 1000000 )) $cpu"
}

# One warm-up each, then interleaved rounds (the order rotates) so drift of the machine hits all alike.
time_build "$work/torchenv" >/dev/null; time_build "$work/plain" >/dev/null; time_build "$work/off" >/dev/null
declare -A wall cpu
record() { local r; r=$(time_build "$work/$1"); wall[$1]+=" ${r% *}"; cpu[$1]+=" ${r#* }"; }
for i in $(seq 1 "$runs"); do
  case $((i % 3)) in
    0) record plain; record off; record torchenv ;;
    1) record torchenv; record plain; record off ;;
    2) record off; record torchenv; record plain ;;
  esac
done

median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
report() {
  local label=$1; shift
  local -n times=$1
  local t p o
  t=$(median ${times[torchenv]}); p=$(median ${times[plain]}); o=$(median ${times[off]})
  echo "$label (median of $runs interleaved runs):"
  echo "  TorchEnv.Sdk $version:                  ${t} ms   (all:${times[torchenv]})"
  echo "  TorchEnv.Sdk, EnableTorchEnv=false:     ${o} ms   (all:${times[off]})"
  echo "  Microsoft.NET.Sdk:                      ${p} ms   (all:${times[plain]})"
  awk -v t="$t" -v p="$p" -v o="$o" 'BEGIN {
    printf "  ratio TorchEnv.Sdk / Microsoft.NET.Sdk: %.3f (goal <= 1.05)\n", t / p
    printf "    of which SDK resolution through NuGet (off / plain): %.3f; TorchEnv targets (TorchEnv / off): %.3f\n", o / p, t / o
  }'
}

echo "no-op dotnet build; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
report "wall time" wall
report "CPU time (user + system)" cpu
