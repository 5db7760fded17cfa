// QuPath GeoJSON: a FeatureCollection, one Feature, a bare array of Features (QuPath's default
// export), or a bare geometry. Polygon and MultiPolygon keep their holes; points and lines have
// no area and are only counted. Each feature is validated with zod so an error names its index.
import { z } from 'zod';
import {
  AnnotationError,
  finishRing,
  rgbHex,
  VertexBudget,
  type AnnotationSet,
  type AnnotationShape,
  type IgnoredCounts,
} from './types.ts';
import { jsonErrorOffset, lineColumn } from './jsonpos.ts';

const position = z.array(z.number().finite()).min(2);
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

function polygonRings(coords: number[][][], ctx: Ctx, where: string): number[][][] | null {
  ctx.budget.take(coords.reduce((s, r) => s + r.length, 0), where);
  const outer = coords.length > 0 ? finishRing(coords[0], ctx.offset) : null;
  if (!outer) return null;
  const rings = [outer];
  for (let k = 1; k < coords.length; k++) {
    const h = finishRing(coords[k], ctx.offset);
    if (h) rings.push(h);
  }
  return rings;
}

function collect(g: Geometry, ctx: Ctx, where: string, out: number[][][][], depth: number): void {
  switch (g.type) {
    case 'Polygon': {
      const p = polygonRings(g.coordinates, ctx, where);
      if (p) out.push(p);
      else ctx.ignored.other++;
      return;
    }
    case 'MultiPolygon':
      for (const c of g.coordinates) {
        const p = polygonRings(c, ctx, where);
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
  const r = geometry.safeParse(g);
  if (!r.success) throw new AnnotationError('schema', `invalid geometry: ${describeIssue(r.error)}`, where);
  return r.data;
}

function jsonError(e: unknown, text: string): AnnotationError {
  const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 120);
  const at = jsonErrorOffset(text);
  if (at < 0) return new AnnotationError('syntax', `not valid JSON (${msg})`);
  const { line, column } = lineColumn(text, at);
  const what = at >= text.length ? 'the text ends too early' : `unexpected ${JSON.stringify(text[at])}`;
  return new AnnotationError('syntax', `not valid JSON: ${what}`, `line ${line}, column ${column}`);
}

export function parseGeoJson(text: string, opts: { offset?: readonly [number, number]; maxVertices: number }): AnnotationSet {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw jsonError(e, text);
  }
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
    const where = single ? 'feature' : `feature ${i}`;
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
