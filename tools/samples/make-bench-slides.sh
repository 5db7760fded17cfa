#!/usr/bin/env bash
# Build the benchmark's large slides (cached: each file is skipped if present):
#   OUTDIR/bench-aperio.svs    Aperio SVS 40960x32768, JPEG 256x256 tiles, levels 1/4/16,
#                              ImageDescription "...|AppMag = 40|MPP = 0.25" (vendor aperio, mpp 0.25)
#   OUTDIR/bench-generic.tiff  the same tiles as a generic tiled TIFF
#   OUTDIR/bench-1gb.tiff      >= 1 GiB generic tiled TIFF (same content repeated n x n)
#   OUTDIR/bench-slides.json   what native OpenSlide reports for each, sizes, build seconds
#   tools/samples/make-bench-slides.sh [OUTDIR]     (default bench/.cache)
# Streams band by band (the image is never whole in memory; ~1 GB peak RSS); ~6 min on 2 cores.  Needs python3-openslide,
# python3-numpy, python3-pil, python3-tifffile (Debian).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUTDIR=${1:-bench/.cache}
start=$(date +%s)
/usr/bin/python3 "$HERE/bench_slides.py" "$OUTDIR"
echo "make-bench-slides.sh: done in $(( $(date +%s) - start ))s" >&2
