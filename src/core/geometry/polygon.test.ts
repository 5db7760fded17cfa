import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { clipRing, findSelfIntersection, polygonRectArea, preparePolygon, signedArea, unionRectArea, type Rect, type Ring } from './polygon.ts';

const box = (x0: number, y0: number, x1: number, y1: number): Ring => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
const member = (polys: Ring[][], negative = false) => ({ polygons: polys.map(preparePolygon), negative });

// star-shaped (hence simple) polygon around a centre: angles sorted, radii random
const starPolygon = fc
  .record({
    cx: fc.integer({ min: 0, max: 200 }),
    cy: fc.integer({ min: 0, max: 200 }),
    radii: fc.array(fc.integer({ min: 5, max: 120 }), { minLength: 3, maxLength: 24 }),
    rot: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ cx, cy, radii, rot }) => {
    const n = radii.length;
    return radii.map((r, k) => {
      const t = 2 * Math.PI * ((k + rot) / n);
      return [cx + r * Math.cos(t), cy + r * Math.sin(t)];
    });
  });
const rect = fc
  .record({ x: fc.integer({ min: -50, max: 250 }), y: fc.integer({ min: -50, max: 250 }), w: fc.integer({ min: 1, max: 200 }), h: fc.integer({ min: 1, max: 200 }) })
  .map((r): Rect => r);

describe('area of rect ∩ polygon — tables', () => {
  it.each([
    ['inside', box(10, 10, 20, 20), { x: 0, y: 0, w: 100, h: 100 }, 100],
    ['covering', box(0, 0, 100, 100), { x: 10, y: 10, w: 5, h: 5 }, 25],
    ['corner overlap', box(0, 0, 10, 10), { x: 5, y: 5, w: 10, h: 10 }, 25],
    ['disjoint', box(0, 0, 10, 10), { x: 20, y: 20, w: 10, h: 10 }, 0],
    ['touching edge only', box(0, 0, 10, 10), { x: 10, y: 0, w: 10, h: 10 }, 0],
    ['triangle half', [[0, 0], [10, 0], [0, 10]], { x: 0, y: 0, w: 10, h: 10 }, 50],
    ['clockwise ring', [[0, 0], [0, 10], [10, 10], [10, 0]], { x: 0, y: 0, w: 5, h: 10 }, 50],
  ] as const)('%s', (_, ring, r, want) => {
    expect(polygonRectArea([ring as unknown as Ring], r)).toBeCloseTo(want, 9);
  });

  it('subtracts holes, only where they meet the rect', () => {
    const poly = [box(0, 0, 100, 100), box(40, 40, 60, 60)];
    expect(polygonRectArea(poly, { x: 0, y: 0, w: 100, h: 100 })).toBe(10000 - 400);
    expect(polygonRectArea(poly, { x: 50, y: 50, w: 50, h: 50 })).toBe(2500 - 100);
    expect(polygonRectArea(poly, { x: 45, y: 45, w: 10, h: 10 })).toBe(0);
  });

  it('a concave U shape clipped across its gap', () => {
    const u = [[0, 0], [30, 0], [30, 30], [20, 30], [20, 10], [10, 10], [10, 30], [0, 30]];
    // rect y 15..25 crosses both arms: 2 × (10 × 10)
    expect(polygonRectArea([u], { x: 0, y: 15, w: 30, h: 10 })).toBeCloseTo(200, 9);
  });

  it('union: overlapping shapes count once, negatives are cut out', () => {
    const r = { x: 0, y: 0, w: 100, h: 100 };
    expect(unionRectArea([member([[box(0, 0, 60, 100)]]), member([[box(40, 0, 100, 100)]])], r)).toBeCloseTo(10000, 9);
    expect(unionRectArea([member([[box(0, 0, 50, 50)]]), member([[box(25, 25, 75, 75)]])], r)).toBeCloseTo(2500 + 2500 - 625, 9);
    expect(unionRectArea([member([[box(0, 0, 100, 100)]]), member([[box(10, 10, 20, 20)]], true)], r)).toBeCloseTo(9900, 9);
    // an island inside a hole counts (even-odd within one shape)
    expect(unionRectArea([member([[box(0, 0, 100, 100), box(20, 20, 80, 80)], [box(40, 40, 60, 60)]])], r)).toBeCloseTo(10000 - 3600 + 400, 9);
  });
});

