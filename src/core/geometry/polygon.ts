// Exact area of (axis-aligned rectangle ∩ polygons), in whatever pixel space the caller uses.
// One polygon: Sutherland–Hodgman clipping of each ring against the (convex) rectangle, then the
// shoelace area, holes subtracted. Several overlapping polygons: a vertical-slab sweep over the
// clipped rings, which gives the area of their union exactly (shapely's union, as ratiopath's
// tile_annotations takes it) without a general polygon-boolean library.

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A ring as [[x, y], …]; closing the ring (last = first) is optional. */
export type Ring = number[][];
/** rings[0] is the outer boundary, the rest are holes. */
export type Polygon = Ring[];

/** Flat [x0, y0, x1, y1, …] ring, the form used on the hot path. */
export type FlatRing = Float64Array;

export interface BBox {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export function flattenRing(ring: Ring): FlatRing {
  let n = ring.length;
  // drop the closing vertex GeoJSON repeats: it adds a zero-length edge and nothing else.
  if (n > 1 && ring[0][0] === ring[n - 1][0] && ring[0][1] === ring[n - 1][1]) n--;
  const out = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    out[2 * i] = ring[i][0];
    out[2 * i + 1] = ring[i][1];
  }
  return out;
}

export function ringBBox(r: FlatRing): BBox {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < r.length; i += 2) {
    const x = r[i];
    const y = r[i + 1];
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return { minX, minY, maxX, maxY };
}

/** Signed shoelace area (positive for counter-clockwise in a y-up frame). */
export function signedArea(r: FlatRing | number[]): number {
  const n = r.length;
  if (n < 6) return 0;
  let s = 0;
  let px = r[n - 2];
  let py = r[n - 1];
  for (let i = 0; i < n; i += 2) {
    const x = r[i];
    const y = r[i + 1];
    s += px * y - x * py;
    px = x;
    py = y;
  }
  return s / 2;
}

// one Sutherland–Hodgman pass against the half-plane `axis` (0 = x, 1 = y) `>= v` (keepAbove) or `<= v`.
function clipHalf(src: number[], axis: 0 | 1, v: number, keepAbove: boolean): number[] {
  const out: number[] = [];
  const n = src.length;
  if (n === 0) return out;
  let px = src[n - 2];
  let py = src[n - 1];
  let pc = axis === 0 ? px : py;
  let pin = keepAbove ? pc >= v : pc <= v;
  for (let i = 0; i < n; i += 2) {
    const x = src[i];
    const y = src[i + 1];
    const c = axis === 0 ? x : y;
    const cin = keepAbove ? c >= v : c <= v;
    if (cin !== pin) {
      const t = (v - pc) / (c - pc);
      if (axis === 0) out.push(v, py + t * (y - py));
      else out.push(px + t * (x - px), v);
    }
    if (cin) out.push(x, y);
    px = x;
    py = y;
    pc = c;
    pin = cin;
  }
  return out;
}

/**
 * Ring ∩ rect as a flat ring. The rectangle is convex, so the clipped ring's shoelace area is the
 * exact area of the intersection even for concave rings (degenerate edges along the border cancel).
 */
export function clipRing(r: FlatRing | number[], rect: Rect): number[] {
  let p = Array.from(r);
  p = clipHalf(p, 0, rect.x, true);
  p = clipHalf(p, 0, rect.x + rect.w, false);
  p = clipHalf(p, 1, rect.y, true);
  p = clipHalf(p, 1, rect.y + rect.h, false);
  return p;
}

export function bboxOverlaps(b: BBox, rect: Rect): boolean {
  return b.maxX > rect.x && b.minX < rect.x + rect.w && b.maxY > rect.y && b.minY < rect.y + rect.h;
}

function bboxInside(b: BBox, rect: Rect): boolean {
  return b.minX >= rect.x && b.maxX <= rect.x + rect.w && b.minY >= rect.y && b.maxY <= rect.y + rect.h;
}

/** A polygon prepared for repeated clipping: flat rings with their boxes (and, built on first
 * use for big rings, an edge index). */
export interface PreparedPolygon {
  rings: FlatRing[];
  boxes: BBox[];
  bbox: BBox;
  edges?: (EdgeIndex | null)[];
}

export function preparePolygon(poly: Polygon): PreparedPolygon {
  const rings = poly.map(flattenRing);
  const boxes = rings.map(ringBBox);
  return { rings, boxes, bbox: boxes[0] ?? { minX: 0, minY: 0, maxX: 0, maxY: 0 } };
}

// rings with fewer vertices are simply clipped; the index pays off above this
const INDEX_MIN_VERTICES = 48;
const INDEX_CELLS = 128;

/**
 * Edges of one ring bucketed on a uniform grid over its box. A tile that no edge reaches is wholly
 * inside or wholly outside the ring, which one point-in-ring test (over the edges of one row of
 * buckets) decides — so tiles inside a 10⁴-vertex annotation cost O(1), not O(V).
 */
