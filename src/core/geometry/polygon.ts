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
 * use for big rings, a ClampTree). */
export interface PreparedPolygon {
  rings: FlatRing[];
  boxes: BBox[];
  bbox: BBox;
  trees?: (ClampTree | null)[];
}

export function preparePolygon(poly: Polygon): PreparedPolygon {
  const rings = poly.map(flattenRing);
  const boxes = rings.map(ringBBox);
  return { rings, boxes, bbox: boxes[0] ?? { minX: 0, minY: 0, maxX: 0, maxY: 0 } };
}

// rings with fewer vertices are simply clipped; the tree pays off above this
const TREE_MIN_VERTICES = 48;
// edges per leaf of a ClampTree: below this, clamping edge by edge beats descending further
const TREE_LEAF_EDGES = 8;

/**
 * A big ring clipped to many rectangles, each in time proportional to the ring's vertices near the
 * rectangle (plus a logarithm), not to all of them: a 2,000,000-vertex tissue outline costs a tile
 * what its own stretch of outline costs.
 *
 * Why it is exact: clipping a ring to an axis-aligned rectangle (Sutherland–Hodgman, clipRing) has
 * the area of the ring *clamped* into the rectangle — every point moved to the nearest point of the
 * rectangle, after splitting each edge where it crosses the rectangle's four lines (between splits
 * the clamp is affine, so a clamped edge is straight). And wherever a stretch of the ring lies
 * wholly on one outer side of a line (left of x0, right of x1, below y0 or above y1), its clamped
 * path runs along one line, so its shoelace terms telescope: the stretch is worth the one segment
 * from its first clamped point to its last. The tree (a segment tree of vertex boxes over the ring's
 * edge sequence) finds those stretches; only the parts near the rectangle are walked edge by edge.
 * The path it emits is a ring whose shoelace area equals clipRing's, and whose edges, for the union
 * sweep, cover the same points an odd number of times.
 */
export class ClampTree {
  private readonly n: number; // vertices = edges
  private readonly box: Float64Array; // per node: minX, minY, maxX, maxY of the points of its edge range
  constructor(private readonly ring: FlatRing) {
    this.n = ring.length / 2;
    let size = 1;
    while (size * TREE_LEAF_EDGES < this.n) size *= 2;
    this.box = new Float64Array(size * 2 * 4);
    this.build(1, 0, this.n);
  }

