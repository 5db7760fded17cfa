#!/usr/bin/env bash
# Generate Slidetile's small sample slides (one per OpenSlide 3.4.1 format
# that has no real sample in ../shared/slides/real) and check that native
# OpenSlide opens each with the expected vendor.  Idempotent: samples that
# exist are skipped.  Writes OUTDIR/samples.json.
#   tools/samples/make-all.sh [OUTDIR]        (default .cache/samples)
# Needs Debian packages: python3-openslide python3-numpy python3-pil
#   libtiff-tools (tiffcp) libjpeg-turbo-progs (cjpeg, wrjpgcom); the Sakura
#   sample is written with Python's own sqlite3 module.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUTDIR=${1:-.cache/samples}
missing=""
for tool in tiffcp cjpeg wrjpgcom; do
  command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
  echo "make-all.sh: missing$missing; install: apt-get install -y libtiff-tools libjpeg-turbo-progs" >&2
  exit 1
fi
if ! /usr/bin/python3 -c "import openslide, numpy, PIL" 2>/dev/null; then
  echo "make-all.sh: /usr/bin/python3 lacks openslide/numpy/PIL; install: apt-get install -y python3-openslide python3-numpy python3-pil" >&2
  exit 1
fi
# libtiff warnings (unknown tags etc.) are noise here
/usr/bin/python3 "$HERE/generate.py" "$OUTDIR" 2>&1 | { grep -v -e "^TIFF" -e "Warning, " || true; } >&2
