#!/usr/bin/python3
"""Native oracle for whole-export parity: ratiopath's local extraction loop without a limit.

Run with Debian's /usr/bin/python3 (native OpenSlide 3.4.1 via python3-openslide, numpy, PIL).

    native_export.py SLIDE (--level L | --mpp M) --tile W,H [--stride X,Y] [--last drop|keep|shift]
        [--std-threshold T|none] [--background 255] [--annotations FILE --coverage F]
        [--cache-dir DIR] [--no-cache]

For every tile of ratiopath's grid_tiles, in its order (row-major, x fastest):
  read_tile:  read_region((int(x * ds), int(y * ds)), level, (W, H)) -> straight RGBA (as
              openslide-python gives it) -> PIL alpha_composite onto an opaque (bg, bg, bg) image
              -> RGB; std = numpy tile.std() (float64); std-rejected iff std <= threshold.
  coverage:   (with --annotations) |tile ∩ annotations| / |tile| in level-0 px, the tile box
              being (x * ds, y * ds, W * ds, H * ds) as ratiopath's tile_annotations shifts it.
              Exact area by Sutherland–Hodgman clipping of each ring against the tile rectangle
              and the shoelace formula; holes subtract.  Polygons of different features are
              summed, which is the union's area only when they do not overlap: the script says
              so in "warnings" when two features' boxes overlap.
Every tile is read (also coverage-rejected ones) so "std" is known for all of them; "accepted"
and "reason" follow Slidetile's order: coverage first, then std.

Output (stdout, JSON): {"slide", "level", "downsample", "extent", "tile", "stride", "last",
  "std_threshold", "background", "coverage_min", "count", "accepted", "rejected_std",
  "rejected_coverage", "warnings", "tiles": [{"index", "x", "y", "std" (float64 repr string and
  "std_value" number), "accepted", "reason", "sha256", "coverage"?}]}
Results are cached under .cache/parity/ keyed by the inputs (slide path, size, mtime; every
option; this script's own bytes).
"""
import argparse
import hashlib
import json
import os
import sys

import numpy as np
import openslide
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


# --- ratiopath's grid_tiles ----------------------------------------------------------------------
def grid_tiles(slide_extent, tile_extent, stride, last="drop"):
    """ratiopath.tiling.grid_tiles: n = (slide - tile) / stride (float64), floor for drop, ceil
    for keep/shift; n + 1 origins per axis at i * stride; shift clamps to slide - tile.
    Yields (x, y) row-major, x fastest."""
    slide_extent = np.asarray(slide_extent)
    tile_extent = np.asarray(tile_extent)
    stride = np.asarray(stride)
    dim_max = (slide_extent - tile_extent) / stride
    if last == "drop":
        dim_max = np.floor(dim_max)
    elif last in ("keep", "shift"):
        dim_max = np.ceil(dim_max)
    else:
        raise ValueError("last must be drop, keep or shift")
    dim_max = dim_max.astype(int)
    counts = np.maximum(dim_max + 1, 0)
    for coords in np.ndindex(tuple(counts[::-1])):
        xy = np.asarray(coords[::-1]) * stride
        if last == "shift":
            xy = np.minimum(xy, slide_extent - tile_extent)
        yield int(xy[0]), int(xy[1])


# --- ratiopath's closest_level -------------------------------------------------------------------
def closest_level(slide, mpp):
    mx = float(slide.properties[openslide.PROPERTY_NAME_MPP_X])
    my = float(slide.properties[openslide.PROPERTY_NAME_MPP_Y])
    scale = np.mean(np.asarray([mpp, mpp]) / np.asarray([mx, my]))
    return int(np.abs(np.asarray(slide.level_downsamples) - scale).argmin())