  // node covers edges [s, e): the points s..e (point e is the next range's first; e = n wraps to 0)
  private build(node: number, s: number, e: number): void {
    const b = this.box;
    const o = 4 * node;
    if (e - s <= TREE_LEAF_EDGES) {
      let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
      for (let i = s; i <= e; i++) {
        const j = 2 * (i % this.n);
        const x = this.ring[j], y = this.ring[j + 1];
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
      b[o] = minX;
      b[o + 1] = minY;
      b[o + 2] = maxX;
      b[o + 3] = maxY;
      return;
    }
    const m = (s + e) >>> 1;
    this.build(2 * node, s, m);
    this.build(2 * node + 1, m, e);
    const l = 8 * node, r = 8 * node + 4;
    b[o] = Math.min(b[l], b[r]);
    b[o + 1] = Math.min(b[l + 1], b[r + 1]);
    b[o + 2] = Math.max(b[l + 2], b[r + 2]);
    b[o + 3] = Math.max(b[l + 3], b[r + 3]);
  }

  /** The ring clamped into rect, as a flat ring of clamped points ([] when none of it is near). */
  clamp(rect: Rect): number[] {
    const out: number[] = [];
    const x0 = rect.x, y0 = rect.y, x1 = rect.x + rect.w, y1 = rect.y + rect.h;
    const r = this.ring;
    const n = this.n;
    const b = this.box;
    const emit = (x: number, y: number) => out.push(x < x0 ? x0 : x > x1 ? x1 : x, y < y0 ? y0 : y > y1 ? y1 : y);
    const ts: number[] = [];
    const walk = (node: number, s: number, e: number): void => {
      const o = 4 * node;
      const minX = b[o], minY = b[o + 1], maxX = b[o + 2], maxY = b[o + 3];
      if (maxX <= x0 || minX >= x1 || maxY <= y0 || minY >= y1) {
        // wholly on one outer side of a line: worth its first clamped point to the next range's
        emit(r[2 * s], r[2 * s + 1]);
        return;
      }
      if (minX >= x0 && maxX <= x1 && minY >= y0 && maxY <= y1) {
        for (let i = s; i < e; i++) out.push(r[2 * i], r[2 * i + 1]);
        return;
      }
      if (e - s <= TREE_LEAF_EDGES) {
        for (let i = s; i < e; i++) {
          const ax = r[2 * i], ay = r[2 * i + 1];
          const j = 2 * ((i + 1) % n);
          const bx = r[j], by = r[j + 1];
          emit(ax, ay);
          // split where the edge crosses one of the four lines, in order along the edge
          ts.length = 0;
          if ((ax - x0) * (bx - x0) < 0) ts.push((x0 - ax) / (bx - ax));
          if ((ax - x1) * (bx - x1) < 0) ts.push((x1 - ax) / (bx - ax));
          if ((ay - y0) * (by - y0) < 0) ts.push((y0 - ay) / (by - ay));
          if ((ay - y1) * (by - y1) < 0) ts.push((y1 - ay) / (by - ay));
          if (ts.length > 1) ts.sort((p, q) => p - q);
          for (const t of ts) emit(ax + t * (bx - ax), ay + t * (by - ay));
        }
        return;
      }
      const m = (s + e) >>> 1;
      walk(2 * node, s, m);
      walk(2 * node + 1, m, e);
    };
    walk(1, 0, n);
    return out;
  }
}

function clampTree(p: PreparedPolygon, k: number): ClampTree | null {
  if (!p.trees) p.trees = new Array(p.rings.length).fill(undefined);
  let t = p.trees[k];
  if (t === undefined) {
    t = p.rings[k].length / 2 >= TREE_MIN_VERTICES ? new ClampTree(p.rings[k]) : null;
    p.trees[k] = t;
  }
  return t;
}

/**
 * Ring k of p clipped to rect, as a flat ring ([] when they do not meet): its exact area, and for
 * the union sweep the same covered points. Big rings go through their ClampTree.
 */
export function clipPreparedRing(p: PreparedPolygon, k: number, rect: Rect): number[] {
  const b = p.boxes[k];
  if (!bboxOverlaps(b, rect)) return [];
  if (bboxInside(b, rect)) return Array.from(p.rings[k]);
  const tree = clampTree(p, k);
  return tree ? tree.clamp(rect) : clipRing(p.rings[k], rect);
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
 * |(∪ positive polygons − ∪ negative polygons) ∩ rect|. Inside one polygon the rule is even-odd
 * over its rings (outer minus holes, islands in holes count); across polygons — the parts of a
 * multipolygon too, which invalid input may overlap — it is the union, as shapely's unary_union.
 * Exact up to float rounding: between consecutive slab boundaries (every vertex x and every
 * edge-crossing x) the covered length is linear in x, so the midpoint rule is exact.
 *
 * Cost: a sweep along x. Edges sorted by their left end; crossings are looked for only among edges
 * whose x-ranges overlap, and each slab looks only at the edges spanning it — O(E log E + E·k + S·k
 * log k) for E edges, S slabs and k edges a vertical line meets (hundreds of cells in a tile cost
 * what they cost, not E²).
 */
export function unionRectArea(members: readonly UnionMember[], rect: Rect): number {
  // edges of every clipped ring, as x0,y0,x1,y1 with the polygon (parity group) they belong to
  const ex: number[] = [];
  const eg: number[] = [];
  const negative: boolean[] = [];
  const xs: number[] = [rect.x, rect.x + rect.w];
  for (const member of members) {
    for (const p of member.polygons) {
      if (!bboxOverlaps(p.bbox, rect)) continue;
      const g = negative.length;
      let any = false;
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
            eg.push(g);
            any = true;
          }
        }
      }
      if (any) negative.push(member.negative);
    }
  }
  const ne = eg.length;
  if (ne === 0) return 0;
  const lo = new Float64Array(ne);
  const hi = new Float64Array(ne);
  for (let e = 0; e < ne; e++) {
    lo[e] = Math.min(ex[4 * e], ex[4 * e + 2]);
    hi[e] = Math.max(ex[4 * e], ex[4 * e + 2]);
  }
  const byLo = new Int32Array(ne);
  for (let e = 0; e < ne; e++) byLo[e] = e;
  byLo.sort((p, q) => lo[p] - lo[q]);

  // crossing points of edges split slabs too: each edge against the earlier ones still spanning x
  let active: number[] = [];
  for (let k = 0; k < ne; k++) {
    const b = byLo[k];
    const bx0 = ex[4 * b], by0 = ex[4 * b + 1], bx1 = ex[4 * b + 2], by1 = ex[4 * b + 3];
    const bminy = Math.min(by0, by1), bmaxy = Math.max(by0, by1);
    let w = 0;
    for (let r = 0; r < active.length; r++) {
      const a = active[r];
      if (hi[a] <= lo[b]) continue; // behind the sweep for good
      active[w++] = a;
      const ax0 = ex[4 * a], ay0 = ex[4 * a + 1], ax1 = ex[4 * a + 2], ay1 = ex[4 * a + 3];
      if (Math.max(ay0, ay1) < bminy || Math.min(ay0, ay1) > bmaxy) continue;
      const dax = ax1 - ax0, day = ay1 - ay0, dbx = bx1 - bx0, dby = by1 - by0;
      const den = dax * dby - day * dbx;
      if (den === 0) continue;
      const t = ((bx0 - ax0) * dby - (by0 - ay0) * dbx) / den;
      const u = ((bx0 - ax0) * day - (by0 - ay0) * dax) / den;
      if (t > 0 && t < 1 && u > 0 && u < 1) xs.push(ax0 + t * dax);
    }
    active.length = w;
    active.push(b);
  }
  xs.sort((p, q) => p - q);

  const parity = new Uint8Array(negative.length);
  const ys: number[] = [];
  const gs: number[] = [];
  const order: number[] = [];
  let area = 0;
  active = [];
  let next = 0; // byLo[next] is the first edge not yet active
  for (let s = 0; s + 1 < xs.length; s++) {
    const xa = xs[s];
    const xb = xs[s + 1];
    if (!(xb > xa)) continue;
    const mid = (xa + xb) / 2;
    while (next < ne && lo[byLo[next]] < mid) active.push(byLo[next++]);
    let w = 0;
    ys.length = 0;
    gs.length = 0;
    for (let r = 0; r < active.length; r++) {
      const e = active[r];
      if (hi[e] <= mid) continue; // ends before this slab: gone for good
      active[w++] = e;
      const x0 = ex[4 * e], x1 = ex[4 * e + 2];
      const y0 = ex[4 * e + 1], y1 = ex[4 * e + 3];
      ys.push(y0 + ((mid - x0) / (x1 - x0)) * (y1 - y0));
      gs.push(eg[e]);
    }
    active.length = w;
    if (ys.length < 2) continue;
    order.length = ys.length;
    for (let i = 0; i < ys.length; i++) order[i] = i;
    order.sort((p, q) => ys[p] - ys[q]);
    for (const g of gs) parity[g] = 0;
    let pos = 0;
    let neg = 0;
    let len = 0;
    for (let i = 0; i < order.length; i++) {
      const k = order[i];
      const g = gs[k];
      if (i > 0 && pos > 0 && neg === 0) len += ys[k] - ys[order[i - 1]];
      parity[g] ^= 1;
      const d = parity[g] ? 1 : -1;
      if (negative[g]) neg += d;
      else pos += d;
    }
    area += len * (xb - xa);
  }
  return area;
}

