#!/usr/bin/env bash
# No-op incremental `dotnet build` of a TorchSharp project on TorchEnv.Sdk against the same project on Microsoft.NET.Sdk
# with the same exact PackageReferences (the locked closure): interleaved runs with MSBuild node reuse on (what users
# get) and off (-nodeReuse:false), medians, ratios and their spread (goal <= 1.05 in both), then a split of the
# difference read from MSBuild's evaluation profile and performance summary (measure.py).
# Two more projects with the same references split it further:
#   off      TorchEnv.Sdk with EnableTorchEnv=false: the SDK resolved and imported, none of TorchEnv's targets active;
#   control  an empty SDK (its Sdk.props / Sdk.targets only import Microsoft.NET.Sdk's), packed by this script into a
#            local feed and resolved by the same NuGet MSBuild SDK resolver: what any NuGet-delivered SDK costs, with
#            nothing of TorchEnv in it.
#
# Usage: bench/sdk/noop-build.sh [RUNS]   (default 10; needs artifacts/packages: dotnet pack Sdk.sln -c Release -o artifacts/packages)
# Env:   MODES=on,off,server   (default all three) server: the MSBuild server (DOTNET_CLI_USE_MSBUILD_SERVER=1), opt-in in
#                              .NET 10, on by default from .NET 11; the bench also checks that its memory map never got
#                              TorchEnv's task assembly
#        SPLIT_RUNS=3            profiled builds of each project for the split
#        WORK=dir                set-up folder to (re)use and keep (default: a temporary folder, deleted at the end)
set -euo pipefail
runs=${1:-10}
repo=$(cd "$(dirname "$0")/../.." && pwd)
feed="$repo/artifacts/packages"
sdk_package=$(ls -t "$feed"/TorchEnv.Sdk.*.nupkg 2>/dev/null | head -n 1 || true)
if [ -z "$sdk_package" ]; then
  echo "No TorchEnv.Sdk package in $feed: run dotnet pack Sdk.sln -c Release -o artifacts/packages first." >&2
  exit 66
fi
version=$(basename "$sdk_package" .nupkg); version=${version#TorchEnv.Sdk.}

if [ -n "${WORK:-}" ]; then
  work=$(mkdir -p "$WORK" && cd "$WORK" && pwd)
else
  work=$(mktemp -d -t torchenv-bench-XXXXXX)
  trap 'rm -rf "$work"' EXIT
fi
# Set-up builds run without node reuse (this machine's default); measure.py sets the mode of every timed build.
export NUGET_PACKAGES="$work/packages" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1 \
       DOTNET_CLI_USE_MSBUILD_SERVER=0 MSBUILDTERMINALLOGGER=off
unset CI ContinuousIntegrationBuild TORCHENV_LOCKED
mkdir -p "$work/feed"
echo '<Project />' > "$work/Directory.Build.props"
echo '<Project />' > "$work/Directory.Build.targets"
cat > "$work/NuGet.config" <<XML
<configuration>
  <packageSources>
    <clear />
    <add key="torchenv-local" value="$feed" />
    <add key="bench-local" value="$work/feed" />
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
# The control SDK: a package of type MSBuildSdk whose Sdk.props / Sdk.targets only import Microsoft.NET.Sdk's.
python3 - "$work/feed/Bench.Empty.Sdk.1.0.0.nupkg" <<'PY'
import os, sys, zipfile
os.makedirs(os.path.dirname(sys.argv[1]), exist_ok=True)
files = {
    "Bench.Empty.Sdk.nuspec": '<?xml version="1.0"?><package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">'
        '<metadata><id>Bench.Empty.Sdk</id><version>1.0.0</version><authors>bench</authors><description>empty</description>'
        '<packageTypes><packageType name="MSBuildSdk" /></packageTypes></metadata></package>',
    "Sdk/Sdk.props": '<Project><Import Project="Sdk.props" Sdk="Microsoft.NET.Sdk" /></Project>',
    "Sdk/Sdk.targets": '<Project><Import Project="Sdk.targets" Sdk="Microsoft.NET.Sdk" /></Project>',
    "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="nuspec" ContentType="application/octet" /><Default Extension="props" ContentType="application/octet" />'
        '<Default Extension="targets" ContentType="application/octet" /></Types>',
}
with zipfile.ZipFile(sys.argv[1], "w") as package:
    for name, text in files.items():
        package.writestr(name, text)
PY
mkdir -p "$work/control"
echo "<Project Sdk=\"Bench.Empty.Sdk/1.0.0\"><PropertyGroup>$properties</PropertyGroup><ItemGroup>$references</ItemGroup></Project>" > "$work/control/control.csproj"
echo "$program" > "$work/control/Program.cs"
echo "Building the control project (an empty SDK from a local feed, resolved by NuGet's SDK resolver) once..." >&2
setup_build "$work/control"
echo "Plain project references: $(echo "$references" | tr '\n' ' ')" >&2

python3 -u "$(dirname "$0")/measure.py" --work "$work" --runs "$runs" --split-runs "${SPLIT_RUNS:-3}" --modes "${MODES:-on,off,server}" \
  --project "torchenv=TorchEnv.Sdk $version" --project "plain=Microsoft.NET.Sdk" \
  --project "control=empty NuGet-resolved SDK (control)" --project "off=TorchEnv.Sdk, EnableTorchEnv=false"
