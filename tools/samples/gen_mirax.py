"""MIRAX (.mrxs + folder with Slidedat.ini, Index.dat, Data*.dat) samples.

Three layouts, one per image format, chosen to exercise the three ways the
3.4.1 driver places images:
  JPEG  - VIMSLIDE_POSITION_BUFFER (raw 9-byte records), camera frames split
          in 2x2 images (CameraImageDivisionsPerSide=2), overlap, jittered
          frame positions, two empty frames; label, macro and thumbnail.
  PNG   - StitchingIntensityLayer (zlib-compressed position records), 2x2
          divisions, overlap, jitter; label only.
  BMP24 - no position record, no overlap, 1 division: the plain grid path;
          a few level-0 images left out.
"""

import os
import struct
import zlib

import numpy as np

from common import (bmp_bytes, downsample, jpeg_bytes, label_image, macro_image,
                    png_bytes, resize, tissue)

SLIDE_ID = "e5a3b1c2-7f40-4d1e-9a55-51d371e0f00d"
FILL_RGB = (244, 242, 247)


def _layout(fmt):
    if fmt == "JPEG":
        return dict(iw=256, ih=192, nx=8, ny=6, div=2, ov=(20, 16), mode="vimslide",
                    empty={(3, 0), (0, 2)}, jitter=4, seed=71, levels=4)
    if fmt == "PNG":
        return dict(iw=240, ih=180, nx=8, ny=6, div=2, ov=(14, 10), mode="stitching",
                    empty={(3, 2)}, jitter=3, seed=72, levels=4)
    return dict(iw=200, ih=150, nx=6, ny=5, div=1, ov=(0, 0), mode="grid",
                empty={(0, 0), (5, 4), (2, 3)}, jitter=0, seed=73, levels=4)


def _encode(fmt, arr):
    if fmt == "JPEG":
        return jpeg_bytes(arr, 85)
    if fmt == "PNG":
        return png_bytes(arr)
    return bmp_bytes(arr)


