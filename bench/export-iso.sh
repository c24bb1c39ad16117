#!/usr/bin/env bash
# Benchmark: exporting a ~400 MB profile to a bootable ISO with `esximage build` against the Unix two-step that
# does the same work: unzip the bundle's VIBs, unpack their payloads (ar x), then genisoimage with BIOS + EFI boot.
# Both run side by side in one session; reports median wall time, the ratio ours/baseline, and our peak RSS
# at two sizes (to show memory stays flat). Ours also resolves the profile, validates it, verifies every
# payload's sha-256 while copying, and fsyncs before renaming; the baseline does none of that, so the
# like-for-like comparison is "baseline + sync" (both ratios are printed).
# The machine's limit is measured too: `cp` of the bundle, then one `openssl dgst -sha256` and one
# `openssl dgst -sha1` pass over it — the reading, writing and hashing an export cannot avoid — and the ratio
# ours/limit is printed (goal ≤ 1.5). The limit leaves its copy to the OS's write-back, so `build --no-sync` (which
# does the same) is timed too and its ratio printed beside the default's (which fsyncs).
# COMPRESSIBLE=1 fills payloads with the .NET runtime's own files, which gzip as real tardisks do (default: random
# bytes, which do not compress): an export then inflates two to three times the bytes the limit copies and hashes.
# HOG=N keeps N busy loops running for the whole measurement (HOG=2: both cores of this machine busy).
# ESXIMAGE=aot publishes and times the one-file Native AOT esximage; ESXIMAGE=<path> times another build.
# Usage: bench/export-iso.sh [runs] [megabytes...]   (defaults 5, 40 400). Needs unzip, binutils (ar), genisoimage, openssl.
set -euo pipefail
RUNS=${1:-5}
shift || true
SIZES=${*:-40 400}
REPO=$(cd "$(dirname "$0")/.." && pwd)
W=$(mktemp -d /tmp/esxit-exportbench-XXXXXX)
trap 'rm -rf "$W"' EXIT
. "$REPO/bench/common.sh"

build_cli_and_generator

baseline() {  # $1 = depot dir
  local d=$1 t=$W/tree
  rm -rf "$t" "$W/vibs" "$W/base.iso"
  mkdir -p "$t" "$W/vibs"
  unzip -q -o "$d/bench-depot.zip" 'vib20/*' -d "$W/vibs"
  (cd "$t" && for v in "$W"/vibs/vib20/*/*.vib; do ar x "$v"; done && rm -f descriptor.xml sig.pkcs7)
  cp "$d"/bootfiles/* "$t"/
  genisoimage -quiet -l -allow-lowercase -V ESXI-BENCH -A ESXIMAGE -o "$W/base.iso" \
    -b ISOLINUX.BIN -c BOOT.CAT -no-emul-boot -boot-load-size 4 -boot-info-table -eltorito-alt-boot -e EFIBOOT.IMG -no-emul-boot "$t"
}
limit() {  # $1 = depot dir: copy the bundle, then one sha-256 and one sha-1 pass over it
  cp "$1/bench-depot.zip" "$W/limit.zip" && openssl dgst -sha256 "$1/bench-depot.zip" >/dev/null && openssl dgst -sha1 "$1/bench-depot.zip" >/dev/null
  rm -f "$W/limit.zip"
}
export -f baseline limit
export W
HOG=${HOG:-0}
trap 'stop_hogs; rm -rf "$W"' EXIT

run_size() {  # $1 = megabytes
  local mb=$1 d=$W/depot-$1
  $GEN make-export-depot "$d" "$mb" ${COMPRESSIBLE:+--compressible} >&2
  cat "$d/bench-depot.zip" > /dev/null   # warm the page cache
  : > "$W/ours"; : > "$W/oursnosync"; : > "$W/base"; : > "$W/basesync"; : > "$W/oursrss"; : > "$W/limit"
  start_hogs
  for r in $(seq 1 "$RUNS"); do
    rm -f "$W/ours.iso"
    read -r ms rss < <(measure $BIN build --depot "$d/bench-depot.zip" --profile ESXi-8.0.0-bench-standard \
        --iso "$W/ours.iso" --timestamp 1700000000 --no-signature-check --force)
    echo "$ms" >> "$W/ours"; echo "$rss" >> "$W/oursrss"
    rm -f "$W/ours.iso"; sync
    read -r ms rss < <(measure $BIN build --depot "$d/bench-depot.zip" --profile ESXi-8.0.0-bench-standard \
        --iso "$W/ours.iso" --timestamp 1700000000 --no-signature-check --force --no-sync)
    echo "$ms" >> "$W/oursnosync"; echo "$rss" >> "$W/oursrss"
    rm -f "$W/ours.iso"; sync
    # The limit right after ours: the baselines leave a gigabyte of dirty pages whose write-back would slow it.
    read -r ms _ < <(measure bash -c "limit $d")
    echo "$ms" >> "$W/limit"
    read -r ms _ < <(measure bash -c "baseline $d")
    echo "$ms" >> "$W/base"
    read -r ms _ < <(measure bash -c "baseline $d && sync -f $W/base.iso")
    echo "$ms" >> "$W/basesync"
    echo "run $r ${mb} MB: ours $(tail -1 "$W/ours") ms, ours --no-sync $(tail -1 "$W/oursnosync") ms, baseline $(tail -1 "$W/base") ms, limit $(tail -1 "$W/limit") ms, load $(cut -d' ' -f1 /proc/loadavg)" >&2
  done
  stop_hogs
  local o on b bs rss l
  on=$(median < "$W/oursnosync"); o=$(median < "$W/ours"); b=$(median < "$W/base"); bs=$(median < "$W/basesync"); rss=$(sort -n "$W/oursrss" | tail -1); l=$(median < "$W/limit")
  echo "size ${mb} MB: ours ${o} ms, baseline ${b} ms, baseline+sync ${bs} ms; ratio ours/baseline $(awk "BEGIN{printf \"%.2f\", $o/$b}"), ours/(baseline+sync) $(awk "BEGIN{printf \"%.2f\", $o/$bs}"); limit (cp + sha-256 + sha-1) ${l} ms, ratio ours/limit $(awk "BEGIN{printf \"%.2f\", $o/$l}"); ours --no-sync ${on} ms, ratio $(awk "BEGIN{printf \"%.2f\", $on/$l}"); our peak RSS $((rss/1024)) MiB; $HOG busy loops"
  rm -rf "$d"
}

for mb in $SIZES; do run_size "$mb"; done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
