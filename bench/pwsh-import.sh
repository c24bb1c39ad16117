#!/usr/bin/env bash
# Benchmark: in pwsh, `Import-Module` of the staged module plus `Add-EsxDepot` on the sample depot,
# timed inside the session (pwsh's own start-up is not counted), several fresh sessions; prints the median and its
# ratio to the 1 s goal. Stages the module first (build.ps1 -SkipTests). Usage: bench/pwsh-import.sh [runs] (default 5).
set -euo pipefail
RUNS=${1:-5}
REPO=$(cd "$(dirname "$0")/.." && pwd)
PWSH=$(command -v pwsh || echo "$HOME/.dotnet/tools/pwsh")
cd "$REPO"
echo "staging the module..." >&2
"$PWSH" -NoProfile -File ./build.ps1 -SkipTests >/dev/null
S=$(mktemp /tmp/esxit-pwshbench-XXXXXX.ps1)
trap 'rm -f "$S"' EXIT
cat > "$S" <<'PS'
$sw = [Diagnostics.Stopwatch]::StartNew()
Import-Module ./out/ESXiImageTools/0.1.0/ESXiImageTools.psd1
$import = $sw.Elapsed.TotalMilliseconds
$depot = Add-EsxDepot ./samples/depot/ESXi-8.0.0-sample-depot.zip
if (-not $depot) { throw 'Add-EsxDepot returned nothing' }
"{0:0} {1:0}" -f $import, $sw.Elapsed.TotalMilliseconds
PS
: > /tmp/esxit-pwshbench.times
for r in $(seq 1 "$RUNS"); do
  read -r imp total < <("$PWSH" -NoProfile -File "$S")
  echo "run $r: Import-Module ${imp} ms, Import-Module + Add-EsxDepot ${total} ms" >&2
  echo "$total" >> /tmp/esxit-pwshbench.times
done
M=$(sort -n /tmp/esxit-pwshbench.times | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}')
rm -f /tmp/esxit-pwshbench.times
echo "Import-Module + Add-EsxDepot: median ${M} ms over ${RUNS} sessions; ratio to the 1 s goal $(awk "BEGIN{printf \"%.2f\", $M/1000}")"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
