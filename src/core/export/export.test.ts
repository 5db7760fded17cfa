import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyLimit, applyReadFailure, applyStd, makePlan } from '../plan.ts';
import { tileFileName, formatDownsample, slideStem } from '../naming.ts';
import { tilesCsv, TILES_CSV_COLUMNS, csvField } from './csv.ts';
import { slideJson } from './slidejson.ts';
import { py, ratiopathRecipe } from './recipe.ts';
import { annotationsGeoJson } from './annotations.ts';
import { parseAnnotations } from '../annotations/index.ts';
import { SLIDETILE_VERSION } from '../version.ts';
import { rgbStd } from '../filters/std.ts';
import { tissueMaskFromRGBA } from '../filters/tissue.ts';
import { CMU_SMALL, NDPI_TRITC } from '../testing/slides.ts';
import type { SlideInfo } from '../slide.ts';

describe('tile names', () => {
  it('the seed’s tile_{i:05d}.png, jpg for JPEG', () => {
    const p = makePlan(CMU_SMALL, {});
    expect(tileFileName(7, p, 'CMU-1-Small-Region.svs')).toBe('tile_00007.png');
    expect(tileFileName(123456, p, 'x.svs')).toBe('tile_123456.png');
    const j = makePlan(CMU_SMALL, { format: 'jpeg' });
    expect(tileFileName(0, j, 'x.svs')).toBe('tile_00000.jpg');
  });
  it('QuPath style with level-0 x, y, w, h', () => {
    const p = makePlan(NDPI_TRITC, { resolution: { mode: 'level', level: 2 }, naming: 'qupath' });
    // tile 1 at level x 480 (shift: 992 - 512), downsample 4
    expect(tileFileName(1, p, 'slides/test3-TRITC 2 (560).ndpi')).toBe('test3-TRITC 2 (560) [d=4,x=1920,y=0,w=2048,h=2048].png');
    expect(tileFileName(1, p, 'a.ndpi', 'index')).toBe('tile_00001.png');
  });
  it('formats fractional downsamples as QuPath does', () => {
    expect(formatDownsample(4)).toBe('4');
    expect(formatDownsample(4.016129032258064)).toBe('4.01613');
    expect(formatDownsample(2.5)).toBe('2.5');
    expect(slideStem('C:\\data\\a.b.svs')).toBe('a.b');
  });
});

describe('tiles.csv', () => {
  it('one row per planned tile with every column', () => {
    const p = makePlan(NDPI_TRITC, { resolution: { mode: 'level', level: 1 }, tile: [1024, 1024], stride: [1024, 1024], limit: 1 });
    applyStd(p, 0, 3);
    applyStd(p, 1, 42.123456789);
    applyReadFailure(p, 2);
    applyLimit(p, 2);
    const csv = tilesCsv(p, NDPI_TRITC, new Map([[1, 'tile_00001.png']]), new Map([[2, 'Not a JPEG file: starts with 0x00 0x00']]));
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe([...TILES_CSV_COLUMNS, 'error'].join(','));
    expect(lines).toHaveLength(1 + p.grid.count);
    expect(lines[1]).toBe('0,0,0,0,0,1,2,1024,1024,0.4563501118057774,0.4563501118057774,3,,,0,std,,');
    expect(lines[2]).toBe('1,960,0,1920,0,1,2,1024,1024,0.4563501118057774,0.4563501118057774,42.123456789,,,1,,tile_00001.png,');
    expect(lines[3]).toMatch(/,0,read-failed,,Not a JPEG file: starts with 0x00 0x00$/);
    expect(lines[4]).toMatch(/,0,limit,,$/);
  });
  it('quotes fields with commas and quotes', () => {
    expect(csvField('a "b", c')).toBe('"a ""b"", c"');
    expect(csvField('plain')).toBe('plain');
  });
  it('takes a function for file names and leaves out the error column without errors', () => {
    const p = makePlan(CMU_SMALL, {});
    const csv = tilesCsv(p, CMU_SMALL, (i) => (i === 0 ? 'x, y.png' : null));
    expect(csv.split('\n')[0]).toBe(TILES_CSV_COLUMNS.join(','));
    expect(csv.split('\n')[1].endsWith(',"x, y.png"')).toBe(true);
  });
});

