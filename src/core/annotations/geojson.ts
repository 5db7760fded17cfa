// QuPath GeoJSON: a FeatureCollection, one Feature, a bare array of Features (QuPath's default
// export), or a bare geometry. Polygon and MultiPolygon keep their holes; points and lines have
// no area and are only counted. Each feature is validated with zod so an error names its index.
import { z } from 'zod';
import {
  AnnotationError,
  rgbHex,
  VertexBudget,
  type AnnotationSet,
  type AnnotationShape,
  type IgnoredCounts,
} from './types.ts';
import { jsonErrorOffset, lineColumn } from './jsonpos.ts';
import { checkedPolygon } from './rings.ts';

// JSON has no NaN or Infinity, but Python's json module (and Gson when told to serialise special
// floating-point values) write them as bare words. Such a file is read with each of those words
// turned into a marked string, so a NaN among the measurements is harmless and one in a coordinate
// is refused naming its feature, instead of the whole file failing as a JSON syntax error.
const NON_FINITE_MARK = '\u0000';
const NON_FINITE_MARK_JSON = '\\u0000';
const NON_FINITE_TOKEN = /"(?:[^"\\]|\\.)*"|-?Infinity|NaN/g;

function showInput(v: unknown): string {
  if (typeof v === 'string' && v.startsWith(NON_FINITE_MARK)) return v.slice(1);
  if (typeof v === 'number') return String(v);
  return JSON.stringify(v) ?? String(v);
}

const position = z
  .array(z.number({ error: (iss) => `not a finite number (got ${showInput(iss.input)})` }))
  .min(2, 'a position needs at least 2 numbers');
const ring = z.array(position);
const polygonGeom = z.object({ type: z.literal('Polygon'), coordinates: z.array(ring) });
const multiPolygonGeom = z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring)) });
const otherGeom = z.object({
  type: z.enum(['Point', 'MultiPoint', 'LineString', 'MultiLineString']),
  coordinates: z.unknown(),
});
const collectionGeom = z.object({ type: z.literal('GeometryCollection'), geometries: z.array(z.unknown()) });
const geometry = z.discriminatedUnion('type', [polygonGeom, multiPolygonGeom, otherGeom, collectionGeom]);
type Geometry = z.infer<typeof geometry>;

// QuPath ≥ 0.3 writes color as [r, g, b]; 0.2 wrote colorRGB as a packed (signed) ARGB integer.
const classification = z.looseObject({
  name: z.string().optional(),
  names: z.array(z.string()).optional(),
  color: z.array(z.number()).min(3).optional(),
  colorRGB: z.number().int().optional(),
});
const properties = z
  .looseObject({
    name: z.string().optional(),
    objectType: z.string().optional(),
    classification: z.union([classification, z.string()]).optional(),
    color: z.array(z.number()).min(3).optional(),
  })
  .nullable()
  .optional();
const feature = z.object({ type: z.literal('Feature'), geometry: z.unknown(), properties });

function describeIssue(e: z.ZodError): string {
  const i = e.issues[0];
  const path = i.path.length ? ` at ${i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '')}` : '';
  return `${i.message}${path}`;
}

function colorOf(props: z.infer<typeof properties>): string | null {
  const c = props?.classification;
  if (c && typeof c === 'object') {
    if (c.color) return rgbHex(c.color[0], c.color[1], c.color[2]);
    if (c.colorRGB !== undefined) return rgbHex((c.colorRGB >> 16) & 255, (c.colorRGB >> 8) & 255, c.colorRGB & 255);
  }
  if (props?.color) return rgbHex(props.color[0], props.color[1], props.color[2]);
  return null;
}

function classOf(props: z.infer<typeof properties>): string | null {
  const c = props?.classification;
  if (typeof c === 'string') return c;
  if (c?.name !== undefined) return c.name;
  // QuPath writes derived classes as names: ["Tumor", "Positive"]; its display name joins them with ': '
  if (c?.names && c.names.length > 0) return c.names.join(': ');
  return null;
}

