// The std scan's shortcut (core stdFromLevelImage): when the preview's overview is the plan's whole
// level, a tile's std comes from its pixels instead of a second read. It must be the engine's own
// read_tile std to the last bit — for every tile of these plans, edge tiles that overhang the level
// (last=keep) and other backgrounds included — or null where it cannot be sure (partly transparent).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { levelImageServes, makePlan, stdFromLevelImage, type PlanParamsInput } from '../core/index.ts';
import { openNodePool } from './node-pool.ts';
import { SAMPLES_DIR, SHARED_SLIDES } from './testing/slides.ts';
import { level0, levelPx } from './types.ts';

const CASES: [string, string, PlanParamsInput][] = [
  ['CMU-1-Small-Region, 512 shift', path.join(SHARED_SLIDES, 'real/aperio/CMU-1-Small-Region.svs'), {}],
  ['CMU-1-Small-Region, 300×200 keep, background 240', path.join(SHARED_SLIDES, 'real/aperio/CMU-1-Small-Region.svs'), { tile: [300, 200], stride: [250, 180], last: 'keep', background: 240 }],
  ['TRITC NDPI level 3, 64 keep', path.join(SHARED_SLIDES, 'real/hamamatsu-ndpi/test3-TRITC 2 (560).ndpi'), { resolution: { mode: 'level', level: 3 }, tile: [64, 64], stride: [64, 64], last: 'keep' }],
  ['RGBA generic TIFF (transparency), level 0', path.join(SAMPLES_DIR, 'generic-tiff-rgba-deflate/slide.tiff'), { resolution: { mode: 'level', level: 0 }, tile: [100, 100], stride: [100, 100], last: 'keep' }],
];

it('a level with a fractional downsample is not used: OpenSlide draws it at a sub-pixel offset', () => {
  expect(levelImageServes({ level: 1, downsample: 2.001540119593937 }, 1)).toBe(false);
  expect(levelImageServes({ level: 1, downsample: 4 }, 1)).toBe(true);
  expect(levelImageServes({ level: 1, downsample: 4 }, 2)).toBe(false);
});

describe.each(CASES)('std from the level in memory: %s', (_name, file, params) => {
  it("equals the engine's read_tile std on every tile it answers for", async () => {
    const slide = await openNodePool(file, 1);
    try {
      const plan = makePlan(slide.info, params);
      expect(levelImageServes(plan, plan.level)).toBe(true);
      const l = slide.info.levels[plan.level];
      const image = await slide.readRegion(level0(0), level0(0), plan.level, levelPx(l.width), levelPx(l.height));
      let answered = 0;
      for (let i = 0; i < plan.grid.count; i++) {
        const x = plan.grid.origins[2 * i];
        const y = plan.grid.origins[2 * i + 1];
        const fromImage = stdFromLevelImage(image.data, l.width, l.height, x, y, plan.tile[0], plan.tile[1], plan.params.background);
        if (fromImage === null) continue;
        const read = await slide.readTileEncoded(levelPx(x), levelPx(y), plan.level, levelPx(plan.tile[0]), levelPx(plan.tile[1]), { format: 'png', background: plan.params.background, skipStdAtOrBelow: Infinity });
        expect(fromImage, `tile ${i} at (${x}, ${y})`).toBe(read.std);
        answered++;
      }
      // opaque slides: every tile; the RGBA sample has transparent pixels in some tiles, which are read
      expect(answered).toBeGreaterThan(0);
      if (!file.includes('rgba')) expect(answered).toBe(plan.grid.count);
      else expect(answered).toBeLessThan(plan.grid.count);
    } finally {
      await slide.close();
    }
  }, 120_000);
});
