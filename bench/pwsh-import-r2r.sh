#!/usr/bin/env bash
# Benchmark: does ReadyToRun (crossgen2, linux-x64) of the module's engine, SharpZipLib and cmdlet assembly cut
# Import-Module + the first Add-EsxDepot, and the first ISO export, in a fresh pwsh? Stages the module
# (build.ps1 -SkipTests), makes an R2R copy with the crossgen2 of the NuGet copy (restored through a scratch project
# with PublishReadyToRun), then alternates fresh sessions of each copy. Prints medians and the R2R/plain ratios.
# Usage: bench/pwsh-import-r2r.sh [runs] (default 7).
set -euo pipefail
RUNS=${1:-7}
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
PWSH=(dotnet pwsh)
W=$(mktemp -d /tmp/esxit-r2rbench-XXXXXX)
trap 'rm -rf "$W"' EXIT
echo "staging the module..." >&2
"${PWSH[@]}" -NoProfile -File ./build.ps1 -SkipTests >/dev/null
mkdir -p "$W/scratch"
cat > "$W/scratch/r.csproj" <<'XML'
<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework>
<RuntimeIdentifier>linux-x64</RuntimeIdentifier><PublishReadyToRun>true</PublishReadyToRun><SelfContained>false</SelfContained></PropertyGroup></Project>
XML
dotnet restore "$W/scratch/r.csproj" >/dev/null
NUGET=${NUGET_PACKAGES:-$HOME/.nuget/packages}
RT=$(dotnet --list-runtimes | awk '/Microsoft.NETCore.App/ {v=$2; d=$3} END {gsub(/[\[\]]/, "", d); print d "/" v}')
CG=$(ls -d "$NUGET"/microsoft.netcore.app.crossgen2.linux-x64/"$(basename "$RT")"/tools)/crossgen2
SMA=$(find "$NUGET/powershell" -path '*unix*' -name System.Management.Automation.dll | head -1)
cp -r out/ESXiImageTools "$W/plain"
cp -r out/ESXiImageTools "$W/r2r"
for f in Dependencies/ESXiImageTools.Core.dll Dependencies/ICSharpCode.SharpZipLib.dll ESXiImageTools.dll; do
  "$CG" "out/ESXiImageTools/0.1.0/$f" -o "$W/r2r/0.1.0/$f" --targetos linux --targetarch x64 -O \
    -r "$RT/" -r "$W/plain/0.1.0/Dependencies/" -r "$(dirname "$SMA")/" >/dev/null
done
cat > "$W/run.ps1" <<'PS'
param([string] $Module, [string] $Iso)
$sw = [Diagnostics.Stopwatch]::StartNew()
Import-Module $Module
$depot = Add-EsxDepot ./samples/depot/ESXi-8.0.0-sample-depot.zip
$first = $sw.Elapsed.TotalMilliseconds
$p = Get-EsxProfile -Name '*-standard' -Depot $depot
Export-EsxProfileToIso -Profile $p -FilePath $Iso -NoSignatureCheck -Force -WarningAction SilentlyContinue | Out-Null
"{0:0} {1:0}" -f $first, ($sw.Elapsed.TotalMilliseconds - $first)
PS
: > "$W/plain.t"; : > "$W/r2r.t"
for r in $(seq 1 "$RUNS"); do
  for kind in plain r2r; do
    read -r first export < <("${PWSH[@]}" -NoProfile -File "$W/run.ps1" "$W/$kind/0.1.0/ESXiImageTools.psd1" "$W/$kind.iso")
    echo "run $r $kind: Import-Module + Add-EsxDepot ${first} ms, first export ${export} ms" >&2
    echo "$first $export" >> "$W/$kind.t"
  done
done
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }
for kind in plain r2r; do
  eval "${kind}_first=$(cut -d' ' -f1 "$W/$kind.t" | median)"
  eval "${kind}_export=$(cut -d' ' -f2 "$W/$kind.t" | median)"
done
echo "Import-Module + first Add-EsxDepot: plain ${plain_first} ms, R2R ${r2r_first} ms; ratio $(awk "BEGIN{printf \"%.2f\", $r2r_first/$plain_first}")"
echo "first export: plain ${plain_export} ms, R2R ${r2r_export} ms; ratio $(awk "BEGIN{printf \"%.2f\", $r2r_export/$plain_export}")"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
