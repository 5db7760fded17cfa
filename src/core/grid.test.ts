import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { axisOrigins, gridCount, gridTiles, GridError, type LastPolicy } from './grid.ts';

const pairs = (o: Int32Array) => Array.from({ length: o.length / 2 }, (_, i) => [o[2 * i], o[2 * i + 1]]);

// the plain reading of ratiopath's grid_tiles, per-tile objects and all, to check the fast one against
function reference(slide: number[], tile: number[], stride: number[], last: LastPolicy): number[][] {
  const n = [0, 1].map((a) => {
    const q = (slide[a] - tile[a]) / stride[a];
    return (last === 'drop' ? Math.floor(q) : Math.ceil(q)) + 1;
  });
  const out: number[][] = [];
  for (let j = 0; j < n[1]; j++) {
    for (let i = 0; i < n[0]; i++) {
      let o = [i * stride[0], j * stride[1]];
      if (last === 'shift') o = o.map((v, a) => Math.min(v, slide[a] - tile[a]));
      out.push(o);
    }
  }
  return out;
}

describe('gridTiles — ratiopath examples', () => {
  it('slide 5×5, tile 2, stride 2, drop → (0,0),(2,0),(0,2),(2,2)', () => {
    const g = gridTiles([5, 5], [2, 2], [2, 2], 'drop');
    expect(pairs(g.origins)).toEqual([[0, 0], [2, 0], [0, 2], [2, 2]]);
    expect([g.columns, g.rows, g.count]).toEqual([2, 2, 4]);
    expect(g.warnings).toEqual([]);
  });
  it('keep → x,y ∈ {0,2,4}, x fastest', () => {
    const g = gridTiles([5, 5], [2, 2], [2, 2], 'keep');
    expect(pairs(g.origins)).toEqual([[0, 0], [2, 0], [4, 0], [0, 2], [2, 2], [4, 2], [0, 4], [2, 4], [4, 4]]);
  });
  it('shift → x,y ∈ {0,2,3}', () => {
    const g = gridTiles([5, 5], [2, 2], [2, 2], 'shift');
    expect(pairs(g.origins)).toEqual([[0, 0], [2, 0], [3, 0], [0, 2], [2, 2], [3, 2], [0, 3], [2, 3], [3, 3]]);
  });
  it.each([
    ['drop', 16, 3072],
    ['keep', 25, 4096],
    ['shift', 25, 3976],
  ] as const)('slide 5000², tile 1024, %s → %i tiles, last origin %i', (last, count, lastOrigin) => {
    const g = gridTiles([5000, 5000], [1024, 1024], [1024, 1024], last);
    expect(g.count).toBe(count);
    expect(g.origins[g.origins.length - 2]).toBe(lastOrigin);
    expect(g.origins[g.origins.length - 1]).toBe(lastOrigin);
  });
});

describe('gridTiles — rules', () => {
  it.each([
    // slide, tile, stride, last, expected x origins
    [10, 4, 3, 'drop', [0, 3, 6]],
    [10, 4, 3, 'keep', [0, 3, 6]],
    [11, 4, 3, 'drop', [0, 3, 6]],
    [11, 4, 3, 'keep', [0, 3, 6, 9]],
    [11, 4, 3, 'shift', [0, 3, 6, 7]],
    [10, 10, 5, 'keep', [0]],
    [10, 4, 6, 'keep', [0, 6]],
    [11, 4, 2, 'shift', [0, 2, 4, 6, 7]],
    [512, 512, 512, 'shift', [0]],
  ] as const)('axis slide %i tile %i stride %i %s → %j', (slide, tile, stride, last, want) => {
    expect(Array.from(axisOrigins(slide, tile, stride, last))).toEqual(want);
  });

  it('rectangular grids keep x fastest with per-axis tile and stride', () => {
    const g = gridTiles([7, 4], [3, 2], [2, 2], 'keep');
    expect(g.columns).toBe(3);
    expect(g.rows).toBe(2);
    expect(pairs(g.origins)).toEqual([[0, 0], [2, 0], [4, 0], [0, 2], [2, 2], [4, 2]]);
  });

  it('a tile larger than the slide warns and keeps ratiopath’s own origins', () => {
    const keep = gridTiles([300, 250], [512, 512], [512, 512], 'keep');
    expect(pairs(keep.origins)).toEqual([[0, 0]]);
    expect(keep.warnings[0]).toMatch(/larger than the slide level 300×250/);
    const shift = gridTiles([300, 250], [512, 512], [512, 512], 'shift');
    expect(pairs(shift.origins)).toEqual([[-212, -262]]);
    const drop = gridTiles([300, 250], [512, 512], [512, 512], 'drop');
    expect(drop.count).toBe(0);
    expect(drop.warnings.join(' ')).toMatch(/grid is empty/);
  });

  it('with a small stride an oversized tile gives nothing even for keep (ceil of a negative < -1)', () => {
    // ratiopath: ceil((5 - 10) / 2) = -2 → range(-1) is empty
    expect(gridTiles([5, 5], [10, 10], [2, 2], 'keep').count).toBe(0);
  });

  it.each([
    [[0, 5], [2, 2], [2, 2], 'keep'],
    [[5, 5], [-2, 2], [2, 2], 'keep'],
    [[5, 5], [2, 2], [0, 2], 'keep'],
    [[5, 5], [2.5, 2], [2, 2], 'keep'],
    [[5, 5], [2, 2], [2, 2], 'Keep'],
    [[5, 5], [2, 2], [2, 2], 'pad'],
  ])('rejects slide %j tile %j stride %j last %j', (s, t, st, last) => {
    expect(() => gridTiles(s as [number, number], t as [number, number], st as [number, number], last as LastPolicy)).toThrow(GridError);
  });

  it('keep with a stride larger than the tile can place a tile wholly outside the slide, and says so', () => {
    const g = gridTiles([2, 2], [1, 1], [2, 2], 'keep');
    expect(pairs(g.origins)).toEqual([[0, 0], [2, 0], [0, 2], [2, 2]]);
    expect(g.warnings.join(' ')).toMatch(/wholly outside the slide/);
  });

  it('names the bad `last` value', () => {
    expect(() => gridTiles([5, 5], [2, 2], [2, 2], 'pad' as LastPolicy)).toThrow(/last must be one of drop, keep, shift, got "pad"/);
  });

  it('refuses absurd grids instead of allocating gigabytes', () => {
    expect(() => gridTiles([200000, 200000], [1, 1], [1, 1], 'drop')).toThrow(/more than/);
  });

  it('a million-tile grid is one Int32Array of two million numbers', () => {
    const g = gridTiles([512000, 512000], [512, 512], [512, 512], 'shift');
    expect(g.count).toBe(1_000_000);
    expect(g.origins).toBeInstanceOf(Int32Array);
    expect(g.origins.length).toBe(2_000_000);
  });
});

