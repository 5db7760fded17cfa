// The preview's visibility and hit tests agree with a brute-force walk over the core's grid.
import { describe, expect, it } from 'vitest';
import { gridTiles, type LastPolicy } from '../../core/grid.ts';
import { hitTile, visibleRange, type GridOverlay } from './overlay.ts';

function overlay(extent: [number, number], tile: number, stride: number, last: LastPolicy, ds = 1): GridOverlay {
  const g = gridTiles(extent, [tile, tile], [stride, stride], last);
  return { origins: g.origins, columns: g.columns, rows: g.rows, tileW: tile, tileH: tile, downsample: ds, status: new Uint8Array(g.count), reasons: ['accepted'] };
}

function bruteVisible(g: GridOverlay, x0: number, y0: number, x1: number, y1: number) {
  const out: number[] = [];
  const n = g.columns * g.rows;
  for (let i = 0; i < n; i++) {
    const x = g.origins[2 * i] * g.downsample;
    const y = g.origins[2 * i + 1] * g.downsample;
    if (x < x1 && x + g.tileW * g.downsample > x0 && y < y1 && y + g.tileH * g.downsample > y0) out.push(i);
  }
  return out;
}

describe('visibleRange', () => {
  const cases: [string, GridOverlay][] = [
    ['shift 512', overlay([2220, 2967], 512, 512, 'shift')],
    ['keep 512', overlay([2220, 2967], 512, 512, 'keep')],
    ['drop 300 stride 200', overlay([2220, 2967], 300, 200, 'drop')],
    ['shift 256 at downsample 4', overlay([1000, 700], 256, 256, 'shift', 4)],
  ];
  for (const [name, g] of cases) {
    it(`matches a brute-force walk: ${name}`, () => {
      for (const [x0, y0, x1, y1] of [
        [0, 0, 5000, 5000],
        [600, 700, 1300, 1900],
        [-100, -100, 10, 10],
        [2100, 2900, 2300, 3100],
        [4000, 4000, 4100, 4100],
      ]) {
        const { c0, c1, r0, r1 } = visibleRange(g, x0, y0, x1, y1);
        const got: number[] = [];
        for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) got.push(r * g.columns + c);
        expect(got.sort((a, b) => a - b)).toEqual(bruteVisible(g, x0, y0, x1, y1));
      }
    });
  }
});

describe('hitTile', () => {
  it('finds the last tile in grid order under a point, or -1 outside', () => {
    const g = overlay([2220, 2967], 512, 512, 'shift');
    expect(hitTile(g, 10, 10)).toBe(0);
    expect(hitTile(g, 600, 10)).toBe(1);
    // 1708..2220 is the shifted last column: 1800 lies in columns 3 and 4 and the later one wins;
    // 1600 is left of the shifted column
    expect(hitTile(g, 1800, 10)).toBe(4);
    expect(hitTile(g, 1600, 10)).toBe(3);
    expect(hitTile(g, 5000, 10)).toBe(-1);
    expect(hitTile(g, -1, 10)).toBe(-1);
  });
});
