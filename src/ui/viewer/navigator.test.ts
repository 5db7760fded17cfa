// The navigator's rectangle is exactly what the viewer shows, and a point on the minimap becomes the
// view's centre at the same zoom.
import { describe, expect, it } from 'vitest';
import { centreOn, dragGrab, MIN_RECT, minimapLayout, minimapToWorld, viewCentre, viewRect } from './navigator.ts';
import { fitViewport, toWorld, zoomAt } from './viewport.ts';

// the demo slide's level 0 in a 1000 × 700 viewer, minimap at most 200 × 160
const W = 2220;
const H = 2967;
const map = minimapLayout(W, H, 200, 160);

describe('minimapLayout', () => {
  it('fits the slide inside the box, aspect kept', () => {
    expect(map.height).toBe(160);
    expect(map.k).toBeCloseTo(160 / H, 12);
    expect(map.width).toBe(Math.round(W * (160 / H)));
    const wide = minimapLayout(100_000, 20_000, 200, 160);
    expect([wide.width, wide.height]).toEqual([200, 40]);
  });
});

describe('viewRect', () => {
  it('is the whole minimap when the whole slide is in view', () => {
    const v = fitViewport(W, H, 1000, 700);
    const r = viewRect(v, 1000, 700, map)!;
    expect(r).toEqual({ x: 0, y: 0, w: map.width, h: map.height });
  });

  it('is the visible level-0 rectangle, scaled by k', () => {
    const v = { scale: 2, x: -1000, y: -2000 };
    const r = viewRect(v, 1000, 700, map)!;
    const tl = toWorld(v, 0, 0);
    const br = toWorld(v, 1000, 700);
    expect(r.x).toBeCloseTo(tl.x * map.k, 9);
    expect(r.y).toBeCloseTo(tl.y * map.k, 9);
    expect(r.w).toBeCloseTo((br.x - tl.x) * map.k, 9);
    expect(r.h).toBeCloseTo((br.y - tl.y) * map.k, 9);
  });

  it('stays visible zoomed far in, and is null when the view is off the slide', () => {
    const v = { scale: 16, x: -16 * 1000, y: -16 * 1500 };
    const r = viewRect(v, 1000, 700, map)!;
    expect(r.w).toBe(MIN_RECT);
    expect(r.h).toBe(MIN_RECT);
    const c = viewCentre(v, 1000, 700);
    expect(r.x + r.w / 2).toBeCloseTo(c.x * map.k, 9);
    expect(viewRect({ scale: 1, x: 5000, y: 0 }, 1000, 700, map)).toBeNull();
  });
});

describe('a click on the minimap', () => {
  it('centres the view on the level-0 point under it, zoom unchanged', () => {
    // zoomed in far enough that the view, centred there, lies wholly on the slide (no clipping)
    const v = zoomAt(fitViewport(W, H, 1000, 700), 8, 200, 100, 0.01);
    const p = minimapToWorld(map, 60, 100, W, H);
    expect(p.x).toBeCloseTo(60 / map.k, 9);
    const moved = centreOn(v, p.x, p.y, 1000, 700);
    expect(moved.scale).toBe(v.scale);
    const c = viewCentre(moved, 1000, 700);
    expect(c.x).toBeCloseTo(p.x, 9);
    expect(c.y).toBeCloseTo(p.y, 9);
    // the rectangle is now centred where the click was
    const r = viewRect(moved, 1000, 700, map)!;
    expect(r.x + r.w / 2).toBeCloseTo(60, 6);
    expect(r.y + r.h / 2).toBeCloseTo(100, 6);
  });

  it('keeps the centre on the slide when the click is beside it', () => {
    expect(minimapToWorld(map, -20, 500, W, H)).toEqual({ x: 0, y: H });
  });
});

describe('dragGrab', () => {
  const v = { scale: 1, x: -500, y: -800 };
  const r = viewRect(v, 1000, 700, map)!;
  const c = viewCentre(v, 1000, 700);
  it('grabbed inside the rectangle, the view follows without a jump', () => {
    const start = { x: r.x + 2, y: r.y + 3 };
    const g = dragGrab(r, c, start, map);
    const same = minimapToWorld(map, start.x + g.dx, start.y + g.dy, W, H);
    expect(same.x).toBeCloseTo(c.x, 9);
    expect(same.y).toBeCloseTo(c.y, 9);
    const moved = minimapToWorld(map, start.x + 10 + g.dx, start.y + g.dy, W, H);
    expect(moved.x - c.x).toBeCloseTo(10 / map.k, 9);
  });
  it('grabbed elsewhere, the view centres under the pointer', () => {
    expect(dragGrab(r, c, { x: r.x + r.w + 5, y: r.y }, map)).toEqual({ dx: 0, dy: 0 });
    expect(dragGrab(null, c, { x: 1, y: 1 }, map)).toEqual({ dx: 0, dy: 0 });
  });
});
