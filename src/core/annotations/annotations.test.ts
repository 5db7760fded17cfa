import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AnnotationError, parseAnnotations } from './index.ts';
import { coverage } from '../filters/coverage.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

function expectError(fn: () => unknown, code: string, re: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AnnotationError);
    expect((e as AnnotationError).code).toBe(code);
    expect((e as Error).message).toMatch(re);
    return;
  }
  throw new Error('expected an AnnotationError');
}

describe('QuPath GeoJSON', () => {
  const set = parseAnnotations(fixture('qupath-collection.geojson'), 'slide.geojson');

  it('reads polygons with holes, multipolygons, classes and colours; counts points and lines', () => {
    expect(set.format).toBe('geojson');
    expect(set.shapes).toHaveLength(3);
    const [tumor, stroma, det] = set.shapes;
    expect(tumor).toMatchObject({ name: 'tumour core', className: 'Tumor', color: '#c80000' });
    expect(tumor.polygons).toHaveLength(1);
    expect(tumor.polygons[0]).toHaveLength(2); // outer + hole
    expect(stroma.polygons).toHaveLength(2);
    expect(stroma.color).toBe('#96c896');
    // QuPath 0.2 colorRGB -3670016 = 0xFFC80000
    expect(det.color).toBe('#c80000');
    expect(set.ignored).toEqual({ points: 1, lines: 1, other: 0 });
  });

  it('coverage respects the hole and the class filter', () => {
    // 1000..3000 square minus the 1500..2000 hole
    expect(coverage(set.shapes, { x: 1000, y: 1000, w: 1000, h: 1000 }, ['Tumor'])).toBeCloseTo(0.75, 12);
    expect(coverage(set.shapes, { x: 1000, y: 1000, w: 1000, h: 1000 }, ['Stroma'])).toBe(0);
    expect(coverage(set.shapes, { x: 4000, y: 0, w: 1512, h: 512 }, ['Stroma'])).toBeCloseTo((512 * 512 + 256 * 256) / (1512 * 512), 12);
  });

  it('reads the bare array QuPath exports, with derived class names', () => {
    const a = parseAnnotations(fixture('qupath-array.geojson'), 'x.geojson');
    expect(a.shapes.map((s) => s.className)).toEqual(['Tumor: Positive', null]);
    expect(a.shapes[1].color).toBeNull();
  });

  it('reads a single Feature, a bare geometry, and the repo’s demo annotation', () => {
    const f = parseAnnotations('{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]},"properties":null}');
    expect(f.shapes).toHaveLength(1);
    const g = parseAnnotations('{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]]]}');
    expect(g.shapes[0].polygons).toHaveLength(1);
    const demo = parseAnnotations(readFileSync(new URL('../../../public/demo/CMU-1-Small-Region.tissue.geojson', import.meta.url), 'utf8'));
    expect(demo.shapes[0]).toMatchObject({ name: 'Tissue', className: 'Tissue', color: '#2ea043' });
  });

  it('applies the MIRAX bounds offset to every vertex', () => {
    const a = parseAnnotations(fixture('qupath-array.geojson'), 'x.geojson', { offset: [1000, 2000] });
    expect(a.shapes[0].polygons[0][0][0]).toEqual([1010, 2010]);
  });

  it('GeometryCollections are unpacked', () => {
    const a = parseAnnotations(JSON.stringify({ type: 'Feature', properties: {}, geometry: { type: 'GeometryCollection', geometries: [
      { type: 'Polygon', coordinates: [[[0, 0], [4, 0], [4, 4], [0, 0]]] },
      { type: 'Point', coordinates: [1, 1] },
    ] } }));
    expect(a.shapes[0].polygons).toHaveLength(1);
    expect(a.ignored.points).toBe(1);
  });

  it('an empty Polygon is counted as having no geometry; a degenerate ring is refused (invalid.test.ts)', () => {
    const a = parseAnnotations('[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[]}}]');
    expect(a.shapes).toHaveLength(0);
    expect(a.ignored.other).toBe(1);
    expectError(() => parseAnnotations('[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,1],[0,0]]]}}]'), 'geometry', /feature 0: ring 0 \(outer\) has 3 positions/);
  });
});