describe('gridTiles — properties', () => {
  const arb = fc.record({
    slide: fc.tuple(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 400 })),
    tile: fc.tuple(fc.integer({ min: 1, max: 120 }), fc.integer({ min: 1, max: 120 })),
    stride: fc.tuple(fc.integer({ min: 1, max: 150 }), fc.integer({ min: 1, max: 150 })),
    last: fc.constantFrom<LastPolicy>('drop', 'keep', 'shift'),
  });

  it('equals the plain reference, origin for origin and in order', () => {
    fc.assert(
      fc.property(arb, ({ slide, tile, stride, last }) => {
        const g = gridTiles(slide, tile, stride, last);
        expect(pairs(g.origins)).toEqual(reference(slide, tile, stride, last));
        expect(g.count).toBe(gridCount(slide, tile, stride, last));
        expect(g.count).toBe(g.columns * g.rows);
      }),
      { numRuns: 300 },
    );
  });

  it('counts follow n = floor/ceil((slide - tile) / stride) + 1 per axis', () => {
    fc.assert(
      fc.property(arb, ({ slide, tile, stride, last }) => {
        const g = gridTiles(slide, tile, stride, last);
        const round = last === 'drop' ? Math.floor : Math.ceil;
        expect(g.columns).toBe(Math.max(0, round((slide[0] - tile[0]) / stride[0]) + 1));
        expect(g.rows).toBe(Math.max(0, round((slide[1] - tile[1]) / stride[1]) + 1));
      }),
    );
  });

  it('drop and shift tiles lie inside the slide; keep origins start inside it and cover it', () => {
    const fits = arb.filter(({ slide, tile }) => tile[0] <= slide[0] && tile[1] <= slide[1]);
    fc.assert(
      fc.property(fits, ({ slide, tile, stride, last }) => {
        const g = gridTiles(slide, tile, stride, last);
        let maxRight = 0;
        let maxBottom = 0;
        for (let i = 0; i < g.count; i++) {
          const x = g.origins[2 * i];
          const y = g.origins[2 * i + 1];
          expect(x).toBeGreaterThanOrEqual(0);
          expect(y).toBeGreaterThanOrEqual(0);
          if (last === 'keep') {
            // ratiopath adds a tile only while the previous one stops short of the far edge
            if (x > 0) expect(x - stride[0] + tile[0]).toBeLessThan(slide[0]);
            if (y > 0) expect(y - stride[1] + tile[1]).toBeLessThan(slide[1]);
          } else {
            expect(x + tile[0]).toBeLessThanOrEqual(slide[0]);
            expect(y + tile[1]).toBeLessThanOrEqual(slide[1]);
          }
          maxRight = Math.max(maxRight, x + tile[0]);
          maxBottom = Math.max(maxBottom, y + tile[1]);
        }
        // keep and shift reach the far edge whenever the stride leaves no gap wider than a tile
        if (last !== 'drop' && stride[0] <= tile[0]) expect(maxRight).toBeGreaterThanOrEqual(slide[0]);
        if (last !== 'drop' && stride[1] <= tile[1]) expect(maxBottom).toBeGreaterThanOrEqual(slide[1]);
      }),
    );
  });

  it('shift origins are the keep origins clamped to slide - tile', () => {
    fc.assert(
      fc.property(arb, ({ slide, tile, stride }) => {
        const k = gridTiles(slide, tile, stride, 'keep');
        const s = gridTiles(slide, tile, stride, 'shift');
        expect(s.count).toBe(k.count);
        for (let i = 0; i < k.count; i++) {
          expect(s.origins[2 * i]).toBe(Math.min(k.origins[2 * i], slide[0] - tile[0]));
          expect(s.origins[2 * i + 1]).toBe(Math.min(k.origins[2 * i + 1], slide[1] - tile[1]));
        }
      }),
    );
  });
});
