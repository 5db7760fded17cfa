// Invalid geometry in each format: refused with the feature and the reason (rings.ts has the rule);
// what the rule repairs is accepted with the repair applied.
import { describe, expect, it } from 'vitest';
import { AnnotationError, parseAnnotations } from './index.ts';
import { coverage } from '../filters/coverage.ts';

function refusal(text: string, fileName: string): AnnotationError {
  try {
    parseAnnotations(text, fileName);
  } catch (e) {
    expect(e).toBeInstanceOf(AnnotationError);
    return e as AnnotationError;
  }
  throw new Error(`${fileName} was accepted`);
}

const feature = (geometry: unknown, extra: Record<string, unknown> = {}) => ({ type: 'Feature', properties: {}, geometry, ...extra });
const collection = (...features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });
const square = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]];
const bowTie = [[0, 0], [4, 4], [4, 0], [0, 4], [0, 0]];

describe('GeoJSON: invalid geometry names the feature and the reason', () => {
  it.each([
    ['ring of 3 positions', [[[0, 0], [1, 1], [0, 0]]], 'geometry', /^feature 1: ring 0 \(outer\) has 3 positions; a GeoJSON ring needs at least 4/],
    ['hole of 2 positions', [square, [[2, 2], [3, 3]]], 'geometry', /^feature 1: ring 1 \(a hole\) has 2 positions \(3 once closed\); a GeoJSON ring needs at least 4/],
    ['4 positions, 2 distinct', [[[0, 0], [5, 5], [5, 5], [0, 0]]], 'geometry', /^feature 1: ring 0 \(outer\) has 2 distinct vertices; a polygon needs at least 3/],
    ['all on one line', [[[0, 0], [4, 0], [2, 0], [0, 0]]], 'geometry', /^feature 1: ring 0 \(outer\) turns back on itself at \((4|0), 0\) \(a spike\)/],
    ['bow-tie', [bowTie], 'geometry', /^feature 1: ring 0 \(outer\) crosses itself at \(2, 2\) \(edges 0 and 2\); self-intersecting polygons are refused, not repaired/],
    ['ring touching itself', [[[0, 0], [6, 0], [6, 4], [3, 0], [0, 4], [0, 0]]], 'geometry', /^feature 1: ring 0 \(outer\) touches itself at \(3, 0\)/],
    ['hole crossing the outer ring', [square, [[5, 5], [15, 5], [15, 8], [5, 8], [5, 5]]], 'geometry', /^feature 1: ring 1 \(a hole\) crosses ring 0 \(outer\) at \(10, (5|8)\)/],
    ['hole running along the outer ring', [square, [[0, 2], [5, 2], [5, 8], [0, 8], [0, 2]]], 'geometry', /^feature 1: ring 1 \(a hole\) runs along ring 0 \(outer\) at \(0, (2|8)\)/],
    ['string coordinate', [[[0, 0], [1, 0], ['1', 1], [0, 0]]], 'schema', /^feature 1: invalid geometry: not a finite number \(got "1"\) at coordinates\[0\]\[2\]\[0\]/],
    ['position of one number', [[[0, 0], [1], [1, 1], [0, 0]]], 'schema', /^feature 1: invalid geometry: a position needs at least 2 numbers at coordinates\[0\]\[1\]/],
  ])('%s', (_, coordinates, code, re) => {
    const e = refusal(collection(feature({ type: 'Polygon', coordinates: [square] }), feature({ type: 'Polygon', coordinates })), 'bad.geojson');
    expect(e.code).toBe(code);
    expect(e.message).toMatch(re);
  });

  it('names the feature by its name and QuPath id, and the part of a MultiPolygon', () => {
    const e = refusal(
      collection(feature({ type: 'MultiPolygon', coordinates: [[square], [bowTie]] }, { id: '6f1c-22', properties: { name: 'tumour core' } })),
      'bad.geojson',
    );
    expect(e.code).toBe('geometry');
    expect(e.message).toMatch(/^feature 0 "tumour core" \(id 6f1c-22\): polygon 1, ring 0 \(outer\) crosses itself at \(2, 2\)/);
  });

  it.each([
    ['NaN', 'NaN'],
    ['Infinity', 'Infinity'],
    ['-Infinity', '-Infinity'],
    ['1e999', 'Infinity'],
  ])('a %s coordinate (as Python writes it) names its feature', (token, shown) => {
    const text = `[${JSON.stringify(feature({ type: 'Polygon', coordinates: [square] }))},\n{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[${token},0],[1,1],[0,0]]]}}]`;
    const e = refusal(text, 'nan.geojson');
    expect(e.code).toBe('schema');
    expect(e.message).toBe(`feature 1: invalid geometry: not a finite number (got ${shown}) at coordinates[0][1][0]`);
  });

  it('NaN in a measurement is no reason to refuse the file; a NaN word inside a string is left alone', () => {
    const text = `[{"type":"Feature","properties":{"name":"NaN or Infinity","measurements":{"Area":NaN,"Max":-Infinity}},"geometry":${JSON.stringify({ type: 'Polygon', coordinates: [square] })}}]`;
    const set = parseAnnotations(text, 'qupath.geojson');
    expect(set.shapes).toHaveLength(1);
    expect(set.shapes[0].name).toBe('NaN or Infinity');
  });

  it('other JSON errors after a NaN are still reported at their line', () => {
    const e = refusal('[{"type":"Feature","properties":{"a":NaN},\n"geometry":null,}]', 'x.geojson');
    expect(e.code).toBe('syntax');
    expect(e.message).toMatch(/^line 1, column \d+: not valid JSON: unexpected "N"/);
  });

  it('repairs: an unclosed ring is closed, repeated vertices are dropped, a hole may touch the outer ring at a point', () => {
    const set = parseAnnotations(
      collection(
        feature({ type: 'Polygon', coordinates: [[[0, 0], [10, 0], [10, 10], [0, 10]]] }),
        feature({ type: 'Polygon', coordinates: [[[20, 0], [20, 0], [30, 0], [30, 0], [30, 10], [20, 10], [20, 0], [20, 0]]] }),
        feature({ type: 'Polygon', coordinates: [[[40, 0], [50, 0], [50, 10], [40, 10], [40, 0]], [[40, 5], [45, 2], [45, 8], [40, 5]]] }),
      ),
      'repair.geojson',
    );
    expect(set.shapes[0].polygons[0][0]).toEqual([[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]);
    expect(set.shapes[1].polygons[0][0]).toEqual([[20, 0], [30, 0], [30, 10], [20, 10], [20, 0]]);
    // the hole touching at (40, 5) is kept and cut out: 100 − 15
    expect(coverage(set.shapes.slice(2), { x: 40, y: 0, w: 10, h: 10 })).toBeCloseTo(0.85, 12);
  });

  it('a detection export of many cells parses; a crossing deep in a big ring is found', () => {
    const cells = [];
    for (let i = 0; i < 20_000; i++) {
      const cx = (i % 200) * 20, cy = Math.floor(i / 200) * 20;
      const ring = Array.from({ length: 24 }, (_, k) => [cx + 8 * Math.cos((2 * Math.PI * k) / 24), cy + 8 * Math.sin((2 * Math.PI * k) / 24)]);
      ring.push(ring[0]);
      cells.push(feature({ type: 'Polygon', coordinates: [ring] }));
    }
    expect(parseAnnotations(collection(...cells), 'cells.geojson').shapes).toHaveLength(20_000);

    // a 10⁵-vertex wavy ring with one vertex pulled out across its far side
    const n = 100_000;
    const big = Array.from({ length: n }, (_, k) => {
      const t = (2 * Math.PI * k) / n;
      const r = 50_000 + 2_000 * Math.sin(40 * t);
      return [r * Math.cos(t), r * Math.sin(t)];
    });
    expect(parseAnnotations(collection(feature({ type: 'Polygon', coordinates: [[...big, big[0]]] })), 'big.geojson').shapes).toHaveLength(1);
    big[n / 2] = [60_000, 0];
    const e = refusal(collection(feature({ type: 'Polygon', coordinates: [[...big, big[0]]] })), 'big.geojson');
    expect(e.message).toMatch(/^feature 0: ring 0 \(outer\) crosses itself at/);
  }, 120_000);
});

const asap = (coords: string, name = 'A') =>
  `<?xml version="1.0"?>\n<ASAP_Annotations>\n<Annotations>\n<Annotation Name="ok" Type="Polygon" PartOfGroup="g"><Coordinates><Coordinate Order="0" X="0" Y="0"/><Coordinate Order="1" X="10" Y="0"/><Coordinate Order="2" X="10" Y="10"/></Coordinates></Annotation>\n<Annotation Name="${name}" Type="Polygon" PartOfGroup="g">\n<Coordinates>\n${coords}\n</Coordinates></Annotation>\n</Annotations>\n</ASAP_Annotations>`;
const asapPts = (pts: (number | string)[][]) => pts.map(([x, y], k) => `<Coordinate Order="${k}" X="${x}" Y="${y}"/>`).join('\n');

describe('ASAP XML: invalid geometry names the annotation, its line and the reason', () => {
  it.each([
    ['2 vertices', asapPts([[0, 0], [5, 5]]), 'geometry', /^annotation 1 "A" \(line 5\): its polygon has 2 distinct vertices; a polygon needs at least 3/],
    ['3 vertices, 2 distinct', asapPts([[0, 0], [5, 5], [5, 5]]), 'geometry', /^annotation 1 "A" \(line 5\): its polygon has 2 distinct vertices/],
    ['bow-tie', asapPts([[0, 0], [4, 4], [4, 0], [0, 4]]), 'geometry', /^annotation 1 "A" \(line 5\): its polygon crosses itself at \(2, 2\)/],
    ['collinear', asapPts([[0, 0], [4, 0], [2, 0]]), 'geometry', /^annotation 1 "A" \(line 5\): its polygon turns back on itself/],
    ['NaN', asapPts([[0, 0], ['NaN', 0], [1, 1]]), 'schema', /^annotation 1 "A", line 8: coordinate <Coordinate> attribute X: expected a number \(got "NaN"\)/],
    ['Infinity', asapPts([[0, 0], [1, 0], [1, 'Infinity']]), 'schema', /^annotation 1 "A", line 9: coordinate <Coordinate> attribute Y: expected a number \(got "Infinity"\)/],
    ['1e999', asapPts([[0, 0], ['1e999', 0], [1, 1]]), 'schema', /^annotation 1 "A", line 8: coordinate <Coordinate> attribute X: not a finite number \(got "1e999"\)/],
    ['empty number', asapPts([[0, 0], ['', 0], [1, 1]]), 'schema', /^annotation 1 "A", line 8: coordinate <Coordinate> attribute X: expected a number \(got ""\)/],
  ])('%s', (_, coords, code, re) => {
    const e = refusal(asap(coords), 'bad.xml');
    expect(e.code).toBe(code);
    expect(e.message).toMatch(re);
  });

  it('vertices out of Order are sorted before the check (a bow-tie in file order is a square)', () => {
    const set = parseAnnotations(asap('<Coordinate Order="0" X="0" Y="0"/><Coordinate Order="1" X="4" Y="0"/><Coordinate Order="3" X="0" Y="4"/><Coordinate Order="2" X="4" Y="4"/>'), 'ok.xml');
    expect(coverage(set.shapes.slice(1), { x: 0, y: 0, w: 4, h: 4 })).toBe(1);
  });

  it('an area annotation without coordinates is counted, not refused', () => {
    const set = parseAnnotations(asap(''), 'ok.xml');
    expect(set.shapes).toHaveLength(1);
    expect(set.ignored.other).toBe(1);
  });
});

const scope = (regions: string) =>
  `<Annotations>\n<Annotation Id="1" Name="Tumor" LineColor="255">\n<Regions>\n${regions}\n</Regions>\n</Annotation>\n</Annotations>`;
const region = (id: number, type: number, pts: (number | string)[][]) =>
  `<Region Id="${id}" Type="${type}" Text="r${id}">\n<Vertices>\n${pts.map(([x, y]) => `<Vertex X="${x}" Y="${y}"/>`).join('\n')}\n</Vertices>\n</Region>`;
const okRegion = region(1, 0, [[0, 0], [10, 0], [10, 10]]);

describe('ImageScope XML: invalid geometry names the layer, the region, its line and the reason', () => {
  it.each([
    ['outline of 2 vertices', region(2, 0, [[0, 0], [5, 5]]), 'geometry', /^layer 0 "Tumor", region Id 2 "r2" \(line 11\): its outline has 2 distinct vertices; a polygon needs at least 3/],
    ['outline of 1 vertex', region(2, 0, [[5, 5]]), 'geometry', /^layer 0 "Tumor", region Id 2 "r2" \(line 11\): its outline has 1 distinct vertex/],
    ['bow-tie', region(2, 0, [[0, 0], [4, 4], [4, 0], [0, 4]]), 'geometry', /^layer 0 "Tumor", region Id 2 "r2" \(line 11\): its outline crosses itself at \(2, 2\)/],
    ['rectangle of 1 vertex', region(2, 1, [[5, 5]]), 'geometry', /^layer 0 "Tumor", region Id 2 "r2" \(line 11\): a rectangle needs 2 corners of its box, it has 1 vertex/],
    ['flat rectangle', region(2, 1, [[0, 5], [10, 5]]), 'geometry', /^layer 0 "Tumor", region Id 2 "r2" \(line 11\): its rectangle has 2 distinct vertices/],
    ['flat ellipse', region(2, 2, [[0, 5], [10, 5]]), 'geometry', /^layer 0 "Tumor", region Id 2 "r2" \(line 11\): the ellipse's box is 10 × 0: it has no area/],
    ['NaN', region(2, 0, [[0, 0], ['NaN', 0], [1, 1]]), 'schema', /^layer 0 "Tumor", region Id 2 "r2", line 14: vertex <Vertex> attribute X: expected a number \(got "NaN"\)/],
    ['Infinity', region(2, 0, [[0, 0], [1, '-Infinity'], [1, 1]]), 'schema', /^layer 0 "Tumor", region Id 2 "r2", line 14: vertex <Vertex> attribute Y: expected a number \(got "-Infinity"\)/],
    ['1e999', region(2, 0, [[0, 0], [1, '1e999'], [1, 1]]), 'schema', /^layer 0 "Tumor", region Id 2 "r2", line 14: vertex <Vertex> attribute Y: not a finite number/],
  ])('%s', (_, bad, code, re) => {
    const e = refusal(scope(`${okRegion}\n${bad}`), 'bad.xml');
    expect(e.code).toBe(code);
    expect(e.message).toMatch(re);
  });

  it('a region without vertices is counted, not refused', () => {
    const set = parseAnnotations(scope(`${okRegion}\n<Region Id="2" Type="0"><Vertices/></Region>`), 'ok.xml');
    expect(set.shapes).toHaveLength(1);
    expect(set.ignored.other).toBe(1);
  });
});
