#!/usr/bin/env bash
# Benchmark: our ISO writer (esximage iso-create, Release) against genisoimage on a ~400 MB
# ESXi-shaped tree (the shape of an ESXi installer ISO: 152 files, BIOS + EFI El Torito), run side by side.
# Like for like, two pairs: `iso-create --no-sync` against genisoimage (neither waits for the disk), and
# `iso-create` (by default it fsyncs the image before renaming it into place) against genisoimage + sync.
# Reports the median wall time of each, both ratios (goal: ours/genisoimage ≤ 0.8 warm and cold,
# ≤ 1.0 with both cores busy) and our peak RSS.
# Warm (tree in the page cache) and cold (tree dropped from it before each tool runs) are measured in the same
# rounds; MODES="warm" or MODES="cold" runs one of them.
# HOG=N keeps N busy loops running for the whole measurement (HOG=2: both cores of this machine busy).
# ESXIMAGE=aot publishes and times the one-file Native AOT esximage; ESXIMAGE=<path> times another build.
# Usage: bench/iso-writer.sh [runs]   (default 5). Needs genisoimage, isolinux, mtools, dosfstools, python3.
set -euo pipefail
RUNS=${1:-5}
REPO=$(cd "$(dirname "$0")/.." && pwd)
W=$(mktemp -d /tmp/esxit-isobench-XXXXXX)
trap 'rm -rf "$W"' EXIT
. "$REPO/bench/common.sh"
T=$W/tree
mkdir -p "$T/EFI/BOOT" "$T/UPGRADE" "$W/out"

echo "building Release CLI..." >&2
dotnet build "$REPO/src/ESXiImageTools.Cli" -c Release -v q -nologo >/dev/null
esximage_bin "$REPO/src/ESXiImageTools.Cli/bin/Release/net10.0/esximage"
[ -x "$BIN" ] || BIN="dotnet $REPO/src/ESXiImageTools.Cli/bin/Release/net10.0/esximage.dll"

