#!/usr/bin/python3
"""A generic tiled BigTIFF whose tile data lies past 4 GiB (a sparse file: ~1 MB on disk).

Tests 64-bit file offsets end to end: OpenSlide must seek past 2^32 to read any pixel.
  gen_over4g.py OUT.tiff
Layout: BigTIFF header, a 4.5 GiB hole, then 2x2 uncompressed RGB tiles of 256x256, then the IFD.
"""
import struct
import sys

import numpy as np

W, H, T = 512, 512, 256
HOLE = 4_500_000_000


def tile(tx, ty):
    y, x = np.mgrid[0:T, 0:T]
    gx, gy = x + tx * T, y + ty * T
    r = (gx * 255 // (W - 1)).astype(np.uint8)
    g = (gy * 255 // (H - 1)).astype(np.uint8)
    b = (((gx // 32) + (gy // 32)) % 2 * 200 + 40).astype(np.uint8)
    return np.dstack([r, g, b]).tobytes()


def main(out):
    tiles = [tile(tx, ty) for ty in range(2) for tx in range(2)]
    with open(out, "wb") as f:
        f.write(b"II" + struct.pack("<HHHQ", 43, 8, 0, 0))  # IFD offset patched below
        offsets = []
        f.seek(HOLE)
        for t in tiles:
            offsets.append(f.tell())
            f.write(t)
        arrays_at = f.tell()
        f.write(struct.pack("<4Q", *offsets))
        counts_at = f.tell()
        f.write(struct.pack("<4Q", *[len(t) for t in tiles]))
        ifd_at = f.tell()
        SHORT, LONG, LONG8 = 3, 4, 16
        INLINE_BPS = struct.unpack("<Q", struct.pack("<3H2x", 8, 8, 8))[0]  # 6 bytes fit in the entry
        entries = [
            (256, LONG, 1, W), (257, LONG, 1, H), (258, SHORT, 3, INLINE_BPS), (259, SHORT, 1, 1),
            (262, SHORT, 1, 2), (277, SHORT, 1, 3), (284, SHORT, 1, 1),
            (322, LONG, 1, T), (323, LONG, 1, T), (324, LONG8, 4, arrays_at), (325, LONG8, 4, counts_at),
        ]
        f.write(struct.pack("<Q", len(entries)))
        for tag, typ, n, val in entries:
            f.write(struct.pack("<HHQQ", tag, typ, n, val))
        f.write(struct.pack("<Q", 0))
        f.seek(8)
        f.write(struct.pack("<Q", ifd_at))


if __name__ == "__main__":
    main(sys.argv[1])
