import { describe, expect, it } from 'vitest';
import { applyLimit, applyReadFailure, applyStd, candidateIndices, clonePlan, makePlan, planCounts, setManual } from './plan.ts';
import { CMU_SMALL } from './testing/slides.ts';
import { tilesToSave } from './toSave.ts';

// the demo slide's plan: 5 × 6 = 30 tiles of 512² at level 0
const plan = (over: Parameters<typeof makePlan>[1] = {}) => makePlan(CMU_SMALL, { limit: null, ...over });

describe('tilesToSave: one figure, honest while std is unmeasured', () => {
  it('nothing measured: nothing is sure, everything may be saved, every tile unmeasured', () => {
    expect(tilesToSave(plan())).toEqual({ count: 0, upTo: 30, unmeasured: 30, exact: false });
  });

  it('std filter off: exact at once (nothing needs measuring)', () => {
    expect(tilesToSave(plan({ stdThreshold: null }))).toEqual({ count: 30, upTo: 30, unmeasured: 0, exact: true });
  });

  it('as std arrives the sure count rises and the ceiling falls by each rejected tile', () => {
    const p = plan();
    for (let i = 0; i < 10; i++) applyStd(p, i, i < 4 ? 2 : 40); // 4 below the threshold, 6 above
    expect(tilesToSave(p)).toEqual({ count: 6, upTo: 26, unmeasured: 20, exact: false });
    for (let i = 10; i < 30; i++) applyStd(p, i, 40);
    const t = tilesToSave(p);
    expect(t).toEqual({ count: 26, upTo: 26, unmeasured: 0, exact: true });
    // once exact it is the plan's own accepted count: the number an export saves
    expect(t.count).toBe(candidateIndices(p).length);
  });

  it('a tile kept by hand is sure without its std (the export forces it in)', () => {
    const p = plan();
    setManual(p, 7, true);
    expect(tilesToSave(p)).toMatchObject({ count: 1, unmeasured: 29 });
  });

  it('a known read failure is neither sure nor possible', () => {
    const p = plan();
    applyReadFailure(p, 0);
    expect(tilesToSave(p)).toEqual({ count: 0, upTo: 29, unmeasured: 29, exact: false });
  });

  it('the limit caps both bounds: exact as soon as `limit` tiles are sure, whatever else is unmeasured', () => {
    const p = plan({ limit: 5 });
    for (let i = 0; i < 3; i++) applyStd(p, i, 40);
    expect(tilesToSave(p)).toEqual({ count: 3, upTo: 5, unmeasured: 27, exact: false });
    for (let i = 3; i < 5; i++) applyStd(p, i, 40);
    expect(tilesToSave(p)).toEqual({ count: 5, upTo: 5, unmeasured: 25, exact: true });
  });

  it('agrees with the limit preview the panel draws once every tile is measured', () => {
    const base = plan({ limit: 12 });
    for (let i = 0; i < 30; i++) applyStd(base, i, i % 3 === 0 ? 1 : 30);
    const shown = clonePlan(base);
    const c = candidateIndices(base);
    applyLimit(shown, c[11]);
    expect(tilesToSave(base).count).toBe(planCounts(shown).accepted);
    expect(tilesToSave(base).exact).toBe(true);
  });
});