/** Where a polygon's rings meet where they must not (see findSelfIntersection). */
export interface RingContact {
  /** 'cross': two edges cross; 'touch': they meet at a point without crossing (same ring only);
   * 'overlap': they run along each other; 'spike': a ring turns back along the edge it came in on. */
  kind: 'cross' | 'touch' | 'overlap' | 'spike';
  /** ring and edge (edge i joins vertex i to vertex i + 1) of each side; ringA ≤ ringB. */
  ringA: number;
  edgeA: number;
  ringB: number;
  edgeB: number;
  /** a point of the contact, for the message. */
  at: [number, number];
}

function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

// c is known to be collinear with a–b: is it within the segment's box (ends included)?
function onSegment(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): boolean {
  return Math.min(ax, bx) <= cx && cx <= Math.max(ax, bx) && Math.min(ay, by) <= cy && cy <= Math.max(ay, by);
}

// below this many edges in all, every pair is tested: cheaper than sorting for cell boundaries
const SMALL_RING_EDGES = 40;

// The test of two edges (by index into the arrays) for findSelfIntersection.
function contactTest(
  x0: Float64Array,
  y0: Float64Array,
  x1: Float64Array,
  y1: Float64Array,
  ringOf: Int32Array,
  edgeOf: Int32Array,
  sizeOf: Int32Array,
): (a: number, b: number) => RingContact | null {
  return (a: number, b: number): RingContact | null => {
    const sameRing = ringOf[a] === ringOf[b];
    if (ringOf[a] > ringOf[b] || (sameRing && edgeOf[a] > edgeOf[b])) [a, b] = [b, a];
    const report = (kind: RingContact['kind'], at: [number, number]): RingContact => ({ kind, ringA: ringOf[a], edgeA: edgeOf[a], ringB: ringOf[b], edgeB: edgeOf[b], at });
    if (sameRing) {
      const m = sizeOf[a];
      // neighbours share one vertex; they only go wrong when the second turns back along the first
      let inE = -1, outE = -1;
      if (edgeOf[b] === edgeOf[a] + 1) [inE, outE] = [a, b];
      else if (edgeOf[a] === 0 && edgeOf[b] === m - 1) [inE, outE] = [b, a];
      if (inE >= 0) {
        const px = x0[inE], py = y0[inE], sx = x0[outE], sy = y0[outE], qx = x1[outE], qy = y1[outE];
        if (orient(px, py, sx, sy, qx, qy) === 0 && (px - sx) * (qx - sx) + (py - sy) * (qy - sy) > 0) return report('spike', [sx, sy]);
        return null;
      }
    }
    const ax = x0[a], ay = y0[a], bx = x1[a], by = y1[a], cx = x0[b], cy = y0[b], dx = x1[b], dy = y1[b];
    const d1 = orient(ax, ay, bx, by, cx, cy);
    const d2 = orient(ax, ay, bx, by, dx, dy);
    const d3 = orient(cx, cy, dx, dy, ax, ay);
    const d4 = orient(cx, cy, dx, dy, bx, by);
    if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
      const t = d3 / (d3 - d4);
      return report('cross', [ax + t * (bx - ax), ay + t * (by - ay)]);
    }
    if (d1 === 0 && d2 === 0) {
      // collinear: how much of c–d lies on a–b, measured along a–b
      const ux = bx - ax, uy = by - ay, len2 = ux * ux + uy * uy;
      const tc = ((cx - ax) * ux + (cy - ay) * uy) / len2;
      const td = ((dx - ax) * ux + (dy - ay) * uy) / len2;
      const s = Math.max(0, Math.min(tc, td)), f = Math.min(1, Math.max(tc, td));
      if (s < f) return report('overlap', [ax + s * ux, ay + s * uy]);
      if (s === f) return sameRing ? report('touch', [ax + s * ux, ay + s * uy]) : null;
      return null;
    }
    if (!sameRing) return null;
    if (d1 === 0 && onSegment(ax, ay, bx, by, cx, cy)) return report('touch', [cx, cy]);
    if (d2 === 0 && onSegment(ax, ay, bx, by, dx, dy)) return report('touch', [dx, dy]);
    if (d3 === 0 && onSegment(cx, cy, dx, dy, ax, ay)) return report('touch', [ax, ay]);
    if (d4 === 0 && onSegment(cx, cy, dx, dy, bx, by)) return report('touch', [bx, by]);
    return null;
  };
}