interface Ctx {
  offset: readonly [number, number];
  budget: VertexBudget;
  ignored: IgnoredCounts;
}

// `part` names the member of a MultiPolygon; null for a Polygon.
function polygonRings(coords: number[][][], ctx: Ctx, where: string, part: number | null): number[][][] | null {
  ctx.budget.take(coords.reduce((s, r) => s + r.length, 0), where);
  // an empty Polygon is GeoJSON's empty geometry: nothing to draw, counted like a null geometry
  if (coords.length === 0) return null;
  const prefix = part === null ? '' : `polygon ${part}, `;
  const label = (k: number) => `${prefix}ring ${k} (${k === 0 ? 'outer' : 'a hole'})`;
  return checkedPolygon(coords, ctx.offset, where, label, { minPositions: 4 });
}

function collect(g: Geometry, ctx: Ctx, where: string, out: number[][][][], depth: number): void {
  switch (g.type) {
    case 'Polygon': {
      const p = polygonRings(g.coordinates, ctx, where, null);
      if (p) out.push(p);
      else ctx.ignored.other++;
      return;
    }
    case 'MultiPolygon':
      for (const [k, c] of g.coordinates.entries()) {
        const p = polygonRings(c, ctx, where, k);
        if (p) out.push(p);
        else ctx.ignored.other++;
      }
      return;
    case 'Point':
    case 'MultiPoint':
      ctx.ignored.points++;
      return;
    case 'LineString':
    case 'MultiLineString':
      ctx.ignored.lines++;
      return;
    case 'GeometryCollection':
      if (depth > 8) throw new AnnotationError('schema', 'GeometryCollections nested too deeply', where);
      g.geometries.forEach((sub, k) => collect(parseGeometry(sub, `${where}, geometry ${k}`), ctx, `${where}, geometry ${k}`, out, depth + 1));
      return;
  }
}

function parseGeometry(g: unknown, where: string): Geometry {
  const t = g && typeof g === 'object' ? (g as { type?: unknown }).type : undefined;
  if (t === 'Polygon' || t === 'MultiPolygon') {
    // checked by hand, not by zod: zod returns a validated copy of every position (2·10⁶ of them in
    // a big outline), which tripled the memory and the time of reading a file. Same messages.
    const coordinates = (g as { coordinates?: unknown }).coordinates;
    const problem = coordinateProblem(coordinates, t === 'Polygon' ? 3 : 4);
    if (problem) throw new AnnotationError('schema', `invalid geometry: ${problem}`, where);
    return { type: t, coordinates } as Geometry;
  }
  const r = geometry.safeParse(g);
  if (!r.success) throw new AnnotationError('schema', `invalid geometry: ${describeIssue(r.error)}`, where);
  return r.data;
}

/** What is wrong with a Polygon's (depth 3) or MultiPolygon's (depth 4) coordinates, or null. */
function coordinateProblem(c: unknown, depth: number): string | null {
  const at = (path: number[]) => ` at coordinates${path.map((i) => `[${i}]`).join('')}`;
  const walk = (v: unknown, d: number, path: number[]): string | null => {
    if (!Array.isArray(v)) return `expected array, received ${v === null ? 'null' : typeof v}${at(path)}`;
    if (d === 1) {
      // a position
      if (v.length < 2) return `a position needs at least 2 numbers${at(path)}`;
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (typeof x !== 'number' || !Number.isFinite(x)) return `not a finite number (got ${showInput(x)})${at([...path, i])}`;
      }
      return null;
    }
    for (let i = 0; i < v.length; i++) {
      const sub = v[i];
      // the common case inline: a position of two finite numbers
      if (d === 2 && Array.isArray(sub) && sub.length === 2 && typeof sub[0] === 'number' && typeof sub[1] === 'number' && Number.isFinite(sub[0]) && Number.isFinite(sub[1])) continue;
      const p = walk(sub, d - 1, [...path, i]);
      if (p) return p;
    }
    return null;
  };
  return walk(c, depth, []);
}

