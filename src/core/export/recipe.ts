// ratiopath_recipe.py: a runnable script that redoes this plan with ratiopath — OpenSlide,
// closest_level (or the level), grid_tiles, read_tile, tile.std(), tile_annotations — so a user
// who outgrows one machine keeps the same tiles. A second entry point runs it with ratiopath.ray.
import type { Plan } from '../plan.ts';
import type { SlideInfo } from '../slide.ts';
import { slideStem } from '../naming.ts';
import { SLIDETILE_VERSION } from '../version.ts';
import type { LabelRule } from './labels.ts';

export interface RecipeOptions {
  /** where the annotations used for coverage are, relative to the script (written by annotationsGeoJson). */
  annotationsFile?: string;
  /** tiles labelled by class (core/export/labels.ts), and filed under tiles/<class>/ when byClass */
  labels?: { rule: LabelRule; byClass: boolean };
}

/** A Python literal for a JSON-like value. */
export function py(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return Number.isNaN(v) ? 'float("nan")' : v > 0 ? 'float("inf")' : 'float("-inf")';
    return String(v);
  }
  if (typeof v === 'string') return JSON.stringify(v); // JSON string escapes are valid Python
  if (Array.isArray(v)) return v.length === 2 && v.every((x) => typeof x === 'number') ? `(${py(v[0])}, ${py(v[1])})` : `[${v.map(py).join(', ')}]`;
  if (typeof v === 'object') return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${JSON.stringify(k)}: ${py(x)}`).join(', ')}}`;
  throw new TypeError(`no Python literal for ${typeof v}`);
}

function indexSet(plan: Plan, state: number): string {
  const out: number[] = [];
  for (let i = 0; i < plan.manual.length; i++) if (plan.manual[i] === state) out.push(i);
  return out.length === 0 ? 'set()' : `{${out.join(', ')}}`;
}

