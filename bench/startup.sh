#!/usr/bin/env bash
# Benchmark: start-up of `esximage inspect <small.vib>` published as one Native AOT file, side by side with
# the framework-dependent build (`dotnet esximage.dll`), by hyperfine; prints the means, the ratio AOT/JIT and the
# AOT mean's ratio to the 50 ms goal. Needs hyperfine and the Native AOT prerequisites (a C toolchain).
# Usage: bench/startup.sh [runs]   (default 30)
set -euo pipefail
RUNS=${1:-30}
REPO=$(cd "$(dirname "$0")/.." && pwd)
OUT=$(mktemp -d /tmp/esxit-startup-XXXXXX)
trap 'rm -rf "$OUT"' EXIT
VIB=$(ls "$REPO"/samples/drivers/*.vib | head -1)
echo "publishing Native AOT and building the JIT CLI..." >&2
dotnet publish "$REPO/src/ESXiImageTools.Cli" -c Release -r linux-x64 -p:EsxImageAot=true -o "$OUT/aot" -v q -nologo >/dev/null
dotnet build "$REPO/src/ESXiImageTools.Cli" -c Release -v q -nologo >/dev/null
JIT="dotnet $REPO/src/ESXiImageTools.Cli/bin/Release/net10.0/esximage.dll"
cmp <("$OUT/aot/esximage" inspect "$VIB" --json) <($JIT inspect "$VIB" --json) >/dev/null || { echo "AOT and JIT outputs differ" >&2; exit 1; }
hyperfine -N -w 3 -r "$RUNS" --export-json "$OUT/h.json" "$OUT/aot/esximage inspect $VIB" "$JIT inspect $VIB" >&2
python3 - "$OUT/h.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
aot, jit = r[0]["mean"] * 1000, r[1]["mean"] * 1000
print(f"inspect of a small VIB: Native AOT {aot:.1f} ms, dotnet esximage.dll {jit:.1f} ms; ratio AOT/JIT {aot/jit:.2f}; AOT to the 50 ms goal {aot/50:.2f}")
PY
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