describe('slide.json', () => {
  it('holds the slide, its properties, the parameters and the resolved level', () => {
    const p = makePlan(NDPI_TRITC, { resolution: { mode: 'mpp', mpp: 1 } });
    const j = JSON.parse(slideJson(p, NDPI_TRITC, ['test3-TRITC 2 (560).ndpi'], { saved: 3, failed: 0, cancelled: false }));
    expect(j.slidetile.version).toBe(SLIDETILE_VERSION);
    expect(j.files).toEqual(['test3-TRITC 2 (560).ndpi']);
    expect(j.vendor).toBe('hamamatsu');
    expect(j.levels).toHaveLength(7);
    expect(j.properties['openslide.mpp-x']).toBe('0.2281750559028887');
    expect(j.parameters.resolution).toEqual({ mode: 'mpp', mpp: 1 });
    expect(j.plan).toMatchObject({ level: 2, downsample: 4, extent: [992, 1216], tile_extent: [512, 512], last: 'shift' });
    expect(j.run).toEqual({ saved: 3, failed: 0, cancelled: false });
  });
  it('records the manual choices, so the parameters and they make the same plan again', () => {
    const manual = new Map([[3, true], [4, false], [1, false]]);
    const p = makePlan(NDPI_TRITC, { resolution: { mode: 'mpp', mpp: 1 } }, { manual });
    const j = JSON.parse(slideJson(p, NDPI_TRITC, ['x.ndpi']));
    expect(j.manual).toEqual({ include: [3], exclude: [1, 4] });
    const again = makePlan(NDPI_TRITC, j.parameters, { manual: new Map([...j.manual.include.map((i: number) => [i, true]), ...j.manual.exclude.map((i: number) => [i, false])]) });
    expect(again.accepted).toEqual(p.accepted);
    expect(again.reason).toEqual(p.reason);
  });
  it('the version matches package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
    expect(SLIDETILE_VERSION).toBe(pkg.version);
  });
});

describe('annotations.geojson round trip', () => {
  it('parses back to the same shapes, class-filtered, negatives flagged', () => {
    const set = parseAnnotations(readFileSync(new URL('../annotations/fixtures/imagescope.xml', import.meta.url), 'utf8'), 'a.xml');
    const back = parseAnnotations(annotationsGeoJson(set.shapes, ['Tumor']), 'annotations.geojson');
    expect(back.shapes.map((s) => s.className)).toEqual(['Tumor', 'Tumor', 'Tumor']);
    expect(back.shapes[0].polygons).toEqual(set.shapes[0].polygons);
    expect(JSON.parse(annotationsGeoJson(set.shapes)).features[1].properties.slidetile_negative).toBe(true);
  });
});

