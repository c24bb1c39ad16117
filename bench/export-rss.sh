#!/usr/bin/env bash
# Benchmark: peak RSS of `esximage build --iso` as the export grows, on the same 106-package profile
# at every size (bench/ESXiImageTools.Bench make-export-depot). Goal: ≤ 90 MiB, and flat within 5 MiB from 40 MB
# to 4 GB. Prints one line per size and the spread. Needs ~3× the largest size free in /tmp.
# ESXIMAGE=aot publishes and measures the one-file Native AOT esximage; ESXIMAGE=<path> another build.
# Usage: bench/export-rss.sh [megabytes...]   (default 40 400 2000 4000)
set -euo pipefail
SIZES=${*:-40 400 2000 4000}
REPO=$(cd "$(dirname "$0")/.." && pwd)
W=$(mktemp -d /tmp/esxit-rssbench-XXXXXX)
trap 'rm -rf "$W"' EXIT
. "$REPO/bench/common.sh"
build_cli_and_generator
: > "$W/all"
for mb in $SIZES; do
  d=$W/depot-$mb
  $GEN make-export-depot "$d" "$mb" >&2
  rm -f "$W/out.iso"
  start=$(date +%s%N)
  /usr/bin/time -f '%M' -o "$W/rss" $BIN build --depot "$d/bench-depot.zip" --profile ESXi-8.0.0-bench-standard \
      --iso "$W/out.iso" --timestamp 1700000000 --no-signature-check --force >/dev/null 2>"$W/err" || { cat "$W/err" >&2; exit 1; }
  end=$(date +%s%N)
  rss=$(cat "$W/rss"); echo "$rss" >> "$W/all"
  echo "size ${mb} MB: ISO $(( $(stat -c %s "$W/out.iso") >> 20 )) MiB in $(( (end - start) / 1000000 )) ms, peak RSS $((rss / 1024)) MiB"
  rm -rf "$d" "$W/out.iso"
done
lo=$(sort -n "$W/all" | head -1); hi=$(sort -n "$W/all" | tail -1)
echo "peak RSS from $((lo / 1024)) to $((hi / 1024)) MiB: spread $(( (hi - lo) / 1024 )) MiB (goal ≤ 90 MiB, spread ≤ 5 MiB)"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
