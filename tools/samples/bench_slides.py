#!/usr/bin/python3
"""Build the benchmark's large slides, streaming (never the whole image in
memory):

  OUTDIR/bench-aperio.svs     Aperio SVS 40960x32768, JPEG 256x256 tiles,
                              levels at downsample 1, 4, 16, stripped JPEG
                              thumbnail; ImageDescription "Aperio ...|AppMag
                              = 40|MPP = 0.25" -> vendor aperio, mpp 0.25
  OUTDIR/bench-generic.tiff   the same tiles as a generic tiled TIFF
  OUTDIR/bench-1gb.tiff       >= 1 GiB generic tiled TIFF: the same content
                              repeated n x n (tiles copied, not re-encoded),
                              levels 1, 4, 16

Content: irregular pink/purple tissue on near-white with nuclei and fine
texture, generated band by band (256 rows) from a global low-resolution
noise field, so bands join seamlessly.  Usage:
  /usr/bin/python3 bench_slides.py OUTDIR
Each output is skipped if it exists (written to *.tmp, then renamed).
"""

import io
import json
import math
import multiprocessing as mp
import os
import sys
import time

import numpy as np
from PIL import Image, ImageDraw

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from common import (ASCII, COMP_JPEG, LONG, PHOTO_YCBCR, RATIONAL, SHORT,  # noqa: E402
                    T_DESCRIPTION, T_NEWSUBFILETYPE, T_RESUNIT, T_SOFTWARE,
                    T_TILELENGTH, T_TILEWIDTH, T_XRES, T_YRES, TiffWriter,
                    downsample, rgb_tags, write_stripped_page)

W, H = 40960, 32768          # multiples of 256 at levels 1, 4 and 16
TILE = 256
QUALITY = 80
FIELD_SCALE = 64             # low-res noise field: one sample per 64 px
SEED = 20241125

BG = np.array([243, 241, 246], np.float32)
PINK = np.array([232, 150, 190], np.float32)
DEEP = np.array([196, 96, 160], np.float32)
PURPLE = np.array([95, 55, 145], np.float32)