# --- exact coverage ------------------------------------------------------------------------------
def clip_rect(ring, x0, y0, x1, y1):
    """Sutherland–Hodgman: ring (list of (x, y), not closed) clipped to the rectangle."""
    def clip(pts, inside, cross):
        out = []
        n = len(pts)
        for i in range(n):
            cur, prev = pts[i], pts[i - 1]
            ci, pi = inside(cur), inside(prev)
            if ci:
                if not pi:
                    out.append(cross(prev, cur))
                out.append(cur)
            elif pi:
                out.append(cross(prev, cur))
        return out

    def at_x(xv):
        return lambda p, q: (xv, p[1] + (q[1] - p[1]) * (xv - p[0]) / (q[0] - p[0]))

    def at_y(yv):
        return lambda p, q: (p[0] + (q[0] - p[0]) * (yv - p[1]) / (q[1] - p[1]), yv)

    pts = list(ring)
    for inside, cross in (
        (lambda p: p[0] >= x0, at_x(x0)),
        (lambda p: p[0] <= x1, at_x(x1)),
        (lambda p: p[1] >= y0, at_y(y0)),
        (lambda p: p[1] <= y1, at_y(y1)),
    ):
        if not pts:
            break
        pts = clip(pts, inside, cross)
    return pts


def shoelace(pts):
    s = 0.0
    n = len(pts)
    for i in range(n):
        x1, y1 = pts[i - 1]
        x2, y2 = pts[i]
        s += x1 * y2 - x2 * y1
    return abs(s) / 2.0


def open_ring(ring):
    pts = [(float(p[0]), float(p[1])) for p in ring]
    if len(pts) > 1 and pts[0] == pts[-1]:
        pts = pts[:-1]
    return pts


def load_polygons(path, offset, classes):
    """[(rings, bbox)] per feature polygon, level-0 px of the OpenSlide plane (QuPath coordinates
    + openslide.bounds offset)."""
    with open(path) as f:
        doc = json.load(f)
    feats = doc["features"] if isinstance(doc, dict) else doc
    polys = []
    ox, oy = offset
    for f in feats:
        props = f.get("properties") or {}
        cls = (props.get("classification") or {}).get("name")
        if classes and cls not in classes:
            continue
        g = f["geometry"]
        parts = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"] if g["type"] == "MultiPolygon" else []
        for rings in parts:
            rs = [[(x + ox, y + oy) for x, y in open_ring(r)] for r in rings]
            rs = [r for r in rs if len(r) >= 3]
            if not rs:
                continue
            xs = [p[0] for p in rs[0]]
            ys = [p[1] for p in rs[0]]
            polys.append((rs, (min(xs), min(ys), max(xs), max(ys))))
    return polys


def coverage(polys, x0, y0, w, h):
    x1, y1 = x0 + w, y0 + h
    area = 0.0
    for rings, (bx0, by0, bx1, by1) in polys:
        if bx1 <= x0 or bx0 >= x1 or by1 <= y0 or by0 >= y1:
            continue
        a = shoelace(clip_rect(rings[0], x0, y0, x1, y1))
        for hole in rings[1:]:
            a -= shoelace(clip_rect(hole, x0, y0, x1, y1))
        area += a
    return area / (w * h)


# --- the loop ------------------------------------------------------------------------------------
def read_tile(slide, x, y, level, w, h, bg):
    ds = slide.level_downsamples[level]
    rgba = slide.read_region((int(x * ds), int(y * ds)), level, (w, h))
    rgb = Image.alpha_composite(Image.new("RGBA", rgba.size, (bg, bg, bg)), rgba).convert("RGB")
    return np.asarray(rgb)


def pair(s):
    parts = [int(v) for v in s.replace("x", ",").split(",")]
    return (parts[0], parts[0]) if len(parts) == 1 else (parts[0], parts[1])