function jsonError(e: unknown, text: string): AnnotationError {
  const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 120);
  const at = jsonErrorOffset(text);
  if (at < 0) return new AnnotationError('syntax', `not valid JSON (${msg})`);
  const { line, column } = lineColumn(text, at);
  const what = at >= text.length ? 'the text ends too early' : `unexpected ${JSON.stringify(text[at])}`;
  return new AnnotationError('syntax', `not valid JSON: ${what}`, `line ${line}, column ${column}`);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const at = jsonErrorOffset(text);
    if (at >= 0 && /^(-?Infinity|NaN)/.test(text.slice(at, at + 9))) {
      const marked = text.replace(NON_FINITE_TOKEN, (m) => (m[0] === '"' ? m : `"${NON_FINITE_MARK_JSON}${m}"`));
      try {
        return JSON.parse(marked);
      } catch {
        // some other syntax error too: report the first one, as for any bad JSON
      }
    }
    throw jsonError(e, text);
  }
}

/** "feature 3", with its name and QuPath id when it has them, so it can be found in QuPath. */
function featureLabel(raw: unknown, index: number, single: boolean): string {
  let s = single ? 'feature' : `feature ${index}`;
  if (!raw || typeof raw !== 'object') return s;
  const props = (raw as { properties?: unknown }).properties;
  const name = props && typeof props === 'object' ? (props as { name?: unknown }).name : undefined;
  const id = (raw as { id?: unknown }).id;
  if (typeof name === 'string' && name !== '') s += ` "${name}"`;
  if (typeof id === 'string' || typeof id === 'number') s += ` (id ${id})`;
  return s;
}

export function parseGeoJson(text: string, opts: { offset?: readonly [number, number]; maxVertices: number }): AnnotationSet {
  const doc = parseJson(text);
  const ctx: Ctx = { offset: opts.offset ?? [0, 0], budget: new VertexBudget(opts.maxVertices), ignored: { points: 0, lines: 0, other: 0 } };
  let features: unknown[];
  let single = false;
  if (Array.isArray(doc)) features = doc;
  else if (doc && typeof doc === 'object' && (doc as { type?: unknown }).type === 'FeatureCollection') {
    const f = (doc as { features?: unknown }).features;
    if (!Array.isArray(f)) throw new AnnotationError('schema', 'a FeatureCollection needs a "features" array');
    features = f;
  } else if (doc && typeof doc === 'object' && (doc as { type?: unknown }).type === 'Feature') {
    features = [doc];
    single = true;
  } else if (doc && typeof doc === 'object' && typeof (doc as { type?: unknown }).type === 'string') {
    features = [{ type: 'Feature', geometry: doc, properties: null }];
    single = true;
  } else {
    throw new AnnotationError('schema', 'expected a GeoJSON FeatureCollection, Feature, array of Features or geometry');
  }
  const shapes: AnnotationShape[] = [];
  features.forEach((raw, i) => {
    const where = featureLabel(raw, i, single);
    const f = feature.safeParse(raw);
    if (!f.success) throw new AnnotationError('schema', `invalid feature: ${describeIssue(f.error)}`, where);
    if (f.data.geometry === null || f.data.geometry === undefined) {
      ctx.ignored.other++;
      return;
    }
    const g = parseGeometry(f.data.geometry, where);
    const polygons: number[][][][] = [];
    collect(g, ctx, where, polygons, 0);
    if (polygons.length === 0) return;
    const props = f.data.properties;
    const shape: AnnotationShape = { className: classOf(props), color: colorOf(props), polygons };
    if (props?.name !== undefined) shape.name = props.name;
    shapes.push(shape);
  });
  return { format: 'geojson', shapes, ignored: ctx.ignored };
}