def make_mirax(out_dir, fmt):
    L = _layout(fmt)
    iw, ih, nx, ny, d = L["iw"], L["ih"], L["nx"], L["ny"], L["div"]
    ovx, ovy = L["ov"]
    rng = np.random.default_rng(L["seed"])
    fx_n, fy_n = nx // d, ny // d

    # --- frame (camera position) positions in level-0 pixels
    positions = {}
    for fy in range(fy_n):
        for fx in range(fx_n):
            if L["mode"] == "grid":
                positions[(fx, fy)] = (fx * iw * d, fy * ih * d)
                continue
            if (fx, fy) in L["empty"]:
                positions[(fx, fy)] = None
                continue
            jx = int(rng.integers(0, L["jitter"] + 1)) if (fx, fy) != (0, 0) else 0
            jy = int(rng.integers(0, L["jitter"] + 1)) if (fx, fy) != (0, 0) else 0
            positions[(fx, fy)] = (fx * (iw * d - ovx) + jx, fy * (ih * d - ovy) + jy)

    # level-0 image (x, y) present?
    def present0(x, y):
        if L["mode"] == "grid":
            return (x, y) not in L["empty"]
        return positions[(x // d, y // d)] is not None

    big_w = nx * iw + 8 * iw
    big_h = ny * ih + 8 * ih
    canvas = tissue(big_w, big_h, seed=L["seed"])

    slide_dir = os.path.join(out_dir, "slide")
    os.makedirs(slide_dir, exist_ok=True)
    data_files = ["Data0000.dat", "Data0001.dat"]
    data = [bytearray(b"Slidetile MIRAX sample data file %d\x00" % i) for i in range(2)]

    def store(fileno, blob):
        off = len(data[fileno])
        data[fileno] += blob
        return off, len(blob)

    fill = np.array(FILL_RGB, np.uint8)
    hier_entries = []   # per level: list of (image_index, offset, length, fileno)
    concat = 1
    for z in range(L["levels"]):
        if z > 0:
            concat *= 2
        if L["mode"] == "grid":
            tiles_per_image = 1
        else:
            tiles_per_image = max(1, concat // d)
        tw = iw // tiles_per_image
        th = ih // tiles_per_image
        fileno = 0 if z < 2 else 1
        entries = []
        for y in range(0, ny, concat):
            for x in range(0, nx, concat):
                img = np.empty((ih, iw, 3), np.uint8)
                img[:] = fill
                used = False
                for yi in range(tiles_per_image):
                    step = d if L["mode"] != "grid" else 1
                    yy = y + yi * step
                    if yy >= ny:
                        break
                    for xi in range(tiles_per_image):
                        xx = x + xi * step
                        if xx >= nx:
                            break
                        if L["mode"] == "grid":
                            # covers concat x concat level-0 images
                            if not any(present0(a, b)
                                       for a in range(xx, min(nx, xx + concat))
                                       for b in range(yy, min(ny, yy + concat))):
                                continue
                            p0 = (xx * iw, yy * ih)
                        else:
                            pos = positions[(xx // d, yy // d)]
                            if pos is None:
                                continue
                            p0 = (pos[0] + iw * (xx % d), pos[1] + ih * (yy % d))
                        region = canvas[p0[1]: p0[1] + th * concat, p0[0]: p0[0] + tw * concat]
                        sub = downsample(region, concat)
                        img[yi * th: yi * th + sub.shape[0], xi * tw: xi * tw + sub.shape[1]] = sub
                        used = True
                if z == 0:
                    used = present0(x, y)
                    if used:
                        p0 = ((positions[(x // d, y // d)][0] + iw * (x % d),
                               positions[(x // d, y // d)][1] + ih * (y % d))
                              if L["mode"] != "grid" else (x * iw, y * ih))
                        img = np.ascontiguousarray(canvas[p0[1]:p0[1] + ih, p0[0]:p0[0] + iw])
                if not used:
                    continue
                off, ln = store(fileno, _encode(fmt, img))
                entries.append((y * nx + x, off, ln, fileno))
        hier_entries.append(entries)

    # --- non-hierarchical records
    nonhier = []     # list of (name, [(value, section, {key: val})...], blobs...)
    records = []     # record number -> (offset, length, fileno)
    nonhier_names = []
    if fmt == "JPEG":
        assoc = [("ScanDataLayer_SlideThumbnail", "THUMBNAIL_IMAGE_TYPE", macro_image(1000, 360, seed=74)),
                 ("ScanDataLayer_SlideBarcode", "BARCODE_IMAGE_TYPE", label_image(300, 280, "MIRAX JPEG", 75)),
                 ("ScanDataLayer_SlidePreview", "PREVIEW_IMAGE_TYPE", resize(canvas[:1200, :2000], 500, 300))]
    elif fmt == "PNG":
        assoc = [("ScanDataLayer_SlideBarcode", "BARCODE_IMAGE_TYPE", label_image(300, 280, "MIRAX PNG", 76))]
    else:
        assoc = []
    vals = []
    for i, (value, key, arr) in enumerate(assoc):
        off, ln = store(1, jpeg_bytes(arr, 85))
        records.append((off, ln, 1))
        vals.append((value, "NONHIER_0_VAL_%d_SECTION" % i, {key: "JPEG", "IMAGE_WIDTH": arr.shape[1],
                                                              "IMAGE_HEIGHT": arr.shape[0]}))
    if vals:
        nonhier_names.append(("Scan data layer", vals))
    if L["mode"] != "grid":
        buf = bytearray()
        for fy in range(fy_n):
            for fx in range(fx_n):
                pos = positions[(fx, fy)]
                if pos is None:
                    buf += struct.pack("<Bii", 0, 0, 0)
                else:
                    buf += struct.pack("<Bii", 1, pos[0], pos[1])
        if L["mode"] == "vimslide":
            blob, name = bytes(buf), "VIMSLIDE_POSITION_BUFFER"
        else:
            blob, name = zlib.compress(bytes(buf)), "StitchingIntensityLayer"
        off, ln = store(1, blob)
        records.append((off, ln, 1))
        k = len(nonhier_names)
        nonhier_names.append((name, [("default", "NONHIER_%d_VAL_0_SECTION" % k, {})]))

    # --- Index.dat
    idx = bytearray(b"01.02" + SLIDE_ID.encode())
    hier_root = len(idx)
    idx += b"\x00" * 8                      # hier ptr, nonhier ptr (patched)

    def put32(buf, at, v):
        buf[at:at + 4] = struct.pack("<i", v)

    # hier table
    hier_table = len(idx)
    idx += b"\x00" * (4 * len(hier_entries))
    put32(idx, hier_root, hier_table)
    for z, entries in enumerate(hier_entries):
        head = len(idx)
        idx += struct.pack("<ii", 0, 0)
        put32(idx, hier_table + 4 * z, head)
        # split the entries in two pages to exercise the "next" chain
        half = max(1, len(entries) // 2)
        pages = [entries[:half], entries[half:]] if len(entries) > 1 else [entries]
        prev_next_at = head + 4
        for pg in pages:
            at = len(idx)
            put32(idx, prev_next_at, at)
            idx += struct.pack("<ii", len(pg), 0)
            prev_next_at = at + 4
            for e in pg:
                idx += struct.pack("<iiii", *e)
    # nonhier table
    nonhier_table = len(idx)
    idx += b"\x00" * (4 * max(1, len(records)))
    put32(idx, hier_root + 4, nonhier_table)
    for r, (off, ln, fno) in enumerate(records):
        head = len(idx)
        idx += struct.pack("<ii", 0, head + 8)
        idx += struct.pack("<iiiiiii", 1, 0, 0, 0, off, ln, fno)
        put32(idx, nonhier_table + 4 * r, head)

    with open(os.path.join(slide_dir, "Index.dat"), "wb") as f:
        f.write(idx)
    for name, blob in zip(data_files, data):
        with open(os.path.join(slide_dir, name), "wb") as f:
            f.write(blob)

    # --- Slidedat.ini
    bgr = FILL_RGB[2] << 16 | FILL_RGB[1] << 8 | FILL_RGB[0]
    fmt_key = {"JPEG": "JPEG", "PNG": "PNG", "BMP24": "BMP24"}[fmt]
    lines = ["[GENERAL]",
             "SLIDE_VERSION=01.02",
             "SLIDE_ID=%s" % SLIDE_ID,
             "SLIDE_NAME=slidetile-sample",
             "SLIDE_CREATIONDATETIME=25/11/2024 10:46:00",
             "IMAGENUMBER_X=%d" % nx,
             "IMAGENUMBER_Y=%d" % ny,
             "OBJECTIVE_MAGNIFICATION=20",
             "OBJECTIVE_NAME=Plan-Apochromat",
             "CAMERA_TYPE=Slidetile",
             "VIMSLIDE_SLIDE_TYPE=1"]
    if d != 1:
        lines.append("CameraImageDivisionsPerSide=%d" % d)
    lines += ["", "[HIERARCHICAL]",
              "HIER_COUNT=1",
              "NONHIER_COUNT=%d" % len(nonhier_names),
              "INDEXFILE=Index.dat",
              "HIER_0_NAME=Slide zoom level",
              "HIER_0_COUNT=%d" % L["levels"]]
    for z in range(L["levels"]):
        lines += ["HIER_0_VAL_%d=ZoomLevel_%d" % (z, z),
                  "HIER_0_VAL_%d_SECTION=LAYER_0_LEVEL_%d_SECTION" % (z, z)]
    for k, (name, values) in enumerate(nonhier_names):
        lines += ["NONHIER_%d_NAME=%s" % (k, name), "NONHIER_%d_COUNT=%d" % (k, len(values))]
        for i, (value, section, _) in enumerate(values):
            lines += ["NONHIER_%d_VAL_%d=%s" % (k, i, value),
                      "NONHIER_%d_VAL_%d_SECTION=%s" % (k, i, section)]
    lines += ["", "[DATAFILE]", "FILE_COUNT=%d" % len(data_files)]
    for i, name in enumerate(data_files):
        lines.append("FILE_%d=%s" % (i, name))
    mpp = 0.2425
    for z in range(L["levels"]):
        c = 1 << z
        lines += ["", "[LAYER_0_LEVEL_%d_SECTION]" % z,
                  "OVERLAP_X=%g" % (ovx / c),
                  "OVERLAP_Y=%g" % (ovy / c),
                  "MICROMETER_PER_PIXEL_X=%r" % (mpp * c),
                  "MICROMETER_PER_PIXEL_Y=%r" % (mpp * c),
                  "IMAGE_FORMAT=%s" % fmt_key,
                  "IMAGE_QUALITY=85",
                  "IMAGE_FILL_COLOR_BGR=%d" % bgr,
                  "DIGITIZER_WIDTH=%d" % iw,
                  "DIGITIZER_HEIGHT=%d" % ih,
                  "IMAGE_CONCAT_FACTOR=%d" % (0 if z == 0 else 1)]
    for k, (name, values) in enumerate(nonhier_names):
        for value, section, keys in values:
            lines += ["", "[%s]" % section]
            lines += ["%s=%s" % kv for kv in keys.items()]
    with open(os.path.join(slide_dir, "Slidedat.ini"), "w", encoding="utf-8") as f:
        f.write("\r\n".join(lines) + "\r\n")
    with open(os.path.join(out_dir, "slide.mrxs"), "wb") as f:
        f.write(b"Slidetile MIRAX sample: the slide lives in slide/\n")
    return ["slide.mrxs", "slide/Slidedat.ini", "slide/Index.dat"] + ["slide/" + n for n in data_files]