describe('area of rect ∩ polygon — properties', () => {
  it('clipping never leaves the rect and never exceeds either area', () => {
    fc.assert(
      fc.property(starPolygon, rect, (ring, r) => {
        const c = clipRing(ring.flat(), r);
        for (let i = 0; i < c.length; i += 2) {
          expect(c[i]).toBeGreaterThanOrEqual(r.x - 1e-9);
          expect(c[i]).toBeLessThanOrEqual(r.x + r.w + 1e-9);
          expect(c[i + 1]).toBeGreaterThanOrEqual(r.y - 1e-9);
          expect(c[i + 1]).toBeLessThanOrEqual(r.y + r.h + 1e-9);
        }
        const a = polygonRectArea([ring], r);
        expect(a).toBeLessThanOrEqual(r.w * r.h + 1e-6);
        expect(a).toBeLessThanOrEqual(Math.abs(signedArea(ring.flat())) + 1e-6);
      }),
    );
  });

  it('is additive: splitting the rect in two splits the area', () => {
    fc.assert(
      fc.property(starPolygon, rect, fc.double({ min: 0.01, max: 0.99, noNaN: true }), (ring, r, f) => {
        const left = { ...r, w: r.w * f };
        const right = { ...r, x: r.x + r.w * f, w: r.w * (1 - f) };
        const whole = polygonRectArea([ring], r);
        expect(polygonRectArea([ring], left) + polygonRectArea([ring], right)).toBeCloseTo(whole, 6);
      }),
    );
  });

  it('the slab sweep agrees with Sutherland–Hodgman on a single polygon', () => {
    fc.assert(
      fc.property(starPolygon, rect, (ring, r) => {
        expect(unionRectArea([member([[ring]])], r)).toBeCloseTo(polygonRectArea([ring], r), 6);
      }),
    );
  });

  it('the union of integer rectangles equals a pixel count', () => {
    const irect = fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 1, max: 15 }), fc.integer({ min: 1, max: 15 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(irect, fc.boolean()), { minLength: 1, maxLength: 6 }), irect, (shapes, [rx, ry, rw, rh]) => {
        const r = { x: rx, y: ry, w: rw, h: rh };
        let count = 0;
        for (let y = ry; y < ry + rh; y++) {
          for (let x = rx; x < rx + rw; x++) {
            const inside = (neg: boolean) => shapes.some(([[sx, sy, sw, sh], n]) => n === neg && x >= sx && x < sx + sw && y >= sy && y < sy + sh);
            if (inside(false) && !inside(true)) count++;
          }
        }
        const members = shapes.map(([[sx, sy, sw, sh], n]) => member([[box(sx, sy, sx + sw, sy + sh)]], n));
        expect(unionRectArea(members, r)).toBeCloseTo(count, 6);
      }),
      { numRuns: 200 },
    );
  });

  it('is invariant under translating polygon and rect together', () => {
    fc.assert(
      fc.property(starPolygon, rect, fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: -1000, max: 1000 }), (ring, r, dx, dy) => {
        const moved = ring.map(([x, y]) => [x + dx, y + dy]);
        expect(polygonRectArea([moved], { ...r, x: r.x + dx, y: r.y + dy })).toBeCloseTo(polygonRectArea([ring], r), 5);
      }),
    );
  });
});