describe('QuPath GeoJSON — malformed (geojson-<defect>)', () => {
  it.each([
    ['geojson-truncated', '{"type":"FeatureCollection","features":[{"type":"Feature",', 'syntax', /not valid JSON/],
    ['geojson-syntax-line', '{\n  "type": "FeatureCollection",\n  "features": [,]\n}', 'syntax', /line 3/],
    ['geojson-string-coordinate', '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],["1",1],[0,0]]]}}]}', 'schema', /feature 0: invalid geometry: .*coordinates\[0\]\[2\]\[0\]/],
    ['geojson-second-feature-bad', '[{"type":"Feature","properties":{},"geometry":null},{"type":"Feature","properties":{},"geometry":{"type":"Polygon"}}]', 'schema', /feature 1: invalid geometry/],
    ['geojson-unknown-geometry', '[{"type":"Feature","properties":{},"geometry":{"type":"Circle","coordinates":[0,0]}}]', 'schema', /feature 0/],
    ['geojson-not-a-feature', '[{"type":"Polygon","coordinates":[]}]', 'schema', /feature 0: invalid feature/],
    ['geojson-features-not-array', '{"type":"FeatureCollection","features":{}}', 'schema', /features/],
    ['geojson-scalar', '42', 'schema', /expected a GeoJSON/],
    ['geojson-empty', '   ', 'empty', /empty/],
    ['geojson-nan', '[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1e999],[0,0]]]}}]', 'schema', /feature 0/],
  ])('%s', (_, text, code, re) => {
    expectError(() => parseAnnotations(text, 'bad.geojson'), code, re);
  });

  it('geojson-deep-nesting does not crash', () => {
    const deep = '['.repeat(100000) + ']'.repeat(100000);
    expectError(() => parseAnnotations(deep, 'deep.geojson'), 'schema', /feature 0/);
  });

  it('geojson-huge is refused before parsing', () => {
    expectError(() => parseAnnotations('[' + ' '.repeat(2000) + ']', 'big.geojson', { maxChars: 1000 }), 'too-large', /more than the 1000/);
  });

  it('geojson-too-many-vertices is refused with its feature', () => {
    const ring = Array.from({ length: 50 }, (_, k) => [k, k % 2]);
    const text = JSON.stringify([{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [ring] } }]);
    expectError(() => parseAnnotations(text, 'x.geojson', { maxVertices: 10 }), 'too-large', /feature 0: more than 10 vertices/);
  });
});

describe('ASAP XML', () => {
  const set = parseAnnotations(fixture('asap-camelyon.xml'), 'tumor_001.xml');

  it('reads polygons and splines with their group, ordered by Order, colour from the annotation or group', () => {
    expect(set.format).toBe('asap');
    expect(set.shapes.map((s) => s.className)).toEqual(['_0', 'Tumor', '_2']);
    const ring = set.shapes[0].polygons[0][0];
    expect(ring.slice(0, 4)).toEqual([[60368.1992, 108742.789], [60400.1992, 108742.789], [60400.1992, 108800.789], [60368.1992, 108800.789]]);
    expect(set.shapes[0].color).toBe('#f4fa58');
    expect(set.shapes[2].color).toBe('#00ff00');
    expect(set.shapes[0].name).toBe('Annotation 0');
    expect(set.ignored).toEqual({ points: 1, lines: 1, other: 0 });
  });

  it('accepts decimal commas (ASAP writes the locale separator)', () => {
    expect(set.shapes[2].polygons[0][0][0]).toEqual([1000.5, 2000.25]);
    expect(coverage(set.shapes, { x: 1000.5, y: 2000.25, w: 100, h: 100 }, ['_2'])).toBeCloseTo(1, 12);
  });

  it.each([
    ['asap-unclosed', '<ASAP_Annotations>\n<Annotations>\n<Annotation Type="Polygon">\n</Annotations>\n</ASAP_Annotations>', 'syntax', /line 4: <\/Annotations> closes <Annotation> opened on line 3/],
    ['asap-bad-number', '<ASAP_Annotations><Annotations>\n<Annotation Type="Polygon" PartOfGroup="None"><Coordinates>\n<Coordinate Order="0" X="12px" Y="3"/></Coordinates></Annotation></Annotations></ASAP_Annotations>', 'schema', /line 3: coordinate <Coordinate> attribute X: expected a number \(got "12px"\)/],
    ['asap-missing-y', '<ASAP_Annotations><Annotations><Annotation Type="Polygon"><Coordinates><Coordinate X="1"/></Coordinates></Annotation></Annotations></ASAP_Annotations>', 'schema', /attribute Y/],
    ['asap-missing-type', '<ASAP_Annotations><Annotations><Annotation Name="a"/></Annotations></ASAP_Annotations>', 'schema', /attribute Type/],
    ['asap-truncated', '<ASAP_Annotations><Annotations><Annotation Type="Polygon"><Coordinates><Coordinate X="1" Y=', 'syntax', /line 1/],
    ['asap-bad-entity', '<ASAP_Annotations><Annotations><Annotation Type="Polygon" Name="a &bogus; b"/></Annotations></ASAP_Annotations>', 'syntax', /unknown entity/],
  ])('%s', (_, text, code, re) => {
    expectError(() => parseAnnotations(text, 'bad.xml'), code, re);
  });

  it('asap-deep-nesting is refused, not a stack overflow', () => {
    const deep = '<ASAP_Annotations>' + '<a>'.repeat(10000) + '</a>'.repeat(10000) + '</ASAP_Annotations>';
    expectError(() => parseAnnotations(deep, 'deep.xml'), 'syntax', /nested deeper/);
  });
});

