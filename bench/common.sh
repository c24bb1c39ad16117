# Shared by the bench scripts (sourced after they set REPO and W): which esximage to time, timing, medians, CPU hogs.

# Sets BIN to the esximage to time: ESXIMAGE=aot publishes the one-file Native AOT build (as README's install section
# does) into $W/aot; ESXIMAGE=<command> times that; otherwise $1, the script's default build.
esximage_bin() {
  BIN=${ESXIMAGE:-$1}
  if [ "${ESXIMAGE:-}" = aot ]; then
    echo "publishing the Native AOT esximage..." >&2
    dotnet publish "$REPO/src/ESXiImageTools.Cli" -c Release -r linux-x64 -p:EsxImageAot=true -o "$W/aot" -v q -nologo >/dev/null
    BIN=$W/aot/esximage
  fi
}

# Builds the Release CLI and the bench generator; sets BIN (esximage_bin's choice, default the JIT build) and GEN.
build_cli_and_generator() {
  echo "building Release CLI and generator..." >&2
  dotnet build "$REPO/src/ESXiImageTools.Cli" -c Release -v q -nologo >/dev/null
  dotnet build "$REPO/bench/ESXiImageTools.Bench" -c Release -v q -nologo >/dev/null 2>&1
  esximage_bin "dotnet $REPO/src/ESXiImageTools.Cli/bin/Release/net10.0/esximage.dll"
  GEN="dotnet $REPO/bench/ESXiImageTools.Bench/bin/Release/net10.0/ESXiImageTools.Bench.dll"
}

# Runs a command under /usr/bin/time; prints "<wall ms> <max RSS KiB>"; stops the script when it fails.
measure() {
  local start end
  start=$(date +%s%N)
  /usr/bin/time -f '%M' -o "$W/rss" "$@" >/dev/null 2>"$W/err" || { cat "$W/err" >&2; exit 1; }
  end=$(date +%s%N)
  echo "$(( (end - start) / 1000000 )) $(cat "$W/rss")"
}

# The median of the numbers on stdin, one per line.
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }

# HOG=N: N busy loops beside the measurement (HOG=2 keeps both cores of a 2-core machine busy); stop_hogs ends them.
HOGS=()
start_hogs() { for _ in $(seq 1 "${HOG:-0}"); do (while :; do :; done) & HOGS+=($!); done; }
stop_hogs() { for h in "${HOGS[@]}"; do kill "$h" 2>/dev/null || true; done; HOGS=(); }
