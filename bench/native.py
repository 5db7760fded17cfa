#!/usr/bin/python3
"""Native twin of Slidetile's benchmark: the seed's local extraction loop and random read_region,
with Debian's python3-openslide (OpenSlide 3.4.1), numpy and PIL. Run with /usr/bin/python3.

  native.py extract SLIDE [--limit 300] [--mpp 0.5] [--tile 512] [--stride 512] [--std 8] [--out DIR]
      The seed (ratiopath "Extract Tiles Locally Without Ray") with ratiopath's semantics, inlined so
      no ratiopath install is needed:
        closest_level(mpp): argmin |level_downsamples - mean(target / (mpp-x, mpp-y))|
        grid_tiles(extent, tile, stride, last="shift"): rows of y, x fastest; n = ceil((L - t) / s),
            origins i * s clamped to L - t
        read_tile: read_region((int(x * ds), int(y * ds)), level, (w, h)), PIL alpha_composite on an
            opaque white RGBA image, convert("RGB"), np.asarray
        tile.std() <= 8 skipped; Image.fromarray(tile).save(DIR/tile_%05d.png) (PIL default PNG,
        zlib level 6); stop at `limit` saved.
      Timed from after the slide is open to the last save. DIR defaults to a temporary folder that is
      removed afterwards.

  native.py random SLIDE COORDS.json
      COORDS.json: {"level": L, "size": 512, "xy": [[x0, y0], ...]} (level-0 origins). Times
      read_region for each, one process, sequential: the per-process rate.

Prints one JSON document on stdout.
"""
import argparse
import hashlib
import json
import math
import os
import shutil
import sys
import tempfile
import time

import numpy as np
import openslide
from PIL import Image


def closest_level(slide, mpp):
    props = slide.properties
    base = (float(props[openslide.PROPERTY_NAME_MPP_X]), float(props[openslide.PROPERTY_NAME_MPP_Y]))
    scale = np.mean(np.asarray([mpp, mpp], dtype=float) / np.asarray(base))
    return int(np.abs(np.asarray(slide.level_downsamples) - scale).argmin())


def axis(extent, tile, stride):
    n = math.ceil((extent - tile) / stride)
    return [min(i * stride, extent - tile) for i in range(max(0, n + 1))]


def grid_tiles(extent, tile, stride):
    xs = axis(extent[0], tile[0], stride[0])
    ys = axis(extent[1], tile[1], stride[1])
    for y in ys:
        for x in xs:
            yield x, y


def read_tile(slide, x, y, w, h, level, background=255):
    ds = slide.level_downsamples[level]
    rgba = slide.read_region((int(x * ds), int(y * ds)), level, (w, h))
    rgb = Image.alpha_composite(Image.new("RGBA", rgba.size, (background,) * 3), rgba).convert("RGB")
    return np.asarray(rgb)


def versions():
    return {"openslide": openslide.__library_version__, "openslide_python": openslide.__version__,
            "pil": Image.__version__, "numpy": np.__version__, "python": sys.version.split()[0]}


def cmd_extract(a):
    out = a.out or tempfile.mkdtemp(prefix="slidetile-native-")
    os.makedirs(out, exist_ok=True)
    t_open = time.perf_counter()
    slide = openslide.OpenSlide(a.slide)
    open_s = time.perf_counter() - t_open
    t0 = time.perf_counter()
    level = closest_level(slide, a.mpp)
    extent = slide.level_dimensions[level]
    saved = 0
    examined = 0
    sizes = []
    saved_idx = []
    read_s = std_s = save_s = 0.0
    last = -1
    for i, (x, y) in enumerate(grid_tiles(extent, (a.tile, a.tile), (a.stride, a.stride))):
        examined += 1
        last = i
        t1 = time.perf_counter()
        tile = read_tile(slide, x, y, a.tile, a.tile, level)
        t2 = time.perf_counter()
        s = tile.std()
        t3 = time.perf_counter()
        read_s += t2 - t1
        std_s += t3 - t2
        if s <= a.std:
            continue
        path = os.path.join(out, f"tile_{i:05d}.png")
        Image.fromarray(tile).save(path)
        save_s += time.perf_counter() - t3
        sizes.append(os.path.getsize(path))
        saved_idx.append(i)
        saved += 1
        if saved == a.limit:
            break
    elapsed = time.perf_counter() - t0
    slide.close()
    if not a.out:
        shutil.rmtree(out, ignore_errors=True)
    print(json.dumps({
        "kind": "extract",
        "slide": a.slide,
        "level": level,
        "extent": list(extent),
        "open_s": open_s,
        "elapsed_s": elapsed,
        "saved": saved,
        "examined": examined,
        "last_index": last,
        "tiles_per_s": saved / elapsed if elapsed > 0 else None,
        "examined_per_s": examined / elapsed if elapsed > 0 else None,
        "mean_png_bytes": sum(sizes) / len(sizes) if sizes else None,
        "total_png_bytes": sum(sizes),
        "split_s": {"read_tile": read_s, "std": std_s, "png_save": save_s},
        "saved_indices_sha1": hashlib.sha1(",".join(map(str, saved_idx)).encode()).hexdigest(),
        "saved_first": saved_idx[:5],
        "encoder": "PIL %s PNG (zlib level 6, default filter strategy)" % Image.__version__,
        "versions": versions(),
    }))


def cmd_random(a):
    with open(a.coords) as f:
        spec = json.load(f)
    slide = openslide.OpenSlide(a.slide)
    level = int(spec["level"])
    size = int(spec["size"])
    xy = spec["xy"]
    # one warm-up read outside the clock (first-touch of the handle), like the page's
    slide.read_region(tuple(xy[0]), level, (size, size))
    # each region is read twice in a row: the first read is the figure; the second finds its tiles
    # in OpenSlide's tile cache, i.e. compositing + pixel conversion only (no I/O, no decode)
    elapsed = cached = 0.0
    for x, y in xy:
        t0 = time.perf_counter()
        slide.read_region((int(x), int(y)), level, (size, size))
        t1 = time.perf_counter()
        slide.read_region((int(x), int(y)), level, (size, size))
        elapsed += t1 - t0
        cached += time.perf_counter() - t1
    slide.close()
    print(json.dumps({
        "cached_ms_per_read": 1000 * cached / len(xy),
        "kind": "random",
        "slide": a.slide,
        "reads": len(xy),
        "elapsed_s": elapsed,
        "reads_per_s": len(xy) / elapsed,
        "ms_per_read": 1000 * elapsed / len(xy),
    }))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("extract")
    e.add_argument("slide")
    e.add_argument("--limit", type=int, default=300)
    e.add_argument("--mpp", type=float, default=0.5)
    e.add_argument("--tile", type=int, default=512)
    e.add_argument("--stride", type=int, default=512)
    e.add_argument("--std", type=float, default=8)
    e.add_argument("--out")
    r = sub.add_parser("random")
    r.add_argument("slide")
    r.add_argument("coords")
    a = p.parse_args(argv)
    if a.cmd == "extract":
        cmd_extract(a)
    else:
        cmd_random(a)


if __name__ == "__main__":
    sys.exit(main())
