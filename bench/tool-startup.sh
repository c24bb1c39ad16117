#!/usr/bin/env bash
# Benchmark: start-up of `esximage inspect <small.vib>` as installed by `dotnet tool install` from the packages
# `./build.ps1 -Package` writes (on linux-x64: the Native AOT esximage.linux-x64), side by side with the one-file
# Native AOT publish (bench/startup.sh) and the framework-dependent fallback esximage.any, by hyperfine. Prints the
# means and the ratios installed/AOT publish (goal: about 1) and fallback/AOT publish. Needs hyperfine, pwsh
# (`dotnet tool restore`) and the Native AOT prerequisites (a C toolchain).
# Usage: bench/tool-startup.sh [runs]   (default 30)
set -euo pipefail
RUNS=${1:-30}
REPO=$(cd "$(dirname "$0")/.." && pwd)
OUT=$(mktemp -d /tmp/esxit-toolstart-XXXXXX)
trap 'rm -rf "$OUT"' EXIT
VIB=$(ls "$REPO"/samples/drivers/*.vib | head -1)
VERSION=$(sed -n "s/^ *ModuleVersion *= *'\(.*\)'.*/\1/p" "$REPO/ESXiImageTools.psd1")
echo "packing (build.ps1 -Package), installing and publishing Native AOT..." >&2
start=$(date +%s)
(cd "$REPO" && dotnet pwsh -NoProfile -File ./build.ps1 -SkipTests -Package -OutputPath "$OUT/out" >/dev/null)
echo "build.ps1 -SkipTests -Package: $(( $(date +%s) - start )) s" >&2
dotnet tool install --tool-path "$OUT/tool" esximage --add-source "$OUT/out/packages" --version "$VERSION" >/dev/null
dotnet tool install --tool-path "$OUT/any" esximage.any --add-source "$OUT/out/packages" --version "$VERSION" >/dev/null
dotnet publish "$REPO/src/ESXiImageTools.Cli" -c Release -r linux-x64 -p:EsxImageAot=true -o "$OUT/aot" -v q -nologo >/dev/null
cmp <("$OUT/tool/esximage" inspect "$VIB" --json) <("$OUT/aot/esximage" inspect "$VIB" --json) >/dev/null || { echo "installed and AOT outputs differ" >&2; exit 1; }
hyperfine -N -w 3 -r "$RUNS" --export-json "$OUT/h.json" \
  "$OUT/tool/esximage inspect $VIB" "$OUT/aot/esximage inspect $VIB" "$OUT/any/esximage inspect $VIB" >&2
python3 - "$OUT/h.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
tool, aot, fd = (x["mean"] * 1000 for x in r)
print(f"inspect of a small VIB: installed tool {tool:.1f} ms, AOT publish {aot:.1f} ms, esximage.any {fd:.1f} ms; "
      f"ratio installed/AOT {tool/aot:.2f}, esximage.any/AOT {fd/aot:.2f}")
PY
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