// vertices of a ring without the closing repeat of the first
function ringLength(r: Ring): number {
  const n = r.length;
  return n > 1 && r[0][0] === r[n - 1][0] && r[0][1] === r[n - 1][1] ? n - 1 : n;
}

function edgeArrays(n: number) {
  return {
    x0: new Float64Array(n),
    y0: new Float64Array(n),
    x1: new Float64Array(n),
    y1: new Float64Array(n),
    ringOf: new Int32Array(n),
    edgeOf: new Int32Array(n),
    sizeOf: new Int32Array(n),
  };
}
const SCRATCH_EDGES = 1024;
const scratch = edgeArrays(SCRATCH_EDGES);

/**
 * The first place where the rings of one polygon (outer ring first, then holes) are not simple in
 * the OGC / shapely `is_valid` sense, or null. Within a ring any contact of two edges other than
 * the shared vertex of neighbours is reported (crossing, touching, running along each other, a
 * spike); between rings, crossings and shared stretches are reported and a touch at a single point
 * is allowed, as OGC allows a hole to touch the shell at a point. (A hole that passes *through* a
 * vertex of another ring without any proper crossing elsewhere, a hole outside its shell and nested
 * holes are not detected.)
 *
 * Precondition: no ring has two equal consecutive vertices and every ring has ≥ 3 vertices; a
 * closing vertex equal to the first is allowed and ignored.
 *
 * Cost: a sweep over edges sorted by their low end along one axis, testing each edge only against
 * the edges still "active" (whose span along the axis reaches it) that also overlap it on the other
 * axis: O(n log n + n·k), k the number of edges a sweep line meets — a handful for tissue outlines
 * and cell boundaries. The axis is the one along which edges are shorter relative to the box (a
 * comb of horizontal teeth is swept top to bottom), so k stays small for both orientations. Up to
 * SMALL_RING_EDGES edges (cell boundaries, 10⁵ of them in a QuPath detection export) every pair is
 * tested instead: at most 780 box tests, cheaper than the sort.
 */
