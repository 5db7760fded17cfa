// Labels by class through `slidetile extract --label`: on annotations with overlapping classes, holes
// and tiles that overlap each other, every row of tiles.csv carries the label and per-class coverage
// that the export's own ratiopath_recipe.py computes with shapely (run in the Debian sid root), and
// --by-class files each saved tile under tiles/<its label>/.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { sidRootScript } from '../../engine/testing/oracle41.ts';
import { SHARED_SLIDES } from '../../engine/testing/slides.ts';

const CMU = path.join(SHARED_SLIDES, 'real/aperio/CMU-1-Small-Region.svs');
const work = mkdtempSync(path.join(tmpdir(), 'slidetile-labels-'));

const square = (x: number, y: number, s: number) => [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]];
// Tumor: a square with a hole, and a second square overlapping it; Stroma: a band across both;
// Immune: a square half over the band's lower edge (tiles, and centres, in two classes at once)
const ANNOTATIONS = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', geometry: { type: 'Polygon', coordinates: [square(100, 100, 900), square(400, 400, 300)] }, properties: { classification: { name: 'Tumor' } } },
    { type: 'Feature', geometry: { type: 'Polygon', coordinates: [square(800, 700, 700)] }, properties: { classification: { name: 'Tumor' } } },
    { type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[0, 1200], [2220, 1100], [2220, 1900], [0, 2000], [0, 1200]]] }, properties: { classification: { name: 'Stroma' } } },
    { type: 'Feature', geometry: { type: 'Polygon', coordinates: [square(1000, 1750, 450)] }, properties: { classification: { name: 'Immune cells' } } },
    { type: 'Feature', geometry: { type: 'Polygon', coordinates: [square(1800, 2500, 200)] }, properties: {} },
  ],
};

function parseCsv(text: string): Record<string, string>[] {
  const [head, ...rows] = text.trim().split('\n');
  const cols = head.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [cols[i], v])));
}

describe.each(['largest', 'centre'] as const)('labels by class, rule %s', (rule) => {
  it("every tile's label and class coverage equal the recipe's shapely computation", async () => {
    const dir = path.join(work, rule);
    mkdirSync(dir, { recursive: true });
    const geojson = path.join(dir, 'classes.geojson');
    writeFileSync(geojson, JSON.stringify(ANNOTATIONS));
    const out = path.join(dir, 'export.zip');
    let stderr = '';
    const args = ['extract', CMU, '--tile', '256', '--stride', '200', '--last', 'keep', '--std-threshold', 'none', '--limit', 'none', '--annotations', geojson, '--label', rule, '--by-class', '--out', out];
    expect(await main(args, { stdout: () => {}, stderr: (s) => (stderr += s) }), stderr).toBe(0);
    const zip = await JSZip.loadAsync(readFileSync(out));
    const rows = parseCsv(await zip.file('tiles.csv')!.async('string'));
    const classes = ['Immune cells', 'Stroma', 'Tumor'];
    expect(Object.keys(rows[0]).slice(-4)).toEqual(['label', ...classes.map((c) => `coverage_${c}`)]);

    // the recipe's own label code, on every planned tile
    for (const f of ['ratiopath_recipe.py', 'annotations.geojson']) writeFileSync(path.join(dir, f), await zip.file(f)!.async('uint8array'));
    const tiles = path.join(dir, 'tiles.json');
    writeFileSync(tiles, JSON.stringify({ downsample: Number(rows[0].downsample), coords: rows.map((r) => [Number(r.x), Number(r.y)]) }));
    const py = JSON.parse(sidRootScript('recipe_labels.py', [path.join(dir, 'ratiopath_recipe.py'), path.join(dir, 'annotations.geojson'), tiles], tiles)) as {
      labels: (string | null)[];
      coverage: Record<string, number[]>;
    };
    expect(Object.keys(py.coverage).sort()).toEqual(classes);
    const labels = rows.map((r) => r.label || null);
    expect(labels).toEqual(py.labels);
    for (const c of classes) {
      const ours = rows.map((r) => Number(r[`coverage_${c}`]));
      // tiles.csv prints float32 with 7 digits; shapely's areas are float64
      ours.forEach((v, i) => expect(Math.abs(v - py.coverage[c][i]), `tile ${i} ${c}`).toBeLessThan(1e-6));
    }
    // a real mix: labelled and unlabelled tiles, each class somewhere
    for (const c of classes) expect(labels).toContain(c);
    expect(labels).toContain(null);

    // --by-class: each saved tile is under its label's folder
    for (const r of rows) {
      if (r.file === '') continue;
      expect(r.file.startsWith(`tiles/${r.label || 'unlabelled'}/`), r.file).toBe(true);
      expect(zip.file(r.file), r.file).not.toBeNull();
    }
    const slideJson = JSON.parse(await zip.file('slide.json')!.async('string'));
    expect(slideJson.labels).toEqual({ rule, classes });
  }, 180_000);
});