describe('clamp tree for big rings', () => {
  // a 300-vertex wobbly ring with a 60-vertex hole: both get a tree
  const big = Array.from({ length: 300 }, (_, k) => {
    const t = (2 * Math.PI * k) / 300;
    const r = 1000 + 150 * Math.sin(9 * t);
    return [2000 + r * Math.cos(t), 2000 + r * Math.sin(t)];
  });
  const hole = Array.from({ length: 60 }, (_, k) => {
    const t = (2 * Math.PI * k) / 60;
    return [2000 + 200 * Math.cos(t), 2000 + 200 * Math.sin(t)];
  });
  const prepared = preparePolygon([big, hole]);
  const plain = (r: Rect) => Math.max(0, Math.abs(signedArea(clipRing(big.flat(), r))) - Math.abs(signedArea(clipRing(hole.flat(), r))));

  it('gives the same area as clipping every vertex, inside, outside and across the boundary', () => {
    fc.assert(
      fc.property(
        fc.record({ x: fc.integer({ min: 700, max: 3300 }), y: fc.integer({ min: 700, max: 3300 }), w: fc.integer({ min: 1, max: 400 }), h: fc.integer({ min: 1, max: 400 }) }),
        (r) => {
          expect(polygonRectArea(prepared, r)).toBeCloseTo(plain(r), 6);
          expect(unionRectArea([{ polygons: [prepared], negative: false }], r)).toBeCloseTo(plain(r), 6);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a tile deep inside is full, a tile in the hole is empty', () => {
    expect(polygonRectArea(prepared, { x: 2500, y: 1900, w: 100, h: 100 })).toBe(10000);
    expect(polygonRectArea(prepared, { x: 1950, y: 1950, w: 100, h: 100 })).toBe(0);
  });
});

describe('findSelfIntersection', () => {
  // oracle: every pair of non-neighbouring edges, proper crossings only (random points are in
  // general position, so touches and collinear runs do not occur)
  function crossesBrute(ring: Ring): boolean {
    const n = ring.length;
    const o = (a: number[], b: number[], c: number[]) => Math.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]));
    for (let i = 0; i < n; i++) {
      for (let j = i + 2; j < n; j++) {
        if (i === 0 && j === n - 1) continue;
        const [a, b, c, d] = [ring[i], ring[(i + 1) % n], ring[j], ring[(j + 1) % n]];
        if (o(a, b, c) * o(a, b, d) < 0 && o(c, d, a) * o(c, d, b) < 0) return true;
      }
    }
    return false;
  }
  // the precondition (no repeated vertices) and general position (no 3 points on a line), so the
  // only possible contact is a proper crossing
  const generalPosition = (pts: number[][]) => {
    for (let i = 0; i < pts.length; i++)
      for (let j = i + 1; j < pts.length; j++) {
        if (pts[i][0] === pts[j][0] && pts[i][1] === pts[j][1]) return false;
        for (let k = j + 1; k < pts.length; k++) {
          const [a, b, c] = [pts[i], pts[j], pts[k]];
          if ((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]) === 0) return false;
        }
      }
    return true;
  };
  const randomRing = (minLength: number, maxLength: number) =>
    fc
      .array(fc.tuple(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 })), { minLength, maxLength })
      .map((pts) => pts.map(([x, y]) => [x / 1000, y / 1000]))
      .filter(generalPosition);

  it('agrees with every-pair testing on random rings, small (pairs) and large (sweep)', () => {
    fc.assert(
      fc.property(fc.oneof(randomRing(3, 12), randomRing(41, 90)), (ring) => {
        const c = findSelfIntersection([ring]);
        expect(c !== null).toBe(crossesBrute(ring));
        if (c) expect(c.kind).toBe('cross');
      }),
      { numRuns: 400 },
    );
  });

  it('simple star polygons have no contact', () => {
    fc.assert(
      fc.property(starPolygon, (ring) => {
        expect(findSelfIntersection([ring])).toBeNull();
      }),
    );
  });

  it('combs of 2000 teeth, either way round: simple, and a tooth bent into its neighbour is found', () => {
    const comb: Ring = [];
    for (let k = 0; k < 2000; k++) comb.push([k * 10, 0], [k * 10, 1000], [k * 10 + 5, 1000], [k * 10 + 5, 0]);
    comb.push([20_000, -10], [0, -10]);
    const turned = comb.map(([x, y]) => [y, x]);
    expect(findSelfIntersection([comb])).toBeNull();
    expect(findSelfIntersection([turned])).toBeNull();
    const bent = comb.map((p) => [...p]);
    bent[4 * 1000 + 1] = [10_012, 1000]; // tooth 1000's top reaches past tooth 1001's left side
    expect(findSelfIntersection([bent])).toMatchObject({ kind: 'cross', ringA: 0, ringB: 0 });
    expect(findSelfIntersection([bent.map(([x, y]) => [y, x])])).toMatchObject({ kind: 'cross' });
  });

  it('a 2·10⁵-vertex ring is checked in well under a second of work (no all-pairs scan)', () => {
    const n = 200_000;
    const ring = Array.from({ length: n }, (_, k) => {
      const t = (2 * Math.PI * k) / n;
      const r = 50_000 + 2_000 * Math.sin(40 * t);
      return [r * Math.cos(t), r * Math.sin(t)];
    });
    const t0 = performance.now();
    expect(findSelfIntersection([ring])).toBeNull();
    // ≈ 0.2–0.6 s on the shared 2-core machine; every pair would be 2·10¹⁰ tests, minutes
    expect(performance.now() - t0).toBeLessThan(8000);
  });

  it('between rings: a hole may touch the shell at a point, not cross it or share an edge', () => {
    const shell = box(0, 0, 10, 10);
    expect(findSelfIntersection([shell, [[0, 5], [5, 2], [5, 8]]])).toBeNull();
    expect(findSelfIntersection([shell, box(5, 5, 15, 8)])).toMatchObject({ kind: 'cross', ringA: 0, ringB: 1 });
    expect(findSelfIntersection([shell, box(0, 2, 5, 8)])).toMatchObject({ kind: 'overlap', ringA: 0, ringB: 1 });
    // within one ring, the same touch is refused
    expect(findSelfIntersection([[[0, 0], [6, 0], [6, 4], [3, 0], [0, 4]]])).toMatchObject({ kind: 'touch', at: [3, 0] });
  });
});

