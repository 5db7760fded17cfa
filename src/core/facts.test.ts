import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyFacts, familyOf, TileFacts, TileFamily } from './facts.ts';
import { gridTiles } from './grid.ts';
import { candidateIndices, makePlan, planCounts, REASON } from './plan.ts';
import { CMU_SMALL } from './testing/slides.ts';

describe('TileFacts: exact keys', () => {
  it('the reported collision: CMU 256-px tiles of one column keep their own std', () => {
    // (512,1024) and (512,1280) shared one entry under the old float packing (~2^63 > 2^53)
    const plan = makePlan(CMU_SMALL, { resolution: { mode: 'level', level: 0 }, tile: [256, 256], stride: [256, 256], stdThreshold: 8, limit: null });
    const facts = new TileFacts();
    const fam = facts.of(plan);
    const o = plan.grid.origins;
    // a distinct std per tile: its index + 0.5
    for (let i = 0; i < plan.grid.count; i++) facts.setStd(fam, o[2 * i], o[2 * i + 1], i + 0.5);
    expect(fam.std.size).toBe(plan.grid.count);
    applyFacts(plan, facts);
    for (let i = 0; i < plan.grid.count; i++) expect(plan.std[i]).toBe(i + 0.5);
    // the std filter decided each tile from its own value: 0.5..7.5 rejected, the rest accepted
    expect(planCounts(plan).byReason.std).toBe(8);
    expect(candidateIndices(plan)[0]).toBe(8);
  });

  it('every origin a grid over a level can produce has its own key (exhaustive on small levels)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 30 }), (w, h, tw, th) => {
        const fam = new TileFamily({ level: 0, width: w, height: h, tileW: tw, tileH: th, background: 255 });
        const keys = new Set<number>();
        for (let x = -tw; x <= w; x++) for (let y = -th; y <= h; y++) keys.add(fam.key(x, y));
        return keys.size === (w + tw + 1) * (h + th + 1);
      }),
      { numRuns: 100 },
    );
  });

  it('the grids of every `last` stay inside the keyed range', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 700 }),
        fc.integer({ min: 1, max: 700 }),
        fc.constantFrom('drop', 'keep', 'shift') as fc.Arbitrary<'drop' | 'keep' | 'shift'>,
        (w, h, tw, th, last) => {
          const fam = new TileFamily({ level: 0, width: w, height: h, tileW: tw, tileH: th, background: 255 });
          const g = gridTiles([w, h], [tw, th], [tw, th], last);
          const keys = new Set<number>();
          for (let i = 0; i < g.count; i++) keys.add(fam.key(g.origins[2 * i], g.origins[2 * i + 1]));
          return keys.size === g.count;
        },
      ),
      { numRuns: 200 },
    );
  });

  it('distinct origins never share a key, at whole-slide extents', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 24 }), fc.integer({ min: 1, max: 2 ** 24 }), fc.integer({ min: 1, max: 4096 }), (w, h, t) => {
        const fam = new TileFamily({ level: 0, width: w, height: h, tileW: t, tileH: t, background: 255 });
        const a = fam.key(0, h);
        const b = fam.key(1, -t);
        const c = fam.key(w, h);
        return a < b && b > 0 && c <= Number.MAX_SAFE_INTEGER && fam.key(0, h - 1) === a - 1;
      }),
    );
  });

  it('refuses origins a grid cannot produce instead of aliasing them', () => {
    const fam = new TileFamily({ level: 0, width: 100, height: 100, tileW: 10, tileH: 10, background: 255 });
    expect(() => fam.key(-11, 0)).toThrow(RangeError);
    expect(() => fam.key(0, 101)).toThrow(RangeError);
    expect(() => fam.key(0.5, 0)).toThrow(RangeError);
  });

  it('families are apart: another tile size or background does not reuse a std', () => {
    const a = makePlan(CMU_SMALL, { resolution: { mode: 'level', level: 0 }, tile: [256, 256], stride: [256, 256], stdThreshold: 8 });
    const b = makePlan(CMU_SMALL, { resolution: { mode: 'level', level: 0 }, tile: [256, 256], stride: [256, 256], stdThreshold: 8, background: 0 });
    const facts = new TileFacts();
    facts.setStd(facts.of(a), 0, 0, 1);
    applyFacts(b, facts);
    expect(Number.isNaN(b.std[0])).toBe(true);
    expect(familyOf(a)).not.toEqual(familyOf(b));
  });

  it('a stride change reuses the reads of tiles at the same origins', () => {
    const p256 = makePlan(CMU_SMALL, { resolution: { mode: 'level', level: 0 }, tile: [256, 256], stride: [256, 256], stdThreshold: 8, last: 'drop' });
    const p128 = makePlan(CMU_SMALL, { resolution: { mode: 'level', level: 0 }, tile: [256, 256], stride: [128, 128], stdThreshold: 8, last: 'drop' });
    const facts = new TileFacts();
    const fam = facts.of(p256);
    for (let i = 0; i < p256.grid.count; i++) facts.setStd(fam, p256.grid.origins[2 * i], p256.grid.origins[2 * i + 1], 3);
    facts.setFailed(fam, 256, 256, 'read-failed: Not a JPEG file');
    const failures = applyFacts(p128, facts);
    let known = 0;
    for (let i = 0; i < p128.grid.count; i++) if (!Number.isNaN(p128.std[i])) known++;
    expect(known).toBe(p256.grid.count);
    expect([...failures.values()]).toEqual(['read-failed: Not a JPEG file']);
    const i = [...failures.keys()][0];
    expect([p128.grid.origins[2 * i], p128.grid.origins[2 * i + 1]]).toEqual([256, 256]);
    expect(p128.reason[i]).toBe(REASON.readFailed);
  });
});