describe('ratiopath_recipe.py', () => {
  it('py() writes Python literals', () => {
    expect(py(null)).toBe('None');
    expect(py(true)).toBe('True');
    expect(py([512, 256])).toBe('(512, 256)');
    expect(py(['a', 'b"c'])).toBe('["a", "b\\"c"]');
    expect(py({ level: 1, extent: [3, 4] })).toBe('{"level": 1, "extent": (3, 4)}');
  });

  it('carries the parameters with ratiopath’s names', () => {
    const p = makePlan(CMU_SMALL, {}, { manual: new Map([[3, true], [4, false]]) });
    const s = ratiopathRecipe(p, CMU_SMALL, 'demo/CMU-1-Small-Region.svs');
    expect(s).toMatch(/^SLIDE = "CMU-1-Small-Region.svs"$/m);
    expect(s).toMatch(/^MPP = 0.5 /m);
    expect(s).toMatch(/^LEVEL = None$/m);
    expect(s).toMatch(/^TILE_EXTENT = \(512, 512\)$/m);
    expect(s).toMatch(/^LAST = "shift"$/m);
    expect(s).toMatch(/^STD_THRESHOLD = 8 /m);
    expect(s).toMatch(/^LIMIT = 64 /m);
    expect(s).toMatch(/^MANUAL_INCLUDE = \{3\} /m);
    expect(s).toMatch(/^MANUAL_EXCLUDE = \{4\} /m);
    expect(s).toMatch(/grid_tiles\(slide_extent=extent, tile_extent=TILE_EXTENT, stride=STRIDE, last=LAST\)/);
    expect(s).toMatch(/from ratiopath.ray import read_slides/);
  });

  const python = '/usr/bin/python3';
  const hasNumpy = existsSync(python) && (() => {
    try {
      execFileSync(python, ['-c', 'import numpy, PIL']);
      return true;
    } catch {
      return false;
    }
  })();

  // A fake ratiopath + slide in Python and the same pixels in TypeScript: the recipe must save exactly
  // the tiles the plan accepts. grid_tiles in the stub is written from ratiopath's documented rules.
  it.runIf(hasNumpy)('run against a stub ratiopath, it saves the tiles the plan accepts', () => {
    const W = 1400, H = 1000;
    const info: SlideInfo = {
      vendor: 'stub',
      levels: [{ width: W, height: H, downsample: 1 }, { width: 350, height: 250, downsample: 4 }],
      properties: { 'openslide.mpp-x': '0.25', 'openslide.mpp-y': '0.25' },
      associated: [],
    };
    // pixel (X, Y) in level-0 px: glass (255) except a textured disc of "tissue"
    const px = (X: number, Y: number, k: number) => {
      const dx = X - 600, dy = Y - 450;
      if (dx * dx + dy * dy > 380 * 380) return 255;
      return (X * 7 + Y * 13 + k * 50) % 200;
    };
    // level 1 by averaging is not needed: the stub's level 1 samples every 4th pixel
    const l1 = new Uint8Array(350 * 250 * 4);
    for (let y = 0; y < 250; y++) for (let x = 0; x < 350; x++) {
      for (let k = 0; k < 3; k++) l1[(y * 350 + x) * 4 + k] = px(x * 4, y * 4, k);
      l1[(y * 350 + x) * 4 + 3] = 255;
    }
    const mask = tissueMaskFromRGBA(l1, 350, 250, 4);
    const plan = makePlan(info, { resolution: { mode: 'mpp', mpp: 0.25 }, tile: [256, 256], stride: [200, 200], limit: 9, tissueThreshold: 0.2, naming: 'qupath' }, { tissue: mask, manual: new Map([[0, true], [5, false]]) });
    let saved = 0;
    let last = -1;
    const names: string[] = [];
    for (let i = 0; i < plan.grid.count && saved < 9; i++) {
      if (!plan.accepted[i]) continue;
      const [x, y] = [plan.grid.origins[2 * i], plan.grid.origins[2 * i + 1]];
      const rgb = new Uint8Array(256 * 256 * 3);
      for (let ty = 0; ty < 256; ty++) for (let tx = 0; tx < 256; tx++) for (let k = 0; k < 3; k++) {
        const X = x + tx, Y = y + ty;
        rgb[(ty * 256 + tx) * 3 + k] = X < W && Y < H ? px(X, Y, k) : 255;
      }
      if (applyStd(plan, i, rgbStd(rgb))) {
        saved++;
        names.push(tileFileName(i, plan, 'stub.svs'));
      }
      last = i;
    }
    applyLimit(plan, last);

    const dir = mkdtempSync(join(tmpdir(), 'recipe-'));
    mkdirSync(join(dir, 'ratiopath', 'tiling'), { recursive: true });
    writeFileSync(join(dir, 'ratiopath', '__init__.py'), '');
    writeFileSync(join(dir, 'ratiopath', 'tiling', '__init__.py'), `
import numpy as np
def grid_tiles(slide_extent, tile_extent, stride, last="keep"):
    s, t, st = (np.asarray(v) for v in (slide_extent, tile_extent, stride))
    q = (s - t) / st
    n = (np.floor(q) if last == "drop" else np.ceil(q)).astype(int) + 1
    for j in range(max(n[1], 0)):
        for i in range(max(n[0], 0)):
            o = np.array([i, j]) * st
            yield np.minimum(o, s - t) if last == "shift" else o
`);
    writeFileSync(join(dir, 'ratiopath', 'openslide.py'), `
import numpy as np
from PIL import Image
W, H = ${W}, ${H}
def px(X, Y, k):
    inside = (X - 600) ** 2 + (Y - 450) ** 2 <= 380 * 380
    return np.where(inside, (X * 7 + Y * 13 + k * 50) % 200, 255)
class OpenSlide:
    level_dimensions = [(W, H), (350, 250)]
    level_downsamples = [1.0, 4.0]
    def __init__(self, path): pass
    def __enter__(self): return self
    def __exit__(self, *a): return False
    def closest_level(self, mpp):
        return int(np.abs(np.asarray(self.level_downsamples) - np.mean(np.asarray(mpp) / np.array([0.25, 0.25]))).argmin())
    def read_region(self, location, level, size):
        d = int(self.level_downsamples[level])
        x0, y0 = location
        ys, xs = np.mgrid[0:size[1], 0:size[0]]
        X, Y = x0 + xs * d, y0 + ys * d
        out = np.zeros((size[1], size[0], 4), np.uint8)
        ok = (X < W) & (Y < H) & (X >= 0) & (Y >= 0)
        for k in range(3):
            out[..., k] = np.where(ok, px(X, Y, k), 0)
        out[..., 3] = np.where(ok, 255, 0)
        return Image.fromarray(out, "RGBA")
    def read_tile(self, x, y, extent_x, extent_y, level):
        region = self.read_region((x, y), level, (extent_x, extent_y))
        bg = Image.new("RGBA", region.size, (255, 255, 255, 255))
        return Image.alpha_composite(bg, region).convert("RGB")
`);
    writeFileSync(join(dir, 'ratiopath_recipe.py'), ratiopathRecipe(plan, info, 'stub.svs'));
    const out = execFileSync(python, ['ratiopath_recipe.py', 'stub.svs', 'tiles'], { cwd: dir, env: { ...process.env, PYTHONPATH: dir }, encoding: 'utf8' });
    expect(out).toMatch(/saved 9 tiles/);
    const files = readdirSync(join(dir, 'tiles')).sort();
    expect(files).toEqual([...names].sort());
    expect(names).toHaveLength(9);
    // the manual include (tile 0, mostly glass) is among them, the manual exclude is not
    expect(planCountsOf(plan)).toMatchObject({ tissue: expect.any(Number) });
    expect(names[0]).toBe('stub [d=1,x=0,y=0,w=256,h=256].png');

    // ratiopath.ray's read_slide_tiles composites on white: the --ray path refuses another background
    // rather than write other tiles than the plan's (checked before ray is imported)
    const black = makePlan(info, { ...plan.params, background: 0 });
    writeFileSync(join(dir, 'black_recipe.py'), ratiopathRecipe(black, info, 'stub.svs'));
    const r = spawnSync(python, ['black_recipe.py', '--ray', '.', 'out'], { cwd: dir, env: { ...process.env, PYTHONPATH: dir }, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/composites on white, but this plan's background is 0/);
  });
});

import { planCounts } from '../plan.ts';
function planCountsOf(p: Parameters<typeof planCounts>[0]) {
  const c = planCounts(p).byReason;
  // the stub run is only meaningful if every filter had something to do
  expect(c.tissue).toBeGreaterThan(0);
  expect(c.std + c.tissue).toBeGreaterThan(0);
  expect(c.manual).toBe(1);
  expect(c.limit).toBeGreaterThan(0);
  return c;
}