def _fields():
    """Global low-res fields: tissue (2 octaves) and stroma shade."""
    rng = np.random.default_rng(SEED)
    fw, fh = W // FIELD_SCALE + 2, H // FIELD_SCALE + 2

    def octave(cell):
        gw, gh = max(2, fw * FIELD_SCALE // cell + 2), max(2, fh * FIELD_SCALE // cell + 2)
        g = (rng.random((gh, gw)) * 255).astype(np.uint8)
        return np.asarray(Image.fromarray(g).resize((fw, fh), Image.BICUBIC)).astype(np.float32) / 255

    tissue = 0.55 * octave(4096) + 0.3 * octave(1024) + 0.15 * octave(256)
    thr = np.quantile(tissue, 0.5)
    # raw field centred on the threshold; the steep mask is applied after
    # upsampling so tissue edges are curved, not blocky
    field = (tissue - thr).astype(np.float32)
    shade = octave(512)
    return field, shade.astype(np.float32)


def _mask(field):
    return np.clip(field * 40.0 + 0.5, 0, 1)


_MASK = _SHADE = None


def _init():
    global _MASK, _SHADE
    _MASK, _SHADE = _fields()


def _upsample(field, y0, y1):
    ys = (np.arange(y0, y1, dtype=np.float32) + 0.5) / FIELD_SCALE - 0.5
    xs = (np.arange(W, dtype=np.float32) + 0.5) / FIELD_SCALE - 0.5
    ys = np.clip(ys, 0, field.shape[0] - 1.001)
    xs = np.clip(xs, 0, field.shape[1] - 1.001)
    iy = ys.astype(np.int64)
    fy = (ys - iy)[:, None]
    ix = xs.astype(np.int64)
    fx = (xs - ix)[None, :]
    rows = field[iy] * (1 - fy) + field[iy + 1] * fy
    return rows[:, ix] * (1 - fx) + rows[:, ix + 1] * fx


def _nuclei(band, y0, y1, draw):
    """Nuclei whose centres lie in band `band` (deterministic per band)."""
    rng = np.random.default_rng(SEED * 1000 + band)
    n = TILE * W // 700
    xs = rng.integers(0, W, n)
    ys = rng.integers(band * TILE, band * TILE + TILE, n)
    rs = rng.integers(2, 7, n)
    shade = rng.integers(140, 255, n)
    m = _mask(_MASK[np.minimum(ys // FIELD_SCALE, _MASK.shape[0] - 1),
                    np.minimum(xs // FIELD_SCALE, _MASK.shape[1] - 1)])
    keep = m > 0.35
    for x, y, r, s in zip(xs[keep], ys[keep], rs[keep], shade[keep]):
        yy = y - y0
        draw.ellipse((x - r, yy - int(r * 0.8), x + r, yy + int(r * 0.8)), fill=int(s))


def _band(b):
    """Level-0 band b (rows b*256 .. +256): JPEG tiles + the 4x-down strip."""
    y0, y1 = b * TILE, (b + 1) * TILE
    mask = _mask(_upsample(_MASK, y0, y1))[..., None]
    shade = _upsample(_SHADE, y0, y1)[..., None]
    img = BG * (1 - mask) + (PINK * (1 - shade) + DEEP * shade) * mask
    nuc = Image.new("L", (W, TILE), 0)
    d = ImageDraw.Draw(nuc)
    for nb in (b - 1, b, b + 1):
        if 0 <= nb < H // TILE:
            _nuclei(nb, y0, y1, d)
    na = np.asarray(nuc, np.float32)[..., None] / 255.0
    img = img * (1 - na) + PURPLE * na
    rng = np.random.default_rng(SEED + 7 + b)
    img += rng.integers(-5, 6, img.shape, dtype=np.int8)
    arr = np.clip(img, 0, 255).astype(np.uint8)
    tiles = []
    for x in range(0, W, TILE):
        buf = io.BytesIO()
        Image.fromarray(np.ascontiguousarray(arr[:, x:x + TILE])).save(
            buf, "JPEG", quality=QUALITY, subsampling=2)
        tiles.append(buf.getvalue())
    return tiles, downsample(arr, 4)


def _encode_row(arr):
    out = []
    for x in range(0, arr.shape[1], TILE):
        buf = io.BytesIO()
        Image.fromarray(np.ascontiguousarray(arr[:, x:x + TILE])).save(
            buf, "JPEG", quality=QUALITY, subsampling=2)
        out.append(buf.getvalue())
    return out


def _tiled_tags(w, h, extra):
    tags = rgb_tags(w, h, COMP_JPEG, PHOTO_YCBCR, 3, {
        T_TILEWIDTH: (LONG, TILE), T_TILELENGTH: (LONG, TILE)})
    tags.update(extra)
    return tags


def build_svs(path, workers):
    """Returns the page layout [(w, h, offsets, counts)] for levels 1, 4, 16."""
    tmp = path + ".tmp"
    w4, h4, w16, h16 = W // 4, H // 4, W // 16, H // 16
    lvl4_tiles, lvl16_tiles = [], []
    acc4, acc16 = [], []
    state = {"done": 0, "t0": time.time()}

    def level0_chunks(pool):
        for tiles, strip4 in pool.imap(_band, range(H // TILE), chunksize=1):
            for t in tiles:
                yield t
            acc4.append(strip4)
            if len(acc4) == 4:
                band4 = np.concatenate(acc4)
                acc4.clear()
                lvl4_tiles.extend(_encode_row(band4))
                acc16.append(downsample(band4, 4))
                if len(acc16) == 4:
                    band16 = np.concatenate(acc16)
                    acc16.clear()
                    lvl16_tiles.append(band16)
            state["done"] += 1
            if state["done"] % 16 == 0:
                print("  level 0: %d/%d bands, %.0fs" % (state["done"], H // TILE,
                                                         time.time() - state["t0"]),
                      file=sys.stderr)

    desc0 = ("Aperio Image Library v12.0.15\r\n%dx%d [0,0 %dx%d] (%dx%d) JPEG/RGB Q=%d"
             "|AppMag = 40|StripeWidth = 1024|ScanScope ID = SLIDETILE-BENCH"
             "|Filename = bench-aperio|Date = 11/25/24|Time = 10:46:00|MPP = 0.25"
             "|Left = 20.0|Top = 20.0|ImageID = 1|OriginalWidth = %d|Originalheight = %d"
             % (W, H, W, H, TILE, TILE, QUALITY, W, H))
    res = {T_XRES: (RATIONAL, (40000, 1)), T_YRES: (RATIONAL, (40000, 1)),
           T_RESUNIT: (SHORT, 3)}
    tw = TiffWriter(tmp)
    layout = []
    with mp.Pool(workers, initializer=_init) as pool:
        tags = _tiled_tags(W, H, {**res, T_DESCRIPTION: (ASCII, desc0), T_NEWSUBFILETYPE: (LONG, 0)})
        layout.append((W, H) + tw.add_page(tags, level0_chunks(pool), tiled=True))
    band16 = np.concatenate(lvl16_tiles)
    thumb = np.asarray(Image.fromarray(band16).resize((1024, 1024 * H // W), Image.LANCZOS))
    write_stripped_page(tw, thumb, COMP_JPEG, quality=85, extra={
        T_DESCRIPTION: (ASCII, "Aperio Image Library v12.0.15\r\n%dx%d -> %dx%d - |AppMag = 40|MPP = 0.25"
                        % (W, H, thumb.shape[1], thumb.shape[0]))})
    tags = _tiled_tags(w4, h4, {**res, T_DESCRIPTION: (
        ASCII, "Aperio Image Library v12.0.15\r\n%dx%d -> %dx%d - |AppMag = 40|MPP = 0.25" % (W, H, w4, h4))})
    layout.append((w4, h4) + tw.add_page(tags, lvl4_tiles, tiled=True))
    tags = _tiled_tags(w16, h16, {**res, T_DESCRIPTION: (
        ASCII, "Aperio Image Library v12.0.15\r\n%dx%d -> %dx%d - |AppMag = 40|MPP = 0.25" % (W, H, w16, h16))})
    layout.append((w16, h16) + tw.add_page(tags, _encode_row_all(band16), tiled=True))
    tw.close()
    os.rename(tmp, path)
    return layout


def _encode_row_all(arr):
    out = []
    for y in range(0, arr.shape[0], TILE):
        out.extend(_encode_row(arr[y:y + TILE]))
    return out


def read_layout(path):
    """Tiled pages of a TIFF we wrote: [(w, h, offsets, counts)]."""
    import tifffile
    out = []
    with tifffile.TiffFile(path) as tf:
        for p in tf.pages:
            if p.is_tiled:
                out.append((p.imagewidth, p.imagelength, list(p.dataoffsets), list(p.databytecounts)))
    return out


def build_copy(src, layout, path, repeat, description):
    """Generic tiled TIFF from `src`'s tiles, content repeated repeat x repeat."""
    tmp = path + ".tmp"
    tw = TiffWriter(tmp)
    with open(src, "rb") as f:
        for i, (w, h, offs, cnts) in enumerate(layout):
            across, down = w // TILE, h // TILE

            def chunks():
                for ty in range(down * repeat):
                    for tx in range(across * repeat):
                        k = (ty % down) * across + (tx % across)
                        f.seek(offs[k])
                        yield f.read(cnts[k])

            extra = {T_SOFTWARE: (ASCII, "Slidetile benchmark generator")}
            if i == 0:
                extra[T_DESCRIPTION] = (ASCII, description)
            else:
                extra[T_NEWSUBFILETYPE] = (LONG, 1)
            tw.add_page(_tiled_tags(w * repeat, h * repeat, extra), chunks(), tiled=True)
    tw.close()
    os.rename(tmp, path)


def main(argv):
    outdir = argv[1] if len(argv) > 1 else "bench/.cache"
    os.makedirs(outdir, exist_ok=True)
    workers = max(1, os.cpu_count() or 1)
    report = {}
    svs = os.path.join(outdir, "bench-aperio.svs")
    t0 = time.time()
    if not os.path.exists(svs):
        print("building %s (%dx%d, %d workers)" % (svs, W, H, workers), file=sys.stderr)
        build_svs(svs, workers)
        report["bench-aperio.svs"] = round(time.time() - t0, 1)
    layout = read_layout(svs)
    gen = os.path.join(outdir, "bench-generic.tiff")
    t0 = time.time()
    if not os.path.exists(gen):
        build_copy(svs, layout, gen, 1, "Slidetile benchmark: generic tiled TIFF, same tiles as bench-aperio.svs")
        report["bench-generic.tiff"] = round(time.time() - t0, 1)
    big = os.path.join(outdir, "bench-1gb.tiff")
    t0 = time.time()
    if not os.path.exists(big):
        total = sum(sum(c) for (_, _, _, c) in layout)
        repeat = max(2, math.ceil(math.sqrt((1 << 30) * 1.02 / total)))
        if total * repeat * repeat > 3.9e9:
            raise SystemExit("bench-1gb.tiff would exceed classic TIFF's 4 GB limit")
        build_copy(svs, layout, big, repeat,
                   "Slidetile benchmark: >= 1 GiB generic tiled TIFF (bench-aperio.svs content %dx%d)"
                   % (repeat, repeat))
        report["bench-1gb.tiff"] = round(time.time() - t0, 1)
    # check natively
    import openslide
    summary = {}
    for name in ("bench-aperio.svs", "bench-generic.tiff", "bench-1gb.tiff"):
        p = os.path.join(outdir, name)
        s = openslide.OpenSlide(p)
        s.read_region((s.dimensions[0] // 2, s.dimensions[1] // 2), 0, (512, 512))
        summary[name] = {
            "vendor": openslide.OpenSlide.detect_format(p),
            "dimensions": list(s.dimensions),
            "level_downsamples": list(s.level_downsamples),
            "mpp": [s.properties.get("openslide.mpp-x"), s.properties.get("openslide.mpp-y")],
            "objective_power": s.properties.get("openslide.objective-power"),
            "size_bytes": os.path.getsize(p),
            "build_seconds": report.get(name),
        }
        s.close()
    with open(os.path.join(outdir, "bench-slides.json"), "w") as f:
        json.dump(summary, f, indent=1)
    print(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