describe('clamp tree on rings with many vertices, concave and spiky', () => {
  // star-shaped rings of 2,000 vertices with radii jumping around: long stretches outside a tile,
  // edges crossing its corners, spikes through it — the clamped path must keep clipRing's area
  const ring = (seed: number, n: number) => {
    let x = seed;
    const rnd = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
    return Array.from({ length: n }, (_, k) => {
      const t = (2 * Math.PI * k) / n;
      const r = 200 + 180 * rnd();
      return [500 + r * Math.cos(t), 500 + r * Math.sin(t)];
    });
  };
  it('equals clipping every vertex, for 1,000 random rectangles', () => {
    for (let seed = 1; seed <= 4; seed++) {
      const r = ring(seed, 2000);
      const prepared = preparePolygon([r]);
      fc.assert(
        fc.property(fc.record({ x: fc.integer({ min: 50, max: 950 }), y: fc.integer({ min: 50, max: 950 }), w: fc.integer({ min: 1, max: 500 }), h: fc.integer({ min: 1, max: 500 }) }), (rc) => {
          const want = Math.abs(signedArea(clipRing(r.flat(), rc)));
          expect(polygonRectArea(prepared, rc)).toBeCloseTo(want, 5);
        }),
        { numRuns: 250, seed },
      );
    }
  });
});

describe('union of overlapping parts', () => {
  it('the overlapping parts of one multipolygon are united, not cancelled (shapely unary_union)', () => {
    const r = { x: 0, y: 0, w: 100, h: 100 };
    // two 60 × 100 parts overlapping in a 20 × 100 band: 10,000, not 10,000 − 2,000
    expect(unionRectArea([member([[box(0, 0, 60, 100)], [box(40, 0, 100, 100)]])], r)).toBeCloseTo(10000, 9);
  });

  it('many small overlapping cells: equals a fine raster count', () => {
    // 300 squares of 7 px on a 100 × 100 tile with integer corners: a 1-px raster is exact
    let x = 7;
    const rnd = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
    const cells = Array.from({ length: 300 }, () => {
      const cx = Math.floor(rnd() * 100) - 3, cy = Math.floor(rnd() * 100) - 3;
      return box(cx, cy, cx + 7, cy + 7);
    });
    const covered = new Uint8Array(100 * 100);
    for (const c of cells) {
      for (let py = Math.max(0, c[0][1]); py < Math.min(100, c[2][1]); py++) for (let px = Math.max(0, c[0][0]); px < Math.min(100, c[2][0]); px++) covered[py * 100 + px] = 1;
    }
    const want = covered.reduce((a, b) => a + b, 0);
    expect(unionRectArea(cells.map((c) => member([[c]])), { x: 0, y: 0, w: 100, h: 100 })).toBeCloseTo(want, 6);
  });
});