echo "generating tree in $T..." >&2
rnd() { head -c "$2" /dev/urandom > "$T/$1"; }
rnd S.V00 $((150*1024*1024)); rnd IMGPAYLD.TGZ $((60*1024*1024)); rnd VSAN.V00 $((40*1024*1024))
rnd NSX.V00 $((30*1024*1024)); rnd ESXUPDT.V00 $((20*1024*1024)); rnd TOOLS.T00 $((20*1024*1024))
rnd B.B00 $((2*1024*1024)); rnd K.B00 $((1024*1024))
for i in $(seq -w 1 110); do rnd "DRV$i.V00" $(( (20 + (10#$i * 9277) % 1004) * 1024 )); done
for i in $(seq -w 1 25); do rnd "SMALL$i.GZ" $(( (1 + (10#$i * 7) % 40) * 1024 )); done
rnd UPGRADE/PRECHECK.PY 40000; rnd UPGRADE/UPGRADE.TXT 3000
echo "kernel=/b.b00" > "$T/EFI/BOOT/BOOT.CFG"; rnd EFI/BOOT/BOOTX64.EFI $((1024*1024))
cp /usr/lib/ISOLINUX/isolinux.bin "$T/ISOLINUX.BIN"
cp /usr/lib/syslinux/modules/bios/ldlinux.c32 "$T/LDLINUX.C32"
printf 'DEFAULT x\nLABEL x\n  COM32 mboot.c32\n' > "$T/ISOLINUX.CFG"
/usr/sbin/mkfs.vfat -C -n EFIBOOT "$W/EFIBOOT.IMG" 2880 >/dev/null
mmd -i "$W/EFIBOOT.IMG" ::/EFI ::/EFI/BOOT && mcopy -i "$W/EFIBOOT.IMG" "$T/EFI/BOOT/BOOTX64.EFI" ::/EFI/BOOT/BOOTX64.EFI
mv "$W/EFIBOOT.IMG" "$T/EFIBOOT.IMG"
NFILES=$(find "$T" -type f | wc -l); BYTES=$(du -sb --apparent-size "$T" | cut -f1)
echo "tree: $NFILES files, $BYTES bytes" >&2
cat $(find "$T" -type f) > /dev/null   # warm the page cache

BOOT="-b ISOLINUX.BIN -c BOOT.CAT -no-emul-boot -boot-load-size 4 -boot-info-table -eltorito-alt-boot -e EFIBOOT.IMG -no-emul-boot"

: > "$W/oursrss"
# Drops every file of the tree from the page cache (posix_fadvise DONTNEED: no root needed; the pages are clean).
drop_tree() { find "$T" -type f -print0 | python3 -c 'import os,sys
for p in sys.stdin.buffer.read().split(b"\0"):
    if p:
        fd = os.open(p, os.O_RDONLY); os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED); os.close(fd)'; }
HOG=${HOG:-0}
trap 'stop_hogs; rm -rf "$W"' EXIT
start_hogs
[ "$HOG" -gt 0 ] && echo "$HOG busy loops running beside the measurement" >&2
# Each round measures every mode with all four commands back to back, so load changes hit both sides alike;
# each starts without an old image to replace, after a sync so no earlier command's write-back runs into it.
MODES=${MODES:-warm cold}
KINDS="ours-nosync gen ours gensync"
for m in $MODES; do for k in $KINDS; do : > "$W/$k-$m"; done; done
run_kind() {  # $1 = kind; prints "<ms> <rss>"
  case $1 in
    ours-nosync) measure $BIN iso-create "$T" --out "$W/out/ours.iso" --volume-id ESXI-TEST \
        --bios-boot ISOLINUX.BIN --efi-boot EFIBOOT.IMG --timestamp 1700000000 --force --no-sync ;;
    ours) measure $BIN iso-create "$T" --out "$W/out/ours.iso" --volume-id ESXI-TEST \
        --bios-boot ISOLINUX.BIN --efi-boot EFIBOOT.IMG --timestamp 1700000000 --force ;;
    gen) measure genisoimage -quiet -V ESXI-TEST -A ESXIMAGE -o "$W/out/g.iso" $BOOT "$T" ;;
    gensync) measure sh -c "genisoimage -quiet -V ESXI-TEST -A ESXIMAGE -o '$W/out/g.iso' $BOOT '$T' && sync '$W/out/g.iso'" ;;
  esac
}
for r in $(seq 1 "$RUNS"); do
  for m in $MODES; do
    line="run $r $m:"
    for k in $KINDS; do
      rm -f "$W/out/ours.iso" "$W/out/g.iso"; sync
      [ "$m" = cold ] && drop_tree
      read -r ms rss < <(run_kind "$k")
      echo "$ms" >> "$W/$k-$m"
      case $k in ours*) echo "$rss" >> "$W/oursrss" ;; esac
      line="$line $k $ms ms,"
    done
    echo "$line load $(cut -d' ' -f1 /proc/loadavg)" >&2
  done
done
rm -f "$W/out/ours.iso" "$W/out/g.iso"
run_kind ours-nosync >/dev/null; run_kind gen >/dev/null
echo "image: $(stat -c %s "$W/out/ours.iso") bytes (ours), $(stat -c %s "$W/out/g.iso") bytes (genisoimage)"
for m in $MODES; do
  ON=$(median < "$W/ours-nosync-$m"); G=$(median < "$W/gen-$m"); O=$(median < "$W/ours-$m"); GS=$(median < "$W/gensync-$m")
  echo "$m cache, median wall ($RUNS runs, $HOG busy loops): ours --no-sync ${ON} ms, genisoimage ${G} ms; ours ${O} ms, genisoimage+sync ${GS} ms"
  awk -v m="$m" -v on="$ON" -v g="$G" -v o="$O" -v gs="$GS" 'BEGIN { printf "%s cache ratio (ours --no-sync)/genisoimage: %.2f   ours/(genisoimage+sync): %.2f\n", m, on/g, o/gs }'
done
RSS=$(sort -n "$W/oursrss" | tail -1)
echo "our max RSS: $((RSS / 1024)) MiB"
echo "load average during the run: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
