#!/usr/bin/env bash
# Benchmark: `esximage verify` on an exported ~400 MB ESXi ISO against the shell equivalent of its checksum work:
# extract the image (7z x), sha-256 every file, and gunzip + sha-1 every vgz/tgz payload. Ours also reads the
# El Torito catalog, both BOOT.CFGs and IMGDB.TGZ and checks the structure; the baseline checks nothing
# against anything, it only does the hashing. Reports median wall time, the ratio, and our peak RSS at two
# sizes (to show memory stays flat: payloads stream, nothing is extracted).
# ESXIMAGE=aot publishes and times the one-file Native AOT esximage; ESXIMAGE=<command> times another build.
# Usage: bench/verify-iso.sh [runs] [megabytes]   (defaults 5, 400). Needs 7z, gzip, coreutils.
set -euo pipefail
RUNS=${1:-5}
MB=${2:-400}
REPO=$(cd "$(dirname "$0")/.." && pwd)
W=$(mktemp -d /tmp/esxit-verifybench-XXXXXX)
trap 'rm -rf "$W"' EXIT
. "$REPO/bench/common.sh"

build_cli_and_generator


baseline() {  # $1 = iso
  rm -rf "$W/x" && mkdir -p "$W/x"
  7z x -y -o"$W/x" "$1" >/dev/null
  find "$W/x" -type f -print0 | xargs -0 sha256sum >/dev/null
  for f in "$W"/x/*.[VvTt][0-9][0-9]; do gzip -dc "$f" | sha1sum >/dev/null; done
}
export -f baseline
export W

run_size() {  # $1 = megabytes
  local mb=$1 d=$W/depot-$1
  $GEN make-export-depot "$d" "$mb" >&2
  $BIN build --depot "$d/bench-depot.zip" --profile ESXi-8.0.0-bench-standard --iso "$W/bench.iso" \
      --timestamp 1700000000 --no-signature-check --force >/dev/null 2>&1
  cat "$W/bench.iso" > /dev/null   # warm the page cache
  : > "$W/ours"; : > "$W/base"; : > "$W/oursrss"
  for r in $(seq 1 "$RUNS"); do
    read -r ms rss < <(measure $BIN verify "$W/bench.iso")
    echo "$ms" >> "$W/ours"; echo "$rss" >> "$W/oursrss"
    read -r ms _ < <(measure bash -c "baseline $W/bench.iso")
    echo "$ms" >> "$W/base"
  done
  local o b rss
  o=$(median < "$W/ours"); b=$(median < "$W/base"); rss=$(sort -n "$W/oursrss" | tail -1)
  echo "size ${mb} MB: ours ${o} ms, baseline ${b} ms; ratio ours/baseline $(awk "BEGIN{printf \"%.2f\", $o/$b}"); our peak RSS $((rss/1024)) MiB"
  rm -rf "$d" "$W/bench.iso" "$W/x"
}

run_size 40
run_size "$MB"
