#!/usr/bin/python3
"""Samples for the behaviours where OpenSlide 4.0.1 differs from 3.4.1, for
src/engine/parity41.test.ts (checked there against native 4.0.1, not here).

Usage: /usr/bin/python3 gen_samples41.py OUTDIR      (default .cache/samples41)

Writes OUTDIR/<id>/... and OUTDIR/samples41.json (same record shape as
samples.json: id, path, files, vendor, format, relative to OUTDIR).
Idempotent: a sample whose .ok marker holds the current generator hash is
kept. Each one is the regular generator's sample (gen_tiff, gen_mirax) with
one thing changed, so the regular samples keep their bytes:

  generic-tiff-narrow   deflate (libtiff RGBA path), 1000x230 with 256-px
                        tiles: level 0 shorter than a tile, level 2 also
                        narrower (3.4.1 returns uninitialised memory there);
                        72 dpi resolution tags (4.0.1: mpp 352.8) and an ICC
                        profile (openslide.icc-size)
  aperio-icc            Aperio with ICC profiles in every directory; level 0
                        and the thumbnail name the same "ICC Profile"
  ventana-icc           Ventana BIF with ICC profiles in every directory
  mirax-bounds-offset   MIRAX whose first column of images is missing
                        (bounds start at x = 200)
  mirax-bounds-clipped  MIRAX JPEG whose tiles reach past level 0 (4.0.1
                        clips the bounds) and whose top-left images are missing
"""

import contextlib
import hashlib
import json
import os
import shutil
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402

import common  # noqa: E402
import gen_mirax  # noqa: E402
import gen_tiff  # noqa: E402
from common import (ASCII, COMP_ADOBE_DEFLATE, RATIONAL, SHORT, T_DESCRIPTION,  # noqa: E402
                    T_RESUNIT, T_XRES, T_YRES, UNDEFINED, TiffWriter, downsample,
                    tissue, write_tiled_page)

T_ICC = 34675


def icc_profile(tag):
    """A profile-shaped blob (ICC header: size, 'acsp' signature); OpenSlide
    only reports and hands out the bytes, it never parses them."""
    body = bytearray(512)
    body[36:40] = b"acsp"
    body[12:16] = b"mntr"
    body[16:20] = b"RGB "
    body[20:24] = b"XYZ "
    body[128:128 + len(tag)] = tag
    struct.pack_into(">I", body, 0, len(body))
    return bytes(body)


@contextlib.contextmanager
def page_hook(fn):
    """Let fn(page_index, tags) change each page's tags as TiffWriter writes it."""
    orig = TiffWriter.add_page

    def add_page(self, tags, chunks, tiled):
        n = getattr(self, "_page_no", 0)
        self._page_no = n + 1
        return orig(self, fn(n, dict(tags)), chunks, tiled)

    TiffWriter.add_page = add_page
    try:
        yield
    finally:
        TiffWriter.add_page = orig


def make_generic_narrow(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    base = tissue(1000, 230, seed=41)
    levels = [base, downsample(base, 2), downsample(base, 4)]   # 1000x230, 500x115, 250x57
    tw = TiffWriter(os.path.join(out_dir, "slide.tiff"))
    for i, arr in enumerate(levels):
        extra = {T_XRES: (RATIONAL, (72, 1)), T_YRES: (RATIONAL, (72, 1)), T_RESUNIT: (SHORT, 2),
                 T_ICC: (UNDEFINED, icc_profile(b"slidetile narrow %d" % i))}
        if i == 0:
            extra[T_DESCRIPTION] = (ASCII, "Slidetile generic TIFF with levels narrower than a tile")
        write_tiled_page(tw, arr, 256, COMP_ADOBE_DEFLATE, extra=extra, subfile=0 if i == 0 else 1)
    tw.close()
    return ["slide.tiff"]


def make_aperio_icc(out_dir):
    key = "|ICC Profile = ScanScope v1"

    def fn(n, tags):
        tags[T_ICC] = (UNDEFINED, icc_profile(b"aperio directory %d" % n))
        desc = tags.get(T_DESCRIPTION, (ASCII, ""))[1]
        if n == 1 and key not in desc:   # the thumbnail names level 0's profile
            tags[T_DESCRIPTION] = (ASCII, desc + key)
        return tags

    with page_hook(fn):
        return gen_tiff.make_aperio(out_dir)


def make_ventana_icc(out_dir):
    def fn(n, tags):
        tags[T_ICC] = (UNDEFINED, icc_profile(b"ventana directory %d" % n))
        return tags

    with page_hook(fn):
        return gen_tiff.make_ventana(out_dir)


def _mirax_with_empty(out_dir, fmt, empty):
    orig = gen_mirax._layout

    def layout(f):
        lay = orig(f)
        lay["empty"] = set(empty)
        return lay

    gen_mirax._layout = layout
    try:
        return gen_mirax.make_mirax(out_dir, fmt)
    finally:
        gen_mirax._layout = orig


def _mirax_files(out_dir):
    files = ["slide.mrxs"]
    for name in sorted(os.listdir(os.path.join(out_dir, "slide"))):
        files.append("slide/" + name)
    return files


def make_mirax_offset(out_dir):
    _mirax_with_empty(out_dir, "BMP24", {(0, y) for y in range(5)})
    return _mirax_files(out_dir)


def make_mirax_clipped(out_dir):
    # JPEG frames are 2x2 images; frames (0,0) (1,0) (0,1) missing
    _mirax_with_empty(out_dir, "JPEG", {(0, 0), (1, 0), (0, 1)})
    return _mirax_files(out_dir)


SAMPLES = {
    "generic-tiff-narrow": (make_generic_narrow, "generic-tiff",
                            "Generic TIFF (deflate, levels narrower/shorter than a tile, 72 dpi, ICC)"),
    "aperio-icc": (make_aperio_icc, "aperio", "Aperio SVS with ICC profiles (thumbnail shares level 0's)"),
    "ventana-icc": (make_ventana_icc, "ventana", "Ventana BIF with ICC profiles"),
    "mirax-bounds-offset": (make_mirax_offset, "mirax", "MIRAX (BMP), first image column missing"),
    "mirax-bounds-clipped": (make_mirax_clipped, "mirax", "MIRAX (JPEG), tiles past level 0, top-left missing"),
}


def generator_hash():
    h = hashlib.sha256()
    for name in ("gen_samples41.py", "common.py", "gen_tiff.py", "gen_mirax.py"):
        with open(os.path.join(HERE, name), "rb") as f:
            h.update(f.read())
    return h.hexdigest()[:16]


def main(argv):
    outdir = argv[1] if len(argv) > 1 else ".cache/samples41"
    os.makedirs(outdir, exist_ok=True)
    gen = generator_hash()
    common.make_cached(outdir, SAMPLES, gen, "samples41.json", "samples41")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