export class EdgeIndex {
  private readonly cells: Int32Array[]; // per cell, the edges whose box meets it
  private readonly rows: Int32Array[]; // per row of cells, the edges whose y-range meets it
  private readonly cw: number;
  private readonly ch: number;
  private readonly n: number;

  constructor(
    private readonly ring: FlatRing,
    private readonly box: BBox,
  ) {
    this.n = ring.length / 2;
    this.cw = Math.max((box.maxX - box.minX) / INDEX_CELLS, Number.MIN_VALUE);
    this.ch = Math.max((box.maxY - box.minY) / INDEX_CELLS, Number.MIN_VALUE);
    const cells: number[][] = Array.from({ length: INDEX_CELLS * INDEX_CELLS }, () => []);
    const rows: number[][] = Array.from({ length: INDEX_CELLS }, () => []);
    for (let e = 0; e < this.n; e++) {
      const [x0, y0, x1, y1] = this.edge(e);
      const c0 = this.col(Math.min(x0, x1)), c1 = this.col(Math.max(x0, x1));
      const r0 = this.row(Math.min(y0, y1)), r1 = this.row(Math.max(y0, y1));
      for (let r = r0; r <= r1; r++) {
        rows[r].push(e);
        for (let c = c0; c <= c1; c++) cells[r * INDEX_CELLS + c].push(e);
      }
    }
    this.cells = cells.map((a) => Int32Array.from(a));
    this.rows = rows.map((a) => Int32Array.from(a));
  }

  private edge(e: number): [number, number, number, number] {
    const r = this.ring;
    const j = (e + 1) % this.n;
    return [r[2 * e], r[2 * e + 1], r[2 * j], r[2 * j + 1]];
  }
  private col(x: number): number {
    return Math.min(INDEX_CELLS - 1, Math.max(0, Math.floor((x - this.box.minX) / this.cw)));
  }
  private row(y: number): number {
    return Math.min(INDEX_CELLS - 1, Math.max(0, Math.floor((y - this.box.minY) / this.ch)));
  }

  /** Does any edge's box touch the rect (closed)? */
  touches(rect: Rect): boolean {
    const x1 = rect.x + rect.w, y1 = rect.y + rect.h;
    const c0 = this.col(rect.x), c1 = this.col(x1), r0 = this.row(rect.y), r1 = this.row(y1);
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        for (const e of this.cells[r * INDEX_CELLS + c]) {
          const [ax, ay, bx, by] = this.edge(e);
          if (Math.max(ax, bx) >= rect.x && Math.min(ax, bx) <= x1 && Math.max(ay, by) >= rect.y && Math.min(ay, by) <= y1) return true;
        }
      }
    }
    return false;
  }

  /** Even-odd point-in-ring by a ray towards +x, over the edges of the point's row only. */
  contains(px: number, py: number): boolean {
    if (py < this.box.minY || py > this.box.maxY || px < this.box.minX || px > this.box.maxX) return false;
    let inside = false;
    for (const e of this.rows[this.row(py)]) {
      const [ax, ay, bx, by] = this.edge(e);
      if (ay > py !== by > py && px < ax + ((py - ay) / (by - ay)) * (bx - ax)) inside = !inside;
    }
    return inside;
  }
}

function edgeIndex(p: PreparedPolygon, k: number): EdgeIndex | null {
  if (!p.edges) p.edges = new Array(p.rings.length).fill(undefined);
  let idx = p.edges[k];
  if (idx === undefined) {
    idx = p.rings[k].length / 2 >= INDEX_MIN_VERTICES ? new EdgeIndex(p.rings[k], p.boxes[k]) : null;
    p.edges[k] = idx;
  }
  return idx;
}

/**
 * Ring k of p clipped to rect, as a flat ring ([] when they do not meet). Big rings that no edge
 * of which reaches the rect give [] or the rect itself, without clipping.
 */
export function clipPreparedRing(p: PreparedPolygon, k: number, rect: Rect): number[] {
  const b = p.boxes[k];
  if (!bboxOverlaps(b, rect)) return [];
  if (bboxInside(b, rect)) return Array.from(p.rings[k]);
  const idx = edgeIndex(p, k);
  if (idx && !idx.touches(rect)) {
    const x1 = rect.x + rect.w, y1 = rect.y + rect.h;
    return idx.contains(rect.x + rect.w / 2, rect.y + rect.h / 2) ? [rect.x, rect.y, x1, rect.y, x1, y1, rect.x, y1] : [];
  }
  return clipRing(p.rings[k], rect);
}

function ringRectArea(p: PreparedPolygon, k: number, rect: Rect): number {
  return Math.abs(signedArea(clipPreparedRing(p, k, rect)));
}

