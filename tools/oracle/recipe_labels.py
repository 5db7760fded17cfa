#!/usr/bin/env python3
"""Runs the export's own ratiopath_recipe.py label code (class_geometries, class_labels — shapely) on
the tiles of tiles.csv, and prints each tile's label and per-class coverage as JSON, so a test checks
that the recipe gives the labels the export wrote (src/export/formats/labels.test.ts).

  recipe_labels.py RECIPE.py ANNOTATIONS.geojson TILES.json
TILES.json: {"downsample": D, "coords": [[x, y], ...]} in the level's pixels.
ratiopath is not installable here (no PyPI): a stub module stands in for its imports, which the
label code does not use.
"""
import json
import sys
import types
from pathlib import Path

recipe, annotations, tiles = sys.argv[1:4]
for name in ("ratiopath", "ratiopath.tiling", "ratiopath.openslide"):
    sys.modules[name] = types.ModuleType(name)
sys.modules["ratiopath.tiling"].grid_tiles = None
sys.modules["ratiopath.openslide"].OpenSlide = None
ns = {"__name__": "recipe"}
exec(compile(Path(recipe).read_text(), recipe, "exec"), ns)
job = json.loads(Path(tiles).read_text())
labels = ns["class_labels"](job["coords"], job["downsample"], Path(annotations))
geoms = ns["class_geometries"](Path(annotations))
from shapely.geometry import box

w, h = ns["TILE_EXTENT"][0] * job["downsample"], ns["TILE_EXTENT"][1] * job["downsample"]
coverage = {
    c: [min(1.0, g.intersection(box(x * job["downsample"], y * job["downsample"], x * job["downsample"] + w, y * job["downsample"] + h)).area / (w * h)) for x, y in job["coords"]]
    for c, g in geoms.items()
}
json.dump({"labels": labels, "coverage": coverage}, sys.stdout)
