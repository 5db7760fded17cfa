import { describe, expect, it } from 'vitest';
import { boundsOffset, closestLevel, levelMpp, LevelError, MissingMppError } from './levels.ts';
import { BOXES, CMU_SMALL, NDPI_TRITC, TCGA_NO_MPP } from './testing/slides.ts';
import type { SlideInfo } from './slide.ts';

describe('closestLevel on the test slides', () => {
  it.each([
    // NDPI: 0.2281750559028887 µm/px, downsamples 1..64; values checked against numpy's argmin
    [0.25, 0],
    [0.5, 1],
    [1.0, 2],
    [2.0, 3],
    [8.0, 5],
    [20, 6],
  ])('test3-TRITC 2 (560).ndpi at %f µm/px → level %i', (mpp, level) => {
    expect(closestLevel(mpp, NDPI_TRITC)).toBe(level);
  });

  it('CMU-1-Small-Region.svs has one level: every target gives 0', () => {
    for (const mpp of [0.1, 0.5, 4, 100]) expect(closestLevel(mpp, CMU_SMALL)).toBe(0);
  });

  it('a slide without openslide.mpp-x/y (tcga-cr-7395 JP2K) throws MissingMppError', () => {
    expect(() => closestLevel(0.5, TCGA_NO_MPP)).toThrow(MissingMppError);
    expect(() => closestLevel(0.5, TCGA_NO_MPP)).toThrow(/choose a level instead, or type/);
    try {
      closestLevel(0.5, TCGA_NO_MPP);
    } catch (e) {
      expect((e as MissingMppError).code).toBe('missing-mpp');
    }
  });

  it('the user-typed µm/px stands in for the missing property', () => {
    // boxes.tiff downsamples: 1, 2, 4.016129…, 8.086312…
    expect(BOXES.levels[2].downsample).toBeCloseTo(4.016129, 6);
    expect(closestLevel(2.0, BOXES, 0.5)).toBe(2);
    expect(closestLevel(1.0, BOXES, 0.5)).toBe(1);
    expect(closestLevel(1.0, TCGA_NO_MPP, 0.5)).toBe(1);
    expect(closestLevel(1.0, TCGA_NO_MPP, { x: 0.5, y: 0.25 })).toBe(1); // (2 + 4) / 2 = 3 → 2 is nearer than 1
  });

  it('uses the mean of the x and y scale factors', () => {
    const info: SlideInfo = { ...NDPI_TRITC, properties: { 'openslide.mpp-x': '0.25', 'openslide.mpp-y': '0.5' } };
    // target 1: x → 4, y → 2, mean 3 → downsamples 2 and 4 tie at distance 1 → the first (level 1)
    expect(closestLevel(1, info)).toBe(1);
    expect(closestLevel([1, 2], info)).toBe(2); // (4 + 4) / 2
  });

  it('takes the first level on ties, like numpy argmin', () => {
    const info: SlideInfo = { ...CMU_SMALL, levels: [
      { width: 100, height: 100, downsample: 1 },
      { width: 50, height: 50, downsample: 3 },
    ] };
    // scale 2 is 1 away from both
    expect(closestLevel(0.998, info)).toBe(0);
  });

  it('rejects non-positive targets and overrides', () => {
    expect(() => closestLevel(0, NDPI_TRITC)).toThrow(LevelError);
    expect(() => closestLevel(0.5, NDPI_TRITC, -1)).toThrow(LevelError);
  });
});

describe('levelMpp', () => {
  it('is level-0 mpp × downsample (ratiopath slide_resolution)', () => {
    expect(levelMpp(NDPI_TRITC, 1)).toEqual({ x: 0.2281750559028887 * 2, y: 0.2281750559028887 * 2 });
    expect(levelMpp(CMU_SMALL, 0)).toEqual({ x: 0.499, y: 0.499 });
  });
  it('is null without mpp, and uses the override when given', () => {
    expect(levelMpp(TCGA_NO_MPP, 1)).toBeNull();
    const m = levelMpp(TCGA_NO_MPP, 1, 0.25)!;
    expect(m.x).toBeCloseTo(0.25 * TCGA_NO_MPP.levels[1].downsample, 12);
  });
  it('rejects a level that does not exist', () => {
    expect(() => levelMpp(CMU_SMALL, 1)).toThrow(/level must be an integer in 0..0, got 1/);
  });
});

describe('boundsOffset', () => {
  it('reads openslide.bounds-x/y (MIRAX) and is 0,0 otherwise', () => {
    expect(boundsOffset({ ...CMU_SMALL, properties: { 'openslide.bounds-x': '1234', 'openslide.bounds-y': '567' } })).toEqual([1234, 567]);
    expect(boundsOffset(CMU_SMALL)).toEqual([0, 0]);
  });
});