/** |polygon ∩ rect|: outer ∩ rect minus each hole ∩ rect (holes are assumed inside the outer ring). */
export function polygonRectArea(poly: PreparedPolygon | Polygon, rect: Rect): number {
  const p = Array.isArray(poly) ? preparePolygon(poly) : poly;
  if (p.rings.length === 0 || !bboxOverlaps(p.bbox, rect)) return 0;
  let a = ringRectArea(p, 0, rect);
  for (let k = 1; k < p.rings.length && a > 0; k++) a -= ringRectArea(p, k, rect);
  return a > 0 ? a : 0;
}

/** One member of a union: its rings (outer and holes, any number of polygons) and its sign. */
export interface UnionMember {
  polygons: PreparedPolygon[];
  /** negative members are subtracted from the union (ImageScope's negative regions). */
  negative: boolean;
}

/**
 * |(∪ positive members − ∪ negative members) ∩ rect|. Inside a member the rule is even-odd over all
 * its rings (outer minus holes, islands in holes count); across members it is the union.
 * Exact up to float rounding: between consecutive slab boundaries (every vertex x and every
 * edge-crossing x) the covered length is linear in x, so the midpoint rule is exact.
 */
export function unionRectArea(members: readonly UnionMember[], rect: Rect): number {
  // edges of every clipped ring, as x0,y0,x1,y1 with member index
  const ex: number[] = [];
  const em: number[] = [];
  const xs: number[] = [rect.x, rect.x + rect.w];
  for (let m = 0; m < members.length; m++) {
    for (const p of members[m].polygons) {
      if (!bboxOverlaps(p.bbox, rect)) continue;
      for (let k = 0; k < p.rings.length; k++) {
        const c = clipPreparedRing(p, k, rect);
        const n = c.length;
        for (let i = 0; i < n; i += 2) {
          const x0 = c[i];
          const y0 = c[i + 1];
          const x1 = c[(i + 2) % n];
          const y1 = c[(i + 3) % n];
          xs.push(x0);
          if (x0 !== x1) {
            ex.push(x0, y0, x1, y1);
            em.push(m);
          }
        }
      }
    }
  }
  const ne = em.length;
  if (ne === 0) return 0;
  // crossing points of edges split slabs too
  for (let a = 0; a < ne; a++) {
    const ax0 = ex[4 * a], ay0 = ex[4 * a + 1], ax1 = ex[4 * a + 2], ay1 = ex[4 * a + 3];
    const aminx = Math.min(ax0, ax1), amaxx = Math.max(ax0, ax1);
    for (let b = a + 1; b < ne; b++) {
      const bx0 = ex[4 * b], by0 = ex[4 * b + 1], bx1 = ex[4 * b + 2], by1 = ex[4 * b + 3];
      if (Math.max(bx0, bx1) <= aminx || Math.min(bx0, bx1) >= amaxx) continue;
      const dax = ax1 - ax0, day = ay1 - ay0, dbx = bx1 - bx0, dby = by1 - by0;
      const den = dax * dby - day * dbx;
      if (den === 0) continue;
      const t = ((bx0 - ax0) * dby - (by0 - ay0) * dbx) / den;
      const u = ((bx0 - ax0) * day - (by0 - ay0) * dax) / den;
      if (t > 0 && t < 1 && u > 0 && u < 1) xs.push(ax0 + t * dax);
    }
  }
  xs.sort((p, q) => p - q);
  const parity = new Uint8Array(members.length);
  const ys: number[] = [];
  const ms: number[] = [];
  const order: number[] = [];
  let area = 0;
  for (let s = 0; s + 1 < xs.length; s++) {
    const xa = xs[s];
    const xb = xs[s + 1];
    if (!(xb > xa)) continue;
    const mid = (xa + xb) / 2;
    ys.length = 0;
    ms.length = 0;
    for (let e = 0; e < ne; e++) {
      const x0 = ex[4 * e], x1 = ex[4 * e + 2];
      if ((x0 < mid && mid < x1) || (x1 < mid && mid < x0)) {
        const y0 = ex[4 * e + 1], y1 = ex[4 * e + 3];
        ys.push(y0 + ((mid - x0) / (x1 - x0)) * (y1 - y0));
        ms.push(em[e]);
      }
    }
    if (ys.length < 2) continue;
    order.length = ys.length;
    for (let i = 0; i < ys.length; i++) order[i] = i;
    order.sort((p, q) => ys[p] - ys[q]);
    parity.fill(0);
    let pos = 0;
    let neg = 0;
    let len = 0;
    for (let i = 0; i < order.length; i++) {
      const k = order[i];
      const m = ms[k];
      if (i > 0 && pos > 0 && neg === 0) len += ys[k] - ys[order[i - 1]];
      parity[m] ^= 1;
      const d = parity[m] ? 1 : -1;
      if (members[m].negative) neg += d;
      else pos += d;
    }
    area += len * (xb - xa);
  }
  return area;
}
