import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CoverageIndex, coverage, coverageRejects } from './coverage.ts';
import type { AnnotationShape } from '../annotations/types.ts';

const square = (x: number, y: number, s: number): number[][] => [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]];
const shape = (className: string | null, ...polys: number[][][][]): AnnotationShape => ({ className, color: null, polygons: polys });

describe('coverage', () => {
  it('rule: accept when coverage >= min', () => {
    expect(coverageRejects(0.5, 0.5)).toBe(false);
    expect(coverageRejects(0.4999, 0.5)).toBe(true);
    expect(coverageRejects(Number.NaN, 0)).toBe(true);
  });

  it('overlapping annotations count once (ratiopath unions them)', () => {
    const s = [shape('A', [square(0, 0, 10)]), shape('B', [square(0, 0, 10)])];
    expect(coverage(s, { x: 0, y: 0, w: 10, h: 20 })).toBeCloseTo(0.5, 12);
    expect(coverage(s, { x: 0, y: 0, w: 10, h: 20 }, ['B'])).toBeCloseTo(0.5, 12);
    expect(coverage(s, { x: 0, y: 0, w: 10, h: 20 }, ['C'])).toBe(0);
  });

  it('unclassified shapes never match a class filter', () => {
    expect(coverage([shape(null, [square(0, 0, 10)])], { x: 0, y: 0, w: 10, h: 10 }, ['Tumor'])).toBe(0);
  });

  it('the bucketed index equals a plain sum over many small disjoint cells', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.integer({ min: 0, max: 49 }), fc.integer({ min: 0, max: 49 })), { selector: (c) => `${c[0]},${c[1]}`, maxLength: 300 }),
        fc.record({ x: fc.integer({ min: -20, max: 500 }), y: fc.integer({ min: -20, max: 500 }), w: fc.integer({ min: 1, max: 120 }), h: fc.integer({ min: 1, max: 120 }) }),
        (cells, r) => {
          // 8×8 cells on a 10 px pitch
          const shapes = cells.map(([i, j]) => shape('cell', [square(i * 10, j * 10, 8)]));
          const index = new CoverageIndex(shapes);
          let want = 0;
          for (const [i, j] of cells) {
            const ox = Math.max(0, Math.min(i * 10 + 8, r.x + r.w) - Math.max(i * 10, r.x));
            const oy = Math.max(0, Math.min(j * 10 + 8, r.y + r.h) - Math.max(j * 10, r.y));
            want += ox * oy;
          }
          expect(index.area(r)).toBeCloseTo(want, 6);
        },
      ),
      { numRuns: 150 },
    );
  });
});
