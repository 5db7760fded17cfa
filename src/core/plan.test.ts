import { describe, expect, it } from 'vitest';
import {
  applyLimit,
  applyNotReached,
  applyReadFailure,
  applyStd,
  candidateIndices,
  makePlan,
  planCounts,
  REASON,
  REASONS,
  setManual,
  tileRectLevel0,
} from './plan.ts';
import { CMU_SMALL, NDPI_TRITC, TCGA_NO_MPP } from './testing/slides.ts';
import { MissingMppError } from './levels.ts';
import type { AnnotationShape } from './annotations/types.ts';

const square = (x: number, y: number, s: number): number[][] => [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]];

describe('makePlan', () => {
  it('the seed on CMU-1-Small-Region: level 0, 2220×2967, shift, 5×6 tiles', () => {
    const p = makePlan(CMU_SMALL, {});
    expect(p.level).toBe(0);
    expect(p.downsample).toBe(1);
    expect(p.extent).toEqual([2220, 2967]);
    expect(p.mpp).toEqual({ x: 0.499, y: 0.499 });
    expect([p.grid.columns, p.grid.rows]).toEqual([5, 6]);
    // last column shifted to 2220 - 512
    expect(p.grid.origins[8]).toBe(1708);
    expect(Array.from(p.accepted).every((a) => a === 1)).toBe(true);
    expect(p.std.every(Number.isNaN)).toBe(true);
    expect(planCounts(p)).toEqual({ total: 30, accepted: 30, pending: 30, byReason: { manual: 0, coverage: 0, tissue: 0, std: 0, 'read-failed': 0, limit: 0, 'not-reached': 0 } });
  });

  it('chooses the level by closestLevel and reports its µm/px', () => {
    const p = makePlan(NDPI_TRITC, { resolution: { mode: 'mpp', mpp: 1 }, tile: [256, 256], stride: [256, 256] });
    expect(p.level).toBe(2);
    expect(p.extent).toEqual([992, 1216]);
    expect(p.mpp!.x).toBeCloseTo(0.9127, 4);
    expect(p.grid.count).toBe(4 * 5);
  });

  it('a level can be chosen directly on a slide without mpp; a µm/px target needs the override', () => {
    const p = makePlan(TCGA_NO_MPP, { resolution: { mode: 'level', level: 1 } });
    expect(p.mpp).toBeNull();
    expect(p.extent).toEqual([2221, 1783]);
    expect(() => makePlan(TCGA_NO_MPP, {})).toThrow(MissingMppError);
    expect(makePlan(TCGA_NO_MPP, { resolution: { mode: 'mpp', mpp: 1 } }, { mppOverride: 0.5 }).level).toBe(1);
  });

  it('std: applied later, rejects <= threshold', () => {
    const p = makePlan(CMU_SMALL, {});
    expect(applyStd(p, 0, 3.2)).toBe(false);
    expect(applyStd(p, 1, 8)).toBe(false);
    expect(applyStd(p, 2, 8.0000001)).toBe(true);
    expect(p.reason[0]).toBe(REASON.std);
    expect(REASONS[p.reason[0]]).toBe('std');
    expect(planCounts(p).byReason.std).toBe(2);
    expect(planCounts(p).pending).toBe(27);
    // a corrected measurement re-decides
    applyStd(p, 0, 40);
    expect(p.accepted[0]).toBe(1);
  });

  it('std filter off: nothing rejected for std, nothing pending', () => {
    const p = makePlan(CMU_SMALL, { stdThreshold: null });
    applyStd(p, 0, 0);
    expect(p.accepted[0]).toBe(1);
    expect(planCounts(p).pending).toBe(0);
  });

  it('manual exclude wins over everything but a failed read; manual include overrides filters', () => {
    const p = makePlan(CMU_SMALL, {}, { manual: new Map([[3, false], [4, true], [999, true]]) });
    expect(p.reason[3]).toBe(REASON.manual);
    applyStd(p, 4, 0);
    expect(p.accepted[4]).toBe(1);
    applyReadFailure(p, 4);
    expect(REASONS[p.reason[4]]).toBe('read-failed');
    expect(p.warnings.join(' ')).toMatch(/outside this grid/);
    setManual(p, 3, null);
    expect(p.accepted[3]).toBe(1);
  });

  it('limit: accepted tiles after the last saved one are marked limit', () => {
    const p = makePlan(CMU_SMALL, { limit: 2 });
    applyStd(p, 0, 1);
    applyStd(p, 1, 50);
    applyStd(p, 2, 50);
    applyLimit(p, 2);
    const c = planCounts(p);
    expect(c.accepted).toBe(2);
    expect(c.byReason.limit).toBe(27);
    expect(c.byReason.std).toBe(1);
  });

  it('a cancelled run marks the accepted tiles it never reached not-reached, never limit', () => {
    const p = makePlan(CMU_SMALL, { limit: null });
    applyStd(p, 0, 50);
    applyNotReached(p, 0);
    const c = planCounts(p);
    expect(c.accepted).toBe(1);
    expect(c.byReason['not-reached']).toBe(29);
    expect(c.byReason.limit).toBe(0);
  });

  it('std is kept as measured, to the last bit of the double', () => {
    const p = makePlan(CMU_SMALL, {});
    const s = 48.012345678901234;
    applyStd(p, 0, s);
    expect(p.std[0]).toBe(s);
  });

  it('coverage: level-0 rectangles are origin × downsample, filtered by class and min', () => {
    // NDPI level 1 (downsample 2): tile 0 covers level-0 [0,1024)², tile 1 [1024,2048)×[0,1024)
    const shapes: AnnotationShape[] = [
      { className: 'Tumor', color: null, polygons: [[square(0, 0, 1024)]] },
      { className: 'Stroma', color: null, polygons: [[square(1024, 0, 512)]] },
    ];
    const p = makePlan(NDPI_TRITC, { resolution: { mode: 'level', level: 1 }, coverage: { min: 0.5, classes: ['Tumor'] } }, { annotations: shapes });
    expect(tileRectLevel0(p, 1)).toEqual({ x: 1024, y: 0, w: 1024, h: 1024 });
    expect(p.coverage[0]).toBe(1);
    expect(p.coverage[1]).toBe(0);
    expect(p.accepted[0]).toBe(1);
    expect(REASONS[p.reason[1]]).toBe('coverage');
    const all = makePlan(NDPI_TRITC, { resolution: { mode: 'level', level: 1 }, coverage: { min: 0.2, classes: [] } }, { annotations: shapes });
    expect(all.coverage[1]).toBeCloseTo(0.25, 12);
    expect(all.accepted[1]).toBe(1);
  });

  it('a coverage filter without annotations is skipped with a warning', () => {
    const p = makePlan(CMU_SMALL, { coverage: { min: 0.5, classes: [] } });
    expect(p.accepted.every((a) => a === 1)).toBe(true);
    expect(p.warnings.join(' ')).toMatch(/no annotations are loaded/);
  });

  it('tissue: fraction from the mask, rejected under the threshold', () => {
    // a 2×1 mask at downsample 1110 over CMU's width: left half tissue
    const mask = { width: 2, height: 3, downsample: 1110, data: Uint8Array.from([1, 0, 1, 0, 1, 0]), threshold: 200, channel: 'grey' as const };
    const p = makePlan(CMU_SMALL, { tissueThreshold: 0.5 }, { tissue: mask });
    expect(p.tissue[0]).toBe(1);
    expect(p.accepted[0]).toBe(1);
    // column 2 starts at 1024: 86 of its 512 px are tissue
    expect(p.tissue[2]).toBeCloseTo(86 / 512, 6);
    expect(REASONS[p.reason[2]]).toBe('tissue');
    expect(candidateIndices(p)[0]).toBe(0);
  });

  it('a tile larger than the level warns', () => {
    const p = makePlan(NDPI_TRITC, { resolution: { mode: 'level', level: 6 } });
    expect(p.grid.count).toBe(1);
    expect(p.warnings.join(' ')).toMatch(/larger than the slide level 62×76/);
  });
});