def run(args):
    slide = openslide.OpenSlide(args.slide)
    try:
        level = args.level if args.level is not None else closest_level(slide, args.mpp)
        extent = slide.level_dimensions[level]
        ds = float(slide.level_downsamples[level])
        tile = pair(args.tile)
        stride = pair(args.stride) if args.stride else tile
        thr = None if args.std_threshold in ("none", "off") else float(args.std_threshold)
        bg = args.background
        warnings = []
        polys = None
        if args.annotations:
            offset = (int(slide.properties.get("openslide.bounds-x", 0) or 0), int(slide.properties.get("openslide.bounds-y", 0) or 0))
            polys = load_polygons(args.annotations, offset, [c for c in (args.classes or "").split(",") if c])
            for i in range(len(polys)):
                for j in range(i + 1, len(polys)):
                    a, b = polys[i][1], polys[j][1]
                    if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
                        warnings.append("annotation polygons %d and %d have overlapping boxes: summed coverage may exceed the union's" % (i, j))
        tiles = []
        for i, (x, y) in enumerate(grid_tiles(extent, tile, stride, args.last)):
            t = read_tile(slide, x, y, level, tile[0], tile[1], bg)
            std = float(t.std())
            row = {"index": i, "x": x, "y": y, "std": repr(std), "std_value": std,
                   "sha256": hashlib.sha256(t.tobytes()).hexdigest()}
            reason = ""
            if polys is not None:
                c = coverage(polys, x * ds, y * ds, tile[0] * ds, tile[1] * ds)
                row["coverage"] = c
                if args.coverage is not None and not c >= args.coverage:
                    reason = "coverage"
            if not reason and thr is not None and std <= thr:
                reason = "std"
            row["accepted"] = reason == ""
            row["reason"] = reason
            tiles.append(row)
    finally:
        slide.close()
    return {
        "slide": os.path.abspath(args.slide), "level": level, "downsample": ds, "extent": list(extent),
        "tile": list(tile), "stride": list(stride), "last": args.last, "std_threshold": thr,
        "background": bg, "coverage_min": args.coverage, "count": len(tiles),
        "accepted": sum(t["accepted"] for t in tiles),
        "rejected_std": sum(t["reason"] == "std" for t in tiles),
        "rejected_coverage": sum(t["reason"] == "coverage" for t in tiles),
        "warnings": warnings, "tiles": tiles,
    }


def cache_key(args):
    h = hashlib.sha256()
    with open(os.path.abspath(__file__), "rb") as f:
        h.update(f.read())
    st = os.stat(args.slide)
    parts = [os.path.abspath(args.slide), st.st_size, int(st.st_mtime), args.level, args.mpp, args.tile,
             args.stride, args.last, args.std_threshold, args.background, args.coverage, args.classes]
    if args.annotations:
        with open(args.annotations, "rb") as f:
            parts.append(hashlib.sha256(f.read()).hexdigest())
    h.update(json.dumps(parts).encode())
    return h.hexdigest()[:24]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("slide")
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--level", type=int)
    g.add_argument("--mpp", type=float)
    ap.add_argument("--tile", required=True)
    ap.add_argument("--stride")
    ap.add_argument("--last", default="shift", choices=["drop", "keep", "shift"])
    ap.add_argument("--std-threshold", default="8")
    ap.add_argument("--background", type=int, default=255)
    ap.add_argument("--annotations")
    ap.add_argument("--coverage", type=float)
    ap.add_argument("--classes")
    ap.add_argument("--cache-dir", default=os.path.join(ROOT, ".cache", "parity"))
    ap.add_argument("--no-cache", action="store_true")
    args = ap.parse_args(argv)
    path = os.path.join(args.cache_dir, cache_key(args) + ".json")
    if not args.no_cache and os.path.exists(path):
        with open(path) as f:
            sys.stdout.write(f.read())
        return 0
    out = json.dumps(run(args))
    if not args.no_cache:
        os.makedirs(args.cache_dir, exist_ok=True)
        tmp = path + ".%d.tmp" % os.getpid()
        with open(tmp, "w") as f:
            f.write(out)
        os.replace(tmp, path)
    sys.stdout.write(out + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