export function findSelfIntersection(rings: readonly Ring[]): RingContact | null {
  let n = 0;
  for (const r of rings) n += ringLength(r);
  // one set of arrays reused for small polygons: 10⁵ cells would otherwise allocate 10⁶ of them
  const a = n <= SCRATCH_EDGES ? scratch : edgeArrays(n);
  const { x0, y0, x1, y1, ringOf, edgeOf, sizeOf } = a;
  let e = 0;
  let sdx = 0, sdy = 0;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  rings.forEach((r, k) => {
    const m = ringLength(r);
    for (let i = 0; i < m; i++, e++) {
      const p = r[i], q = r[(i + 1) % m];
      x0[e] = p[0];
      y0[e] = p[1];
      x1[e] = q[0];
      y1[e] = q[1];
      ringOf[e] = k;
      edgeOf[e] = i;
      sizeOf[e] = m;
      sdx += Math.abs(q[0] - p[0]);
      sdy += Math.abs(q[1] - p[1]);
      if (p[0] < minX) minX = p[0];
      if (p[0] > maxX) maxX = p[0];
      if (p[1] < minY) minY = p[1];
      if (p[1] > maxY) maxY = p[1];
    }
  });
  if (n === 0) return null;
  const contact = contactTest(x0, y0, x1, y1, ringOf, edgeOf, sizeOf);
  if (n <= SMALL_RING_EDGES) {
    // a cell boundary: every pair, without the sort
    for (let a = 0; a < n; a++) {
      const axl = Math.min(x0[a], x1[a]), axh = Math.max(x0[a], x1[a]), ayl = Math.min(y0[a], y1[a]), ayh = Math.max(y0[a], y1[a]);
      for (let b = a + 1; b < n; b++) {
        if (Math.max(x0[b], x1[b]) < axl || Math.min(x0[b], x1[b]) > axh || Math.max(y0[b], y1[b]) < ayl || Math.min(y0[b], y1[b]) > ayh) continue;
        const c = contact(a, b);
        if (c) return c;
      }
    }
    return null;
  }
  // mean number of edges a sweep line meets, along x and along y
  const alongX = sdx / Math.max(maxX - minX, Number.MIN_VALUE) <= sdy / Math.max(maxY - minY, Number.MIN_VALUE);
  const lo = new Float64Array(n), hi = new Float64Array(n), lo2 = new Float64Array(n), hi2 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const xa = Math.min(x0[i], x1[i]), xb = Math.max(x0[i], x1[i]);
    const ya = Math.min(y0[i], y1[i]), yb = Math.max(y0[i], y1[i]);
    lo[i] = alongX ? xa : ya;
    hi[i] = alongX ? xb : yb;
    lo2[i] = alongX ? ya : xa;
    hi2[i] = alongX ? yb : xb;
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((p, q) => lo[p] - lo[q]);

  const active = new Int32Array(n);
  let na = 0;
  for (let k = 0; k < n; k++) {
    const cur = order[k];
    let w = 0;
    for (let r = 0; r < na; r++) {
      const a = active[r];
      if (hi[a] < lo[cur]) continue; // behind the sweep line for good
      active[w++] = a;
      if (hi2[a] < lo2[cur] || lo2[a] > hi2[cur]) continue;
      const c = contact(a, cur);
      if (c) return c;
    }
    na = w;
    active[na++] = cur;
  }
  return null;
}
