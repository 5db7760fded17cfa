// The fluorescence tissue mask on the slide a user reported (issue 9 item 6): test3-TRITC 2 (560).ndpi,
// where grey and saturation Otsu called 88 % and 100 % of the slide tissue. The overview is read by
// native OpenSlide in /usr/bin/python3; the oracle is an independent numpy Otsu of the log-scaled
// max channel, and the exported recipe's own tissue_mask_from_rgba (numpy + scipy) must give the very
// same mask, pixel for pixel.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makePlan } from '../plan.ts';
import { ratiopathRecipe } from '../export/recipe.ts';
import { slideJson } from '../export/slidejson.ts';
import { NDPI_TRITC } from '../testing/slides.ts';
import { maskFraction, tissueMaskFromRGBA, tissueMorphologyFor } from './tissue.ts';

const SLIDE = '/work/shared/slides/real/hamamatsu-ndpi/test3-TRITC 2 (560).ndpi';
const PY = '/usr/bin/python3';
const LEVEL = 2; // the app's overview level: the first with both sides ≤ 2048 (992 × 1216)

describe.runIf(existsSync(SLIDE))('tissue mask on test3-TRITC (fluorescence NDPI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tissue-tritc-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // the overview's pixels and the oracle, from native OpenSlide
  const oracle = JSON.parse(
    execFileSync(PY, ['-c', `
import json, sys, numpy as np, openslide
s = openslide.OpenSlide(sys.argv[1])
w, h = s.level_dimensions[${LEVEL}]
rgba = np.asarray(s.read_region((0, 0), ${LEVEL}, (w, h)))
open(sys.argv[2], "wb").write(rgba.tobytes())
m = rgba[..., :3].max(-1).astype(np.float64)   # every pixel is opaque on this slide
v = np.rint(255 * np.log1p(m) / np.log(256)).astype(int)
# Otsu, vectorised: between-class variance for every split [0..t] | [t+1..255], first maximum
hist = np.bincount(v.ravel(), minlength=256).astype(np.float64)
w0 = np.cumsum(hist)[:-1]; w1 = hist.sum() - w0
s0 = np.cumsum(hist * np.arange(256))[:-1]; s1 = (hist * np.arange(256)).sum() - s0
with np.errstate(divide="ignore", invalid="ignore"):
    between = np.where((w0 > 0) & (w1 > 0), w0 * w1 * (s0 / w0 - s1 / w1) ** 2, -1)
t = int(np.argmax(between))
print(json.dumps({"w": w, "h": h, "downsample": s.level_downsamples[${LEVEL}], "mpp": float(s.properties["openslide.mpp-x"]), "threshold": t, "fraction": float((v > t).mean())}))
`, SLIDE, join(dir, 'rgba.bin')], { encoding: 'utf8' }),
  ) as { w: number; h: number; downsample: number; mpp: number; threshold: number; fraction: number };
  const rgba = new Uint8Array(readFileSync(join(dir, 'rgba.bin')));
  const morphology = tissueMorphologyFor(oracle.mpp * oracle.downsample);
  const mask = tissueMaskFromRGBA(rgba, oracle.w, oracle.h, oracle.downsample, { morphology });
  const raw = tissueMaskFromRGBA(rgba, oracle.w, oracle.h, oracle.downsample, { channel: 'fluorescence' });

  it('auto picks fluorescence: the edge of the overview is dark', () => {
    expect(mask.mode).toBe('auto');
    expect(mask.channel).toBe('fluorescence');
    expect(mask.background!.median).toBeLessThan(128);
  });

  it('the threshold and the raw mask agree with the numpy oracle', () => {
    expect(raw.threshold).toBe(oracle.threshold);
    expect(maskFraction(raw)).toBeCloseTo(oracle.fraction, 12);
  });

  it('leaves the dark background out, where grey and saturation took it in', () => {
    // pixels no brighter than the background's median (the edge frame's, 4 on this slide) are background
    const dark = (m: { data: Uint8Array }) => {
      let on = 0, n = 0;
      for (let i = 0; i < m.data.length; i++) {
        if (Math.max(rgba[4 * i], rgba[4 * i + 1], rgba[4 * i + 2]) > mask.background!.median) continue;
        on += m.data[i];
        n++;
      }
      return on / n;
    };
    const grey = tissueMaskFromRGBA(rgba, oracle.w, oracle.h, oracle.downsample, { channel: 'grey' });
    const sat = tissueMaskFromRGBA(rgba, oracle.w, oracle.h, oracle.downsample, { channel: 'saturation' });
    // the reported failure, still there when chosen by hand: the black background is "tissue"
    expect(dark(grey)).toBe(1);
    expect(maskFraction(sat)).toBeGreaterThan(0.99);
    // the fluorescence mask leaves it out, but for pits the closing bridges inside tissue
    expect(dark(mask)).toBeLessThan(0.2);
    // the morphology fills pits and removes specks: it moves the fraction a little, not wholesale
    expect(Math.abs(maskFraction(mask) - oracle.fraction)).toBeLessThan(0.1);
  });

  it('the exported recipe makes the same mask, pixel for pixel (numpy + scipy)', () => {
    const plan = makePlan(NDPI_TRITC, { resolution: { mode: 'level', level: 0 }, tile: [512, 512], stride: [512, 512], tissueThreshold: 0.5 }, { tissue: mask });
    // slide.json's sources (plan.sources) record the rule: mode, what auto chose and why, threshold, morphology
    expect(JSON.parse(slideJson(plan, NDPI_TRITC, ['test3-TRITC 2 (560).ndpi'])).sources.tissue).toMatchObject({
      mode: 'auto',
      channel: 'fluorescence',
      threshold: mask.threshold,
      tissueIs: '> threshold',
      background: { picks: 'fluorescence', median: mask.background!.median },
      morphology: { radiusPx: morphology.radiusPx, holeAreaPx: morphology.holeAreaPx, radiusUm: 10, holeAreaUm2: 10000 },
    });
    // a stub ratiopath: the recipe's module imports it, the mask function does not use it
    mkdirSync(join(dir, 'ratiopath', 'tiling'), { recursive: true });
    writeFileSync(join(dir, 'ratiopath', '__init__.py'), '');
    writeFileSync(join(dir, 'ratiopath', 'openslide.py'), 'OpenSlide = None\n');
    writeFileSync(join(dir, 'ratiopath', 'tiling', '__init__.py'), 'grid_tiles = None\n');
    writeFileSync(join(dir, 'recipe.py'), ratiopathRecipe(plan, NDPI_TRITC, 'test3-TRITC 2 (560).ndpi'));
    const out = execFileSync(PY, ['-c', `
import json, sys, numpy as np, recipe
rgba = np.frombuffer(open(sys.argv[1], "rb").read(), np.uint8).reshape(${oracle.h}, ${oracle.w}, 4)
mask, channel, t = recipe.tissue_mask_from_rgba(rgba)
open(sys.argv[2], "wb").write(mask.astype(np.uint8).tobytes())
print(json.dumps({"channel": channel, "threshold": int(t), "disk": recipe.TISSUE_DISK_PX, "holes": recipe.TISSUE_HOLE_PX}))
`, join(dir, 'rgba.bin'), join(dir, 'recipe-mask.bin')], { cwd: dir, env: { ...process.env, PYTHONPATH: dir }, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ channel: 'fluorescence', threshold: mask.threshold, disk: morphology.radiusPx, holes: morphology.holeAreaPx });
    const theirs = new Uint8Array(readFileSync(join(dir, 'recipe-mask.bin')));
    let differ = 0;
    for (let i = 0; i < theirs.length; i++) differ += theirs[i] !== mask.data[i] ? 1 : 0;
    expect(theirs.length).toBe(mask.data.length);
    expect(differ).toBe(0);
  });
});
