#!/usr/bin/env bash
# Installs the Debian packages the tests need, only when missing (idempotent, quick when done).
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/firefox-esr ] || need+=(firefox-esr)  # e2e-firefox/run.mjs: the streamed export in Firefox
/usr/bin/python3 -c 'import openslide' 2>/dev/null || need+=(python3-openslide)
command -v openslide-show-properties >/dev/null || need+=(openslide-tools)
/usr/bin/python3 -c 'import numpy, PIL' 2>/dev/null || need+=(python3-numpy python3-pil)
/usr/bin/python3 -c 'import tifffile' 2>/dev/null || need+=(python3-tifffile)
/usr/bin/python3 -c 'import h5py' 2>/dev/null || need+=(python3-h5py)  # reads coords.h5 as CLAM and TRIDENT do
/usr/bin/python3 -c 'import scipy' 2>/dev/null || need+=(python3-scipy)  # the recipe's tissue morphology (tissue-tritc.test.ts)
/usr/bin/python3 -c 'import pydicom' 2>/dev/null || need+=(python3-pydicom)  # tools/samples/make_dicom_samples.py
command -v vips >/dev/null || need+=(libvips-tools)
command -v sqlite3 >/dev/null || need+=(sqlite3)
command -v tiffcp >/dev/null || need+=(libtiff-tools)
command -v cjpeg >/dev/null || need+=(libjpeg-turbo-progs)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup-debian: installing ${need[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
