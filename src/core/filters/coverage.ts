// Annotation coverage: |tile ∩ annotations| / |tile| in level-0 pixels, the quantity ratiopath's
// tile_annotations gives (it shifts the ROI by origin × downsample, intersects with the union).
import {
  bboxOverlaps,
  polygonRectArea,
  preparePolygon,
  unionRectArea,
  type BBox,
  type PreparedPolygon,
  type Rect,
  type UnionMember,
} from '../geometry/polygon.ts';
import type { AnnotationShape } from '../annotations/types.ts';

interface Member extends UnionMember {
  bbox: BBox;
}

/** Shapes prepared once for many tiles: flat rings, boxes, and a coarse bucket grid over the boxes. */
export class CoverageIndex {
  private readonly members: Member[];
  private readonly cell: number;
  private readonly buckets = new Map<number, number[]>();
  private readonly originX: number;
  private readonly originY: number;
  private readonly cols: number;

  constructor(shapes: readonly AnnotationShape[], classes?: readonly string[] | null) {
    const want = classes && classes.length > 0 ? new Set(classes) : null;
    this.members = [];
    for (const s of shapes) {
      if (want && !(s.className !== null && want.has(s.className))) continue;
      const polygons: PreparedPolygon[] = s.polygons.filter((p) => p.length > 0 && p[0].length >= 3).map(preparePolygon);
      if (polygons.length === 0) continue;
      const bbox = polygons.reduce<BBox>(
        (b, p) => ({
          minX: Math.min(b.minX, p.bbox.minX),
          minY: Math.min(b.minY, p.bbox.minY),
          maxX: Math.max(b.maxX, p.bbox.maxX),
          maxY: Math.max(b.maxY, p.bbox.maxY),
        }),
        { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity },
      );
      this.members.push({ polygons, negative: s.negative === true, bbox });
    }
    // bucket the boxes so a tile only looks at shapes near it (QuPath exports can hold 10⁵ cells).
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const m of this.members) {
      minX = Math.min(minX, m.bbox.minX);
      minY = Math.min(minY, m.bbox.minY);
      maxX = Math.max(maxX, m.bbox.maxX);
      maxY = Math.max(maxY, m.bbox.maxY);
    }
    const span = Math.max(maxX - minX, maxY - minY, 1);
    this.cell = Math.max(span / 256, 1);
    this.originX = Number.isFinite(minX) ? minX : 0;
    this.originY = Number.isFinite(minY) ? minY : 0;
    this.cols = Math.ceil((Number.isFinite(maxX) ? maxX - this.originX : 0) / this.cell) + 1;
    this.members.forEach((m, i) => {
      const [c0, r0, c1, r1] = this.cellRange(m.bbox.minX, m.bbox.minY, m.bbox.maxX, m.bbox.maxY);
      for (let r = r0; r <= r1; r++) {
        for (let c = c0; c <= c1; c++) {
          const k = r * this.cols + c;
          const b = this.buckets.get(k);
          if (b) b.push(i);
          else this.buckets.set(k, [i]);
        }
      }
    });
  }

  get size(): number {
    return this.members.length;
  }

  private cellRange(x0: number, y0: number, x1: number, y1: number): [number, number, number, number] {
    const clampC = (v: number) => Math.min(this.cols - 1, Math.max(0, v));
    return [
      clampC(Math.floor((x0 - this.originX) / this.cell)),
      Math.max(0, Math.floor((y0 - this.originY) / this.cell)),
      clampC(Math.floor((x1 - this.originX) / this.cell)),
      Math.max(0, Math.floor((y1 - this.originY) / this.cell)),
    ];
  }

  /** Annotated area inside rect (level-0 px²). */
  area(rect: Rect): number {
    if (this.members.length === 0 || !(rect.w > 0 && rect.h > 0)) return 0;
    const [c0, r0, c1, r1] = this.cellRange(rect.x, rect.y, rect.x + rect.w, rect.y + rect.h);
    const seen = new Set<number>();
    const near: Member[] = [];
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const b = this.buckets.get(r * this.cols + c);
        if (!b) continue;
        for (const i of b) {
          if (seen.has(i)) continue;
          seen.add(i);
          if (bboxOverlaps(this.members[i].bbox, rect)) near.push(this.members[i]);
        }
      }
    }
    if (near.length === 0) return 0;
    if (near.some((m) => m.negative)) return unionRectArea(near, rect); // a negative region cuts across all
    // shapes whose boxes do not meet inside the tile cannot overlap there: their areas add up, and
    // only each group of boxes that meet needs the union sweep (10⁵ cells: a few per group, not all)
    let area = 0;
    for (const group of overlapGroups(near, rect)) {
      if (group.length === 1 && group[0].polygons.length === 1) area += polygonRectArea(group[0].polygons[0], rect);
      else area += unionRectArea(group, rect); // the parts of a multipolygon may overlap in invalid input
    }
    return Math.min(area, rect.w * rect.h);
  }

  /** Fraction of rect covered, in [0, 1]. */
  fraction(rect: Rect): number {
    const a = this.area(rect) / (rect.w * rect.h);
    return a > 1 ? 1 : a < 0 ? 0 : a;
  }
}

/**
 * Exact fraction of a level-0 rectangle covered by the shapes (holes, multipolygons and overlaps
 * respected), counting only shapes whose className is in `classes` when that list is non-empty.
 * For many tiles build one CoverageIndex instead.
 */
export function coverage(shapes: readonly AnnotationShape[], rectLevel0: Rect, classes?: readonly string[] | null): number {
  return new CoverageIndex(shapes, classes).fraction(rectLevel0);
}

/** The rule: accept when coverage >= min. */
export function coverageRejects(fraction: number, min: number): boolean {
  return !(fraction >= min);
}

/** The members in groups whose boxes, cut to rect, meet (transitively): a sweep along x, union-find. */
function overlapGroups(members: readonly Member[], rect: Rect): Member[][] {
  const n = members.length;
  if (n === 1) return [[members[0]]];
  const x0 = rect.x, y0 = rect.y, x1 = rect.x + rect.w, y1 = rect.y + rect.h;
  const box = members.map((m) => [Math.max(m.bbox.minX, x0), Math.max(m.bbox.minY, y0), Math.min(m.bbox.maxX, x1), Math.min(m.bbox.maxY, y1)]);
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => box[a][0] - box[b][0]);
  let active: number[] = [];
  for (const b of order) {
    const [bx0, by0, , by1] = box[b];
    active = active.filter((a) => box[a][2] > bx0);
    for (const a of active) if (box[a][1] < by1 && box[a][3] > by0) parent[find(a)] = find(b);
    active.push(b);
  }
  const groups = new Map<number, Member[]>();
  for (let i = 0; i < n; i++) {
    const r = find(i);
    const g = groups.get(r);
    if (g) g.push(members[i]);
    else groups.set(r, [members[i]]);
  }
  return [...groups.values()];
}