describe('ImageScope XML', () => {
  const set = parseAnnotations(fixture('imagescope.xml'), 'TCGA-XX.xml');

  it('reads layers as classes, COLORREF colours, rectangles, ellipses and negative regions', () => {
    expect(set.format).toBe('imagescope');
    expect(set.shapes.map((s) => [s.className, s.name ?? null, s.negative ?? false])).toEqual([
      ['Tumor', 'focus A', false],
      ['Tumor', 'necrosis & debris', true],
      ['Tumor', null, false],
      [null, null, false],
    ]);
    expect(set.shapes[0].color).toBe('#ff0000'); // LineColor 255 = red in COLORREF
    expect(set.shapes[3].color).toBe('#00ff00');
    expect(set.ignored.lines).toBe(1);
  });

  it('negative regions are cut out of the coverage', () => {
    // focus A is 200..600², necrosis 300..400² is negative
    expect(coverage(set.shapes, { x: 200, y: 200, w: 400, h: 400 })).toBeCloseTo(1 - 10000 / 160000, 12);
  });

  it('an ellipse is close to π·a·b', () => {
    const a = coverage(set.shapes, { x: 2000, y: 2000, w: 200, h: 100 }) * 200 * 100;
    expect(Math.abs(a - Math.PI * 100 * 50) / (Math.PI * 100 * 50)).toBeLessThan(0.002);
  });

  it.each([
    ['imagescope-bad-vertex', '<Annotations><Annotation Name="x"><Regions><Region Type="0"><Vertices>\n<Vertex X="1" Y="oops"/></Vertices></Region></Regions></Annotation></Annotations>', 'schema', /line 2: vertex <Vertex> attribute Y/],
    ['imagescope-mismatched', '<Annotations><Annotation Name="x"><Regions></Annotation></Annotations>', 'syntax', /<\/Annotation> closes <Regions>/],
    ['imagescope-two-roots', '<Annotations></Annotations><Annotations></Annotations>', 'syntax', /second root/],
  ])('%s', (_, text, code, re) => {
    expectError(() => parseAnnotations(text, 'bad.xml'), code, re);
  });
});

describe('format detection', () => {
  it('refuses what it does not know', () => {
    expectError(() => parseAnnotations('x,y\n1,2\n', 'points.csv'), 'unknown-format', /neither QuPath GeoJSON/);
    expectError(() => parseAnnotations('<svg></svg>', 'a.svg'), 'unknown-format', /neither/);
  });
});

describe('JSON error positions', () => {
  it.each([
    ['{"a":1}', -1],
    ['[1, 2, {"b": [true, false, null, -1.5e3, "x\\"y"]}]', -1],
    ['[1,]', 3],
    ['{"a" 1}', 5],
    ['{"a":1', 6],
    ['[1] 2', 4],
    ['{a:1}', 1],
    ['[01]', 2],
  ])('%s → %i', async (text, at) => {
    const { jsonErrorOffset } = await import('./jsonpos.ts');
    expect(jsonErrorOffset(text)).toBe(at);
  });
});
