import { describe, expect, it } from 'vitest';
import { candidateIndices, makePlan } from './plan.ts';
import { scanOrder } from './scanOrder.ts';
import { CMU_SMALL, NDPI_TRITC } from './testing/slides.ts';

// the demo slide: 5 columns × 6 rows of 512² tiles at level 0, row-major (index = row·5 + column)
const demo = makePlan(CMU_SMALL, { limit: null });
const all = candidateIndices(demo);

describe('scanOrder: the tiles in view first', () => {
  it('without a view: grid order, unchanged', () => {
    expect(scanOrder(demo, all, null)).toEqual(Array.from(all));
    expect(scanOrder(demo, all, { x0: 10, y0: 10, x1: 10, y1: 500 })).toEqual(Array.from(all));
  });

  it('a view over the bottom-right corner: its 4 tiles first (nearest the centre first), then grid order', () => {
    // x 1100..1600 spans columns 2 and 3; y 2100..2600 spans rows 4 and 5 (4·512 = 2048, 5·512 = 2560)
    const order = scanOrder(demo, all, { x0: 1100, y0: 2100, x1: 1600, y1: 2600 });
    expect(new Set(order.slice(0, 4))).toEqual(new Set([22, 23, 27, 28]));
    // centre (1350, 2350): tile 22 (x 1024..1536, y 2048..2560) holds it
    expect(order[0]).toBe(22);
    expect(order.slice(4)).toEqual(Array.from(all).filter((i) => ![22, 23, 27, 28].includes(i)));
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from(all));
  });

  it('only the tiles it is given, each once (a candidate list with gaps)', () => {
    const some = [0, 3, 6, 22, 29];
    const order = scanOrder(demo, some, { x0: 0, y0: 0, x1: 2220, y1: 2967 });
    expect([...order].sort((a, b) => a - b)).toEqual(some);
  });

  it('works in level-0 units on a downsampled level (the view is level 0, the grid is not)', () => {
    const p = makePlan(NDPI_TRITC, { resolution: { mode: 'level', level: 1 }, tile: [512, 512], stride: [512, 512], limit: null });
    const tiles = candidateIndices(p);
    // level 1 is ÷2: its tile (col 1, row 1) covers level-0 x,y 1024..2048
    const order = scanOrder(p, tiles, { x0: 1100, y0: 1100, x1: 2000, y1: 2000 });
    const cols = p.grid.columns;
    expect(order[0]).toBe(1 * cols + 1);
    expect(order.length).toBe(tiles.length);
  });
});