export function ratiopathRecipe(plan: Plan, info: SlideInfo, slideFile: string, opts: RecipeOptions = {}): string {
  const p = plan.params;
  const mppMode = p.resolution.mode === 'mpp';
  const override = plan.sources.mppOverride;
  const slideMppOverride = override === null ? null : typeof override === 'number' ? [override, override] : [override.x, override.y];
  const tissue = plan.sources.tissue;
  const tissueLevel = tissue ? info.levels.findIndex((l) => l.width === tissue.width && l.height === tissue.height) : -1;
  const coverageOn = p.coverage !== null && plan.sources.annotations > 0;
  const tissueOn = p.tissueThreshold !== null && tissue !== null;
  const base = slideFile.split(/[\\/]/).pop() ?? slideFile;
  return `#!/usr/bin/env python3
"""Redo Slidetile's tile plan for ${base} with ratiopath.

Made by Slidetile ${SLIDETILE_VERSION}. The constants below are the settings used in the app; with
them this script saves the same accepted tiles under the same names.

    pip install ratiopath openslide-python openslide-bin pillow numpy scipy shapely   # ratiopath needs Python >= 3.12

    python ratiopath_recipe.py [SLIDE] [OUT_DIR]        # this slide, one machine (ratiopath's local example)
    python ratiopath_recipe.py --ray SLIDES_DIR OUT_DIR  # many slides with ratiopath.ray, written as Parquet
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from PIL import Image

from ratiopath.openslide import OpenSlide
from ratiopath.tiling import grid_tiles

# --- the plan, with ratiopath's names ---------------------------------------------------------
SLIDE = ${py(base)}
MPP = ${mppMode ? py((p.resolution as { mpp: number }).mpp) : 'None'}  # µm/px asked of closest_level; None when a level was chosen
LEVEL = ${mppMode ? 'None' : py((p.resolution as { level: number }).level)}
SLIDE_MPP = ${py(slideMppOverride)}  # the slide's µm/px typed in Slidetile when its file has none
TILE_EXTENT = ${py(plan.tile)}
STRIDE = ${py(plan.stride)}
LAST = ${py(p.last)}
STD_THRESHOLD = ${py(p.stdThreshold)}  # keep tiles with tile.std() > STD_THRESHOLD (None: no std filter)
LIMIT = ${py(p.limit)}  # stop after this many saved tiles (None: all)
BACKGROUND = ${py(p.background)}
FORMAT = ${py(p.format)}
JPEG_QUALITY = ${py(p.jpegQuality)}
NAMING = ${py(p.naming)}
COVERAGE_MIN = ${coverageOn ? py(p.coverage!.min) : 'None'}  # keep tiles whose annotated fraction >= this
COVERAGE_CLASSES = ${py(coverageOn ? p.coverage!.classes : [])}  # empty: every annotation
ANNOTATIONS = ${py(opts.annotationsFile ?? 'annotations.geojson')}  # level-0 px of the OpenSlide plane
TISSUE_THRESHOLD = ${tissueOn ? py(p.tissueThreshold) : 'None'}  # keep tiles whose tissue fraction >= this
TISSUE_LEVEL = ${tissueOn && tissueLevel >= 0 ? tissueLevel : 'None'}  # level the tissue mask is made from
TISSUE_MODE = ${py(tissue?.mode ?? tissue?.channel ?? 'grey')}  # "auto": the edge's brightness picks grey or fluorescence per slide
TISSUE_CHANNEL = ${py(tissue?.channel ?? 'grey')}  # what Slidetile used for this slide (Otsu threshold ${tissue ? tissue.threshold : '-'})
TISSUE_DISK_PX = ${py(tissue?.morphology?.radiusPx ?? 0)}  # closing then opening with skimage's disk(r), r in mask px${tissue?.morphology?.radiusUm ? ` (${tissue.morphology.radiusUm} µm at this slide's µm/px)` : ''}; 0: none
TISSUE_HOLE_PX = ${py(tissue?.morphology?.holeAreaPx ?? 0)}  # enclosed background regions smaller than this (mask px) become tissue${tissue?.morphology?.holeAreaUm2 ? ` (${tissue.morphology.holeAreaUm2} µm²)` : ''}; 0: none
LABEL_RULE = ${py(opts.labels?.rule ?? null)}  # a tile's class: "largest" covered, or the one over its "centre" pixel
BY_CLASS = ${py(opts.labels?.byClass ?? false)}  # save tiles under OUT_DIR/<class>/
MANUAL_INCLUDE = ${indexSet(plan, 1)}  # grid indices the user clicked in
MANUAL_EXCLUDE = ${indexSet(plan, 2)}  # grid indices the user clicked out
EXPECTED = ${py({ level: plan.level, extent: plan.extent, tiles: plan.grid.count })}  # what Slidetile planned


def choose_level(slide) -> int:
    if LEVEL is not None:
        return LEVEL
    if SLIDE_MPP is not None:
        # closest_level reads openslide.mpp-x/y; the same formula with the typed value
        scale = np.mean(np.asarray(MPP) / np.asarray(SLIDE_MPP))
        return int(np.abs(np.asarray(slide.level_downsamples) - scale).argmin())
    return slide.closest_level(MPP)


def read_tile(slide, x: int, y: int, level: int) -> np.ndarray:
    if BACKGROUND == 255 and hasattr(slide, "read_tile"):
        return np.asarray(slide.read_tile(x=int(x), y=int(y), extent_x=TILE_EXTENT[0], extent_y=TILE_EXTENT[1], level=level))
    # older ratiopath, or another background: read_region at int(x * downsample), composited
    ds = slide.level_downsamples[level]
    region = slide.read_region((int(x * ds), int(y * ds)), level, TILE_EXTENT)
    bg = Image.new("RGBA", region.size, (BACKGROUND, BACKGROUND, BACKGROUND, 255))
    return np.asarray(Image.alpha_composite(bg, region.convert("RGBA")).convert("RGB"))


def tile_name(i: int, x: int, y: int, ds: float, stem: str) -> str:
    ext = "png" if FORMAT == "png" else "jpg"
    if NAMING == "index":
        return f"tile_{i:05d}.{ext}"
    w, h = int(np.floor(TILE_EXTENT[0] * ds + 0.5)), int(np.floor(TILE_EXTENT[1] * ds + 0.5))  # JS Math.round
    d = float(f"{ds:.5f}")
    d_text = str(int(d)) if d == int(d) else repr(d)
    return f"{stem} [d={d_text},x={int(x * ds)},y={int(y * ds)},w={w},h={h}].{ext}"


def annotation_geometry(path: Path):
    """Union of the annotations (ImageScope negative regions subtracted), level-0 px."""
    from shapely import make_valid
    from shapely.geometry import shape
    from shapely.ops import unary_union

    positive, negative = [], []
    for f in json.loads(Path(path).read_text())["features"]:
        props = f.get("properties") or {}
        cls = (props.get("classification") or {}).get("name")
        if COVERAGE_CLASSES and cls not in COVERAGE_CLASSES:
            continue
        (negative if props.get("slidetile_negative") else positive).append(make_valid(shape(f["geometry"])))
    geom = unary_union(positive)
    return geom.difference(unary_union(negative)) if negative else geom


def coverage_fractions(coords, downsample: float, path: Path) -> list[float]:
    # ratiopath's own: the tile box shifted by origin × downsample, intersected with the annotations
    from ratiopath.tiling import tile_annotations
    from shapely.geometry import box

    roi = box(0, 0, TILE_EXTENT[0], TILE_EXTENT[1])
    area = TILE_EXTENT[0] * TILE_EXTENT[1]
    return [g.area / area for g in tile_annotations([annotation_geometry(path)], roi, coords, downsample)]


def class_geometries(path: Path) -> dict:
    """Each class's region: the union of its shapes minus its negative regions, level-0 px."""
    from shapely import make_valid
    from shapely.geometry import shape
    from shapely.ops import unary_union

    positive, negative = {}, {}
    for f in json.loads(Path(path).read_text())["features"]:
        props = f.get("properties") or {}
        cls = (props.get("classification") or {}).get("name")
        if cls is None:
            continue
        (negative if props.get("slidetile_negative") else positive).setdefault(cls, []).append(make_valid(shape(f["geometry"])))
    out = {}
    for cls in sorted(set(positive) | set(negative)):
        g = unary_union(positive.get(cls, []))
        out[cls] = g.difference(unary_union(negative[cls])) if cls in negative else g
    return out


def class_labels(coords, downsample: float, path: Path) -> list:
    """Slidetile's label rules (tiles.csv's label column): "largest", the class covering most of the
    tile; "centre", the class covering more than half of the level-0 pixel square around its centre.
    Ties: the larger tile coverage, then the first class by name. None: no class qualifies."""
    from shapely.geometry import box

    geoms = class_geometries(path)
    classes = sorted(geoms)
    w, h = TILE_EXTENT[0] * downsample, TILE_EXTENT[1] * downsample
    labels = []
    for x, y in coords:
        x0, y0 = x * downsample, y * downsample
        t = box(x0, y0, x0 + w, y0 + h)
        cov = {c: min(1.0, geoms[c].intersection(t).area / t.area) for c in classes}
        best, best_v = None, 0.0
        if LABEL_RULE == "largest":
            for c in classes:
                if cov[c] > 0 and (best is None or cov[c] > cov[best]):
                    best = c
        else:
            px = box(x0 + w / 2 - 0.5, y0 + h / 2 - 0.5, x0 + w / 2 + 0.5, y0 + h / 2 + 0.5)
            for c in classes:
                v = min(1.0, geoms[c].intersection(px).area) if cov[c] > 0 else 0.0
                if v > 0.5 and (best is None or v > best_v or (v == best_v and cov[c] > cov[best])):
                    best, best_v = c, v
        labels.append(best)
    return labels


def otsu(hist) -> int:
    # the threshold t maximising the between-class variance of [0..t] and [t+1..255], first on ties
    hist = [float(h) for h in hist]
    total = sum(hist)
    sum_all = sum(v * h for v, h in enumerate(hist))
    w0 = sum0 = 0.0
    best, best_var = 0, -1.0
    for t in range(255):
        w0 += hist[t]
        sum0 += t * hist[t]
        w1 = total - w0
        if w0 == 0 or w1 == 0:
            continue
        m0, m1 = sum0 / w0, (sum_all - sum0) / w1
        between = w0 * w1 * (m0 - m1) * (m0 - m1)
        if between > best_var:
            best, best_var = t, between
    return best


LOG_SCALE = np.floor(255 * np.log1p(np.arange(256)) / np.log(256) + 0.5).astype(np.int64)


def tissue_channel(comp) -> str:
    """The auto rule: the median of max(R, G, B) over a frame along the edge (2 % of the shorter side,
    at least 1 px; the lower median) below 128 is a dark background: fluorescence; otherwise grey."""
    if TISSUE_MODE != "auto":
        return TISSUE_MODE
    h, w = comp.shape[:2]
    f = max(1, int(np.floor(0.02 * min(w, h) + 0.5)))
    edge = np.ones((h, w), bool)
    edge[f:h - f, f:w - f] = False
    m = np.sort(comp.max(-1)[edge])
    return "fluorescence" if m.size and m[(m.size - 1) // 2] < 128 else "grey"


def tissue_morphology(mask):
    """Closing then opening with a disk (outside the image: background for dilation, tissue for
    erosion), then enclosed background regions (4-connected) smaller than TISSUE_HOLE_PX filled."""
    if TISSUE_DISK_PX <= 0 and TISSUE_HOLE_PX <= 0:
        return mask
    from scipy import ndimage as ndi  # only when there is morphology to do

    if TISSUE_DISK_PX > 0:
        r = TISSUE_DISK_PX
        yy, xx = np.mgrid[-r:r + 1, -r:r + 1]
        disk = xx * xx + yy * yy <= r * r
        mask = ndi.binary_erosion(ndi.binary_dilation(mask, disk), disk, border_value=1)
        mask = ndi.binary_dilation(ndi.binary_erosion(mask, disk, border_value=1), disk)
    if TISSUE_HOLE_PX > 0:
        lab, _ = ndi.label(~mask)
        small = np.bincount(lab.ravel()) < TISSUE_HOLE_PX
        small[0] = False
        small[np.unique(np.concatenate([lab[0], lab[-1], lab[:, 0], lab[:, -1]]))] = False
        mask = mask | small[lab]
    return mask


def tissue_mask_from_rgba(rgba):
    """Slidetile's tissue mask of a whole level's RGBA pixels: (mask, channel, Otsu threshold).
    grey: PIL "L" weights, tissue is darker; saturation: tissue is more saturated; fluorescence:
    max(R, G, B) on a log scale, tissue is brighter. Then the morphology."""
    rgba = np.asarray(rgba).astype(np.int64)
    a = rgba[..., 3:4]
    comp = np.floor((rgba[..., :3] * a + BACKGROUND * (255 - a)) / 255 + 0.5).astype(np.int64)
    comp = np.where(a == 255, rgba[..., :3], comp)
    channel = tissue_channel(comp)
    r, g, b = comp[..., 0], comp[..., 1], comp[..., 2]
    if channel == "grey":
        v = (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16
    elif channel == "saturation":
        mx, mn = comp.max(-1), comp.min(-1)
        v = np.where(mx == 0, 0, np.floor((mx - mn) * 255 / np.maximum(mx, 1) + 0.5)).astype(np.int64)
    else:
        v = LOG_SCALE[comp.max(-1)]
    t = otsu(np.bincount(v.ravel(), minlength=256))
    mask = (v <= t) if channel == "grey" else (v > t)
    return tissue_morphology(mask), channel, t


def tissue_fractions(slide, coords, downsample: float) -> list[float]:
    """Slidetile's tissue filter (tissue_mask_from_rgba on the whole TISSUE_LEVEL), then each tile's
    exact area-weighted share of mask pixels."""
    w, h = slide.level_dimensions[TISSUE_LEVEL]
    mask, _, _ = tissue_mask_from_rgba(slide.read_region((0, 0), TISSUE_LEVEL, (w, h)))
    s = np.zeros((h + 1, w + 1))
    s[1:, 1:] = mask.cumsum(0).cumsum(1)
    md = slide.level_downsamples[TISSUE_LEVEL]

    def cumulative(X: float, Y: float) -> float:
        x, y = min(max(X, 0.0), w), min(max(Y, 0.0), h)
        i, j = min(int(np.floor(x)), w - 1), min(int(np.floor(y)), h - 1)
        fx, fy = x - i, y - j
        s00, s10, s01, s11 = s[j, i], s[j, i + 1], s[j + 1, i], s[j + 1, i + 1]
        return s00 + fx * (s10 - s00) + fy * (s01 - s00) + fx * fy * (s11 - s10 - s01 + s00)

    out = []
    for x, y in coords:
        x0, y0 = x * downsample / md, y * downsample / md
        x1, y1 = (x + TILE_EXTENT[0]) * downsample / md, (y + TILE_EXTENT[1]) * downsample / md
        area = cumulative(x1, y1) - cumulative(x0, y1) - cumulative(x1, y0) + cumulative(x0, y0)
        out.append(min(1.0, max(0.0, area / ((x1 - x0) * (y1 - y0)))))
    return out


def run_local(slide_path: Path, out_dir: Path, annotations: Path) -> int:
    """ratiopath's "extract tiles locally" loop, with Slidetile's filters in the same order."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with OpenSlide(str(slide_path)) as slide:
        level = choose_level(slide)
        extent = slide.level_dimensions[level]
        ds = slide.level_downsamples[level]
        coords = list(grid_tiles(slide_extent=extent, tile_extent=TILE_EXTENT, stride=STRIDE, last=LAST))
        if (level, tuple(extent), len(coords)) != (EXPECTED["level"], tuple(EXPECTED["extent"]), EXPECTED["tiles"]):
            print(f"warning: ratiopath planned level {level}, extent {extent}, {len(coords)} tiles; Slidetile planned {EXPECTED}", file=sys.stderr)
        cov = coverage_fractions(coords, ds, annotations) if COVERAGE_MIN is not None else None
        tis = tissue_fractions(slide, coords, ds) if TISSUE_THRESHOLD is not None and TISSUE_LEVEL is not None else None
        labels = class_labels(coords, ds, annotations) if LABEL_RULE is not None else None
        saved = 0
        for i, (x, y) in enumerate(coords):
            forced = i in MANUAL_INCLUDE
            if i in MANUAL_EXCLUDE:
                continue
            if not forced and cov is not None and not cov[i] >= COVERAGE_MIN:
                continue
            if not forced and tis is not None and not tis[i] >= TISSUE_THRESHOLD:
                continue
            try:
                tile = read_tile(slide, x, y, level)
            except Exception as e:  # a corrupt tile: Slidetile records it as read-failed and goes on
                print(f"warning: tile {i} at ({x}, {y}) could not be read: {e}", file=sys.stderr)
                continue
            if not forced and STD_THRESHOLD is not None and tile.std() <= STD_THRESHOLD:
                continue
            options = {"quality": JPEG_QUALITY} if FORMAT == "jpeg" else {}
            folder = out_dir
            if BY_CLASS and labels is not None:
                folder = out_dir / (labels[i] or "unlabelled")
                folder.mkdir(exist_ok=True)
            Image.fromarray(tile).save(folder / tile_name(i, x, y, ds, slide_path.stem), **options)
            saved += 1
            if LIMIT is not None and saved == LIMIT:
                break
    print(f"saved {saved} tiles to {out_dir}")
    return saved


def run_ray(slides_dir: Path, out_dir: Path) -> None:
    """The same plan for every slide in a folder with ratiopath.ray (no limit, no manual choices:
    those belong to one slide). Annotations, when used, are read from SLIDE.geojson beside each slide."""
    if BACKGROUND != 255:
        # read_slide_tiles always composites on white: the tiles (and their std) would differ
        sys.exit(f"--ray: ratiopath's read_slide_tiles composites on white, but this plan's background is {BACKGROUND}; run this slide without --ray, or set BACKGROUND = 255")
    from ray.data.expressions import col
    from ratiopath.ray import read_slides
    from ratiopath.tiling import read_slide_tiles

    if MPP is not None and SLIDE_MPP is not None:
        print("warning: --ray uses each slide's own µm/px; SLIDE_MPP is ignored", file=sys.stderr)
    resolution = {"level": LEVEL} if LEVEL is not None else {"mpp": MPP}
    slides = read_slides(str(slides_dir), tile_extent=TILE_EXTENT, stride=STRIDE, **resolution)

    def expand(row: dict) -> list[dict]:
        coords = list(grid_tiles(
            slide_extent=(row["extent_x"], row["extent_y"]),
            tile_extent=(row["tile_extent_x"], row["tile_extent_y"]),
            stride=(row["stride_x"], row["stride_y"]),
            last=LAST,
        ))
        keep = [True] * len(coords)
        if COVERAGE_MIN is not None:
            cov = coverage_fractions(coords, row["downsample"], Path(row["path"]).with_suffix(".geojson"))
            keep = [k and c >= COVERAGE_MIN for k, c in zip(keep, cov)]
        if TISSUE_THRESHOLD is not None and TISSUE_LEVEL is not None:
            with OpenSlide(row["path"]) as slide:
                tis = tissue_fractions(slide, coords, row["downsample"])
            keep = [k and t >= TISSUE_THRESHOLD for k, t in zip(keep, tis)]
        return [
            {
                "path": row["path"],
                "index": i,
                "tile_x": int(x),
                "tile_y": int(y),
                "level": row["level"],
                "tile_extent_x": row["tile_extent_x"],
                "tile_extent_y": row["tile_extent_y"],
            }
            for i, ((x, y), k) in enumerate(zip(coords, keep))
            if k
        ]

    tiles = slides.flat_map(expand, num_cpus=0.2, memory=128 * 1024**2)
    tiles = tiles.repartition(target_num_rows_per_block=128)
    tiles = tiles.with_column(
        "tile",
        read_slide_tiles(col("path"), col("tile_x"), col("tile_y"), col("tile_extent_x"), col("tile_extent_y"), col("level")),
        num_cpus=1,
        memory=4 * 1024**3,
    )
    if STD_THRESHOLD is not None:
        tiles = tiles.filter(lambda row: row["tile"].std() > STD_THRESHOLD)
    tiles.write_parquet(str(out_dir))


def main() -> None:
    here = Path(__file__).resolve().parent
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ray", action="store_true", help="run ratiopath.ray over a folder of slides")
    ap.add_argument("source", nargs="?", default=SLIDE, help="the slide (or, with --ray, a folder of slides)")
    ap.add_argument("out", nargs="?", default=${py(`${slideStem(base)}_tiles`)}, help="output folder")
    args = ap.parse_args()
    if args.ray:
        run_ray(Path(args.source), Path(args.out))
    else:
        run_local(Path(args.source), Path(args.out), here / ANNOTATIONS)


if __name__ == "__main__":
    main()
`;
}
