// Polygon checks shared by the three parsers: the one place that decides which geometry is
// repaired silently and which is refused with a message naming the ring and the reason.
//
// The repair rule:
// - repaired: a ring that is not closed is closed (shapely's `shape()` closes it too); equal
//   consecutive vertices are dropped (they add zero-length edges and change no area).
// - refused: a GeoJSON ring of fewer than 4 positions once closed (RFC 7946 §3.1.6; shapely refuses
//   it too: "A linearring requires at least 4 coordinates"); a ring of fewer than 3 distinct
//   vertices (no area; in XML formats, where rings are not closed, this is the same rule); and any
//   self-intersection — a ring crossing or touching itself, doubling back (a spike), or two rings of
//   one polygon crossing or sharing a stretch of edge.
// Why self-intersections are refused rather than repaired: the recipe Slidetile exports computes
// coverage with shapely's `make_valid`, which turns a bow-tie into its two lobes (both counted),
// while `buffer(0)` keeps only one lobe and the shoelace area used for one polygon here cancels
// them. Reproducing make_valid exactly means noding and polygonising the linework — a polygon
// boolean library Slidetile does not have — and any cheaper rule would make the app's coverage
// disagree with the recipe's. So the file is refused and the message gives the point to fix.
import { findSelfIntersection, type RingContact } from '../geometry/polygon.ts';
import { AnnotationError } from './types.ts';

export interface RingRules {
  /** minimum positions of a ring once closed (4 for GeoJSON); XML formats give no closing vertex. */
  minPositions?: number;
}

function fmt(v: number): string {
  return String(Number(v.toFixed(2)));
}

export function pointText(p: readonly number[]): string {
  return `(${fmt(p[0])}, ${fmt(p[1])})`;
}

/** Drop repeated vertices, shift by the offset and close the ring; refuse it when too short. */
function cleanRing(pts: number[][], offset: readonly [number, number], rules: RingRules, labelOf: (k: number) => string, k: number, where: string): number[][] {
  const label = () => labelOf(k);
  const out: number[][] = [];
  let lx = NaN, ly = NaN;
  // without an offset the parsed positions are kept as they are: a copy of 10⁶ of them is ~100 MB
  const shift = offset[0] !== 0 || offset[1] !== 0;
  for (const p of pts) {
    if (p[0] !== lx || p[1] !== ly) out.push(shift ? [p[0] + offset[0], p[1] + offset[1]] : p.length === 2 ? p : [p[0], p[1]]);
    lx = p[0];
    ly = p[1];
  }
  const closedAlready = pts.length > 1 && pts[0][0] === pts[pts.length - 1][0] && pts[0][1] === pts[pts.length - 1][1];
  if (rules.minPositions !== undefined) {
    const positions = closedAlready ? pts.length : pts.length + 1;
    if (positions < rules.minPositions) {
      throw new AnnotationError(
        'geometry',
        `${label()} has ${pts.length} position${pts.length === 1 ? '' : 's'}${closedAlready ? '' : ` (${positions} once closed)`}; a GeoJSON ring needs at least ${rules.minPositions} (3 corners and the first repeated to close it)`,
        where,
      );
    }
  }
  if (out.length > 1 && out[0][0] === out[out.length - 1][0] && out[0][1] === out[out.length - 1][1]) out.pop();
  if (out.length < 3) {
    throw new AnnotationError('geometry', `${label()} has ${out.length} distinct vert${out.length === 1 ? 'ex' : 'ices'}; a polygon needs at least 3`, where);
  }
  out.push([out[0][0], out[0][1]]);
  return out;
}

function contactText(c: RingContact, label: (k: number) => string, offset: readonly [number, number]): string {
  const at = pointText([c.at[0] - offset[0], c.at[1] - offset[1]]);
  if (c.ringA === c.ringB) {
    const r = label(c.ringA);
    switch (c.kind) {
      case 'cross':
        return `${r} crosses itself at ${at} (edges ${c.edgeA} and ${c.edgeB})`;
      case 'touch':
        return `${r} touches itself at ${at} (edges ${c.edgeA} and ${c.edgeB})`;
      case 'overlap':
        return `${r} runs back along itself at ${at} (edges ${c.edgeA} and ${c.edgeB})`;
      case 'spike':
        return `${r} turns back on itself at ${at} (a spike)`;
    }
  }
  return `${label(c.ringB)} ${c.kind === 'overlap' ? 'runs along' : 'crosses'} ${label(c.ringA)} at ${at}`;
}

/**
 * One polygon (outer ring, then holes) as the parsers return it: rings closed (first vertex
 * repeated), consecutive duplicates dropped, shifted by `offset`. Throws AnnotationError('geometry')
 * naming `where` and the ring (by `label(k)`) when the polygon breaks the rule above. Coordinates in
 * messages are the file's own (before the offset), so they can be found in the tool that drew them.
 */
export function checkedPolygon(
  raw: number[][][],
  offset: readonly [number, number],
  where: string,
  label: (k: number) => string,
  rules: RingRules = {},
): number[][][] {
  const rings = raw.map((r, k) => cleanRing(r, offset, rules, label, k, where));
  // checked after the shift (bounds offsets are whole pixels, so the shift is exact in practice)
  const c = findSelfIntersection(rings);
  if (c) {
    throw new AnnotationError('geometry', `${contactText(c, label, offset)}; self-intersecting polygons are refused, not repaired — fix or redraw this one`, where);
  }
  return rings;
}
