import { describe, expect, it } from 'vitest';
import { makePlan } from '../plan.ts';
import { CMU_SMALL } from '../testing/slides.ts';
import { exportZipName } from './zipName.ts';

describe('export zip name', () => {
  const seed = makePlan(CMU_SMALL, {});

  it('the seed’s settings: resolution, tile, last, std and the tile count', () => {
    expect(exportZipName(seed, 'CMU-1-Small-Region.svs', { exact: 24 })).toBe('CMU-1-Small-Region_0.5mpp_512px_shift_std8_24tiles.zip');
  });

  it('a streamed zip named before the count is known says "up to"', () => {
    expect(exportZipName(seed, 'CMU-1-Small-Region.svs', { upTo: 64 })).toBe('CMU-1-Small-Region_0.5mpp_512px_shift_std8_upto64tiles.zip');
  });

  it('names every setting that changes what the tiles are', () => {
    const p = makePlan(CMU_SMALL, {
      resolution: { mode: 'level', level: 0 },
      tile: [256, 224],
      stride: [128, 224],
      last: 'keep',
      stdThreshold: 7.5,
      tissueThreshold: 0.35,
      coverage: { min: 0.5, classes: [] },
      format: 'jpeg',
      jpegQuality: 85,
    });
    expect(exportZipName(p, 'dir/slide one.ndpi', { exact: 1 }, { cancelled: true })).toBe(
      'slide one_level0_256x224px_stride128x224_keep_std7.5_tissue35_annotation50_jpeg85_1tile_cancelled.zip',
    );
    const plain = makePlan(CMU_SMALL, { stdThreshold: null, resolution: { mode: 'mpp', mpp: 0.25 } });
    expect(exportZipName(plain, 'a:b?.svs', { exact: 0 })).toBe('a_b__0.25mpp_512px_shift_0tiles.zip');
  });
});
