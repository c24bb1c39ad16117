#!/usr/bin/env bash
# Benchmark: `esximage build --pxe` (a PXE image folder) against the ISO export of the same profile, which reads and
# verifies the same payloads and writes them as one file (goal: pxe/iso ≤ 1.3). `cp -r` of the written folder is timed
# as well, to show what the file system alone costs for its files (from the page cache: a floor, not a baseline).
# Both exports run with --no-sync, as cp leaves write-back to the OS.
# ESXIMAGE=aot publishes and times the one-file Native AOT esximage; ESXIMAGE=<path> times another build.
# Usage: bench/export-pxe.sh [runs] [megabytes]   (defaults 5, 400).
set -euo pipefail
RUNS=${1:-5}
MB=${2:-400}
REPO=$(cd "$(dirname "$0")/.." && pwd)
W=$(mktemp -d /tmp/esxit-pxebench-XXXXXX)
trap 'rm -rf "$W"' EXIT
. "$REPO/bench/common.sh"
build_cli_and_generator
$GEN make-export-depot "$W/d" "$MB" >&2
COMMON=(build --depot "$W/d/bench-depot.zip" --profile ESXi-8.0.0-bench-standard --timestamp 1700000000 --no-signature-check --no-sync)
: > "$W/iso"; : > "$W/pxe"; : > "$W/cp"
for _ in $(seq 1 "$RUNS"); do
  rm -rf "$W/out.iso" "$W/pxe-out" "$W/copy"
  measure $BIN "${COMMON[@]}" --iso "$W/out.iso" | cut -d' ' -f1 >> "$W/iso"
  measure $BIN "${COMMON[@]}" --pxe "$W/pxe-out" | cut -d' ' -f1 >> "$W/pxe"
  measure cp -r "$W/pxe-out" "$W/copy" | cut -d' ' -f1 >> "$W/cp"
done
iso=$(median < "$W/iso"); pxe=$(median < "$W/pxe"); cp=$(median < "$W/cp")
echo "size ${MB} MB, $(find "$W/pxe-out" -type f | wc -l) files: iso ${iso} ms, pxe ${pxe} ms, cp -r ${cp} ms"
echo "pxe/iso $(awk "BEGIN {printf \"%.2f\", $pxe/$iso}"), pxe/cp $(awk "BEGIN {printf \"%.2f\", $pxe/$cp}") (goal pxe/iso ≤ 1.3)"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
