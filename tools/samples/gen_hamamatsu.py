"""Hamamatsu VMS (JPEGs with restart markers + map + optimisation file) and
VMU (uncompressed 12-bit NGR) samples."""

import os
import struct

import numpy as np

from common import cjpeg_restart, jpeg_bytes, macro_image, resize, tissue

RESTART_BLOCKS = 8          # MCUs (16x8, 4:2:2) per restart interval -> tiles of 128x8


def _rst_offsets(path):
    """Offsets just after each RSTn marker in a JPEG's entropy-coded data."""
    b = open(path, "rb").read()
    # skip to the start of scan data
    i = 2
    while True:
        assert b[i] == 0xFF
        marker = b[i + 1]
        ln = struct.unpack(">H", b[i + 2:i + 4])[0]
        i += 2 + ln
        if marker == 0xDA:
            break
    out = []
    while i < len(b) - 1:
        if b[i] == 0xFF and 0xD0 <= b[i + 1] <= 0xD7:
            out.append(i + 2)
            i += 2
        else:
            i += 1
    return out


def make_vms(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    # 2x2 JPEGs; the last column/row are smaller (allowed by the driver)
    col_w = [896, 640]
    row_h = [640, 512]
    W, H = sum(col_w), sum(row_h)
    canvas = tissue(W, H, seed=81)
    files = ["slide.vms"]
    names = {}
    y = 0
    for r, h in enumerate(row_h):
        x = 0
        for c, w in enumerate(col_w):
            name = "slide_%d_%d.jpg" % (c, r)
            comment = "Slidetile VMS sample" if (c, r) == (0, 0) else None
            cjpeg_restart(canvas[y:y + h, x:x + w], os.path.join(out_dir, name),
                          quality=88, restart_blocks=RESTART_BLOCKS, comment=comment)
            names[(c, r)] = name
            x += w
        y += h
    # map: a low-resolution whole image (its own level, fractional downsample)
    mw, mh = 448, 288
    cjpeg_restart(resize(canvas, mw, mh), os.path.join(out_dir, "slide_map.jpg"),
                  quality=88, restart_blocks=4)
    with open(os.path.join(out_dir, "slide_macro.jpg"), "wb") as f:
        f.write(jpeg_bytes(macro_image(700, 240, seed=82), 85))
    # optimisation file: for every JPEG (row-major, then the map) and every
    # tile row, 40 bytes starting with the int64 offset of the row's first
    # MCU (just after the preceding restart marker)
    opt = bytearray()
    order = [names[(c, r)] for r in range(len(row_h)) for c in range(len(col_w))] + ["slide_map.jpg"]
    for name in order:
        path = os.path.join(out_dir, name)
        from PIL import Image
        w, h = Image.open(path).size
        tile_w = 16 * (RESTART_BLOCKS if name != "slide_map.jpg" else 4)
        tiles_across = w // tile_w
        tiles_down = h // 8
        rst = _rst_offsets(path)
        for row in range(tiles_down):
            t = row * tiles_across
            off = 0 if t == 0 else rst[t - 1]
            opt += struct.pack("<q", off) + b"\x00" * 32
    with open(os.path.join(out_dir, "slide.opt"), "wb") as f:
        f.write(opt)
    lines = ["[Virtual Microscope Specimen]",
             "NoLayers=1",
             "NoJpegColumns=%d" % len(col_w),
             "NoJpegRows=%d" % len(row_h),
             "ImageFile=%s" % names[(0, 0)]]
    for (c, r), n in sorted(names.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        if (c, r) != (0, 0):
            lines.append("ImageFile(%d,%d)=%s" % (c, r, n))
    lines += ["MapFile=slide_map.jpg",
              "OptimisationFile=slide.opt",
              "MacroImage=slide_macro.jpg",
              "PhysicalWidth=%d" % (W * 460),
              "PhysicalHeight=%d" % (H * 460),
              "PhysicalX=1032000",
              "PhysicalY=-2034000",
              "LayerSpacing=0",
              "SourceLens=20",
              "Reference=SLIDETILE-VMS",
              "AuthCode=0"]
    with open(os.path.join(out_dir, "slide.vms"), "w") as f:
        f.write("\r\n".join(lines) + "\r\n")
    files += [names[(c, r)] for r in range(len(row_h)) for c in range(len(col_w))]
    files += ["slide_map.jpg", "slide.opt", "slide_macro.jpg"]
    return files


NGR_HEADER = 32


def _write_ngr(path, arr, column_width):
    """NGR: 'GN', 16-bit version, then int32 width, height, column width;
    data offset at byte 24; pixels 3 x uint16 LE (12-bit, << 4), stored in
    columns of `column_width`, each column top to bottom."""
    h, w = arr.shape[:2]
    assert w % column_width == 0
    # 12-bit values: 8-bit value * 16 + a low nibble that the reader drops
    rng = np.random.default_rng(w * 7 + h)
    v = (arr.astype(np.uint16) << 4) | rng.integers(0, 16, arr.shape, dtype=np.uint16)
    hdr = bytearray(NGR_HEADER)
    hdr[0:2] = b"GN"
    hdr[2:4] = struct.pack("<H", 1)
    hdr[4:16] = struct.pack("<iii", w, h, column_width)
    hdr[24:28] = struct.pack("<i", NGR_HEADER)
    with open(path, "wb") as f:
        f.write(hdr)
        for x in range(0, w, column_width):
            f.write(np.ascontiguousarray(v[:, x:x + column_width]).astype("<u2").tobytes())


def make_vmu(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    W, H = 768, 600          # 600 is not a multiple of the 64-row NGR tile
    canvas = tissue(W, H, seed=91)
    _write_ngr(os.path.join(out_dir, "slide.ngr"), canvas, 256)
    _write_ngr(os.path.join(out_dir, "slide_map.ngr"), resize(canvas, 192, 150), 64)
    with open(os.path.join(out_dir, "slide_macro.jpg"), "wb") as f:
        f.write(jpeg_bytes(macro_image(700, 240, seed=92), 85))
    lines = ["[Uncompressed Virtual Microscope Specimen]",
             "NoLayers=1",
             "ImageFile=slide.ngr",
             "MapFile=slide_map.ngr",
             "MacroImage=slide_macro.jpg",
             "BitsPerPixel=36",
             "PixelOrder=RGB",
             "PhysicalWidth=%d" % (W * 460),
             "PhysicalHeight=%d" % (H * 460),
             "SourceLens=20",
             "Reference=SLIDETILE-VMU"]
    with open(os.path.join(out_dir, "slide.vmu"), "w") as f:
        f.write("\r\n".join(lines) + "\r\n")
    return ["slide.vmu", "slide.ngr", "slide_map.ngr", "slide_macro.jpg"]
