// `slidetile extract` end to end on a real slide (its reads in engine worker threads): the zip's layout, that the saved tiles
// are exactly the seed loop's (recomputed with the core from the tiles' own pixels), and that a
// saved tile's pixels are native OpenSlide's ratiopath read_tile.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { candidateIndices, makePlan, rgbStd, tileFileName, type PlanParamsInput } from '../core/index.ts';
import { deidentifyProperties, identifyingValues } from '../core/deid.ts';
import { NodeSlide } from '../engine/node.ts';
import { oracleRegions } from '../engine/testing/oracle.ts';
import { SHARED_SLIDES } from '../engine/testing/slides.ts';
import { levelPx } from '../engine/types.ts';
import { main } from './main.ts';

const CMU = path.join(SHARED_SLIDES, 'real/aperio/CMU-1-Small-Region.svs');
const out = mkdtempSync(path.join(tmpdir(), 'slidetile-extract-'));

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

function rgbOf(png: Buffer): { width: number; height: number; rgb: Uint8Array } {
  const img = PNG.sync.read(png, { skipRescale: true });
  const rgb = new Uint8Array(img.width * img.height * 3);
  for (let i = 0; i < img.width * img.height; i++) img.data.copy(rgb, i * 3, i * 4, i * 4 + 3);
  return { width: img.width, height: img.height, rgb };
}

function parseCsv(text: string): Record<string, string>[] {
  const [head, ...rows] = text.trim().split('\n');
  const cols = head.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [cols[i], v])));
}

/** The seed's loop with the core: candidates in grid order, skip std <= threshold, stop at the limit. */
async function seedLoop(params: PlanParamsInput, threshold: number, limit: number): Promise<number[]> {
  const slide = await NodeSlide.open(CMU);
  try {
    const plan = makePlan(slide.info, params);
    const saved: number[] = [];
    for (const i of candidateIndices(plan)) {
      const o = plan.grid.origins;
      const t = await slide.readTile(levelPx(o[2 * i]), levelPx(o[2 * i + 1]), plan.level, levelPx(plan.tile[0]), levelPx(plan.tile[1]), 255);
      if (rgbStd(t.data) <= threshold) continue;
      saved.push(i);
      if (saved.length === limit) break;
    }
    return saved;
  } finally {
    await slide.close();
  }
}

describe('slidetile extract', () => {
  const params: PlanParamsInput = { resolution: { mode: 'mpp', mpp: 0.5 }, tile: [256, 256], stride: [256, 256], last: 'shift', stdThreshold: 40, limit: 12 };

  it.each([
    ['with 1 worker thread', []],
    ['with 2 worker threads', ['--workers', '2']],
  ])('makes the app’s zip with exactly the seed loop’s tiles (%s)', async (_name, extra) => {
    const zipFile = path.join(out, `cmu-${extra.length}.zip`);
    const r = await run(
      'extract', CMU, '--mpp', '0.5', '--tile', '256,256', '--stride', '256,256', '--last', 'shift',
      '--std-threshold', '40', '--limit', '12', ...extra, '--out', zipFile,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toMatch(/saved 12 tiles \(limit 12 reached\)/);

    const zip = await JSZip.loadAsync(readFileSync(zipFile));
    const names = Object.keys(zip.files).filter((n) => !zip.files[n].dir);
    for (const f of ['tiles.csv', 'slide.json', 'plan.png', 'ratiopath_recipe.py']) expect(names).toContain(f);
    const tiles = names.filter((n) => n.startsWith('tiles/')).sort();
    expect(tiles.length).toBeLessThanOrEqual(12);

    const csv = parseCsv(await zip.file('tiles.csv')!.async('string'));
    const accepted = csv.filter((row) => row.accepted === '1');
    expect(accepted.map((row) => row.file).sort()).toEqual(tiles);
    expect(accepted).toHaveLength(tiles.length);

    // the same indices the seed's loop saves, computed with the core and a fresh read of every candidate
    const expected = await seedLoop(params, 40, 12);
    expect(expected).toHaveLength(12);
    const slide = await NodeSlide.open(CMU);
    const plan = makePlan(slide.info, params);
    await slide.close();
    expect(tiles).toEqual(expected.map((i) => `tiles/${tileFileName(i, plan, 'CMU-1-Small-Region.svs')}`).sort());

    // each tile is 256² and above the threshold by its own pixels (not by the CLI's tiles.csv)
    const first = rgbOf(await zip.file(tiles[0])!.async('nodebuffer'));
    for (const t of tiles) {
      const img = PNG.sync.read(await zip.file(t)!.async('nodebuffer'));
      expect([img.width, img.height]).toEqual([256, 256]);
    }
    const i0 = expected[0];
    expect(tiles[0]).toBe(`tiles/tile_${String(i0).padStart(5, '0')}.png`);
    const std0 = rgbStd(first.rgb);
    expect(std0).toBeGreaterThan(40);
    expect(Number(csv[i0].std)).toBeCloseTo(std0, 3);

    // pixels equal native OpenSlide's ratiopath read_tile
    const o = plan.grid.origins;
    const { results, rawDir } = oracleRegions(CMU, [{ kind: 'tile', x: o[2 * i0], y: o[2 * i0 + 1], level: plan.level, w: 256, h: 256, background: 255 }]);
    expect(results[0].sha256).toBeTruthy();
    expect(Buffer.compare(Buffer.from(first.rgb), readFileSync(path.join(rawDir, '0.bin')))).toBe(0);

    const json = JSON.parse(await zip.file('slide.json')!.async('string'));
    expect(json.plan).toMatchObject({ level: plan.level, tile_extent: [256, 256], last: 'shift' });
    expect(json.run).toMatchObject({ saved: 12, failed: 0, cancelled: false });
    expect(await zip.file('ratiopath_recipe.py')!.async('string')).toMatch(/grid_tiles/);

    // de-identified by default: no entry of the zip holds a removed value (the slide's own file name
    // aside, which names the slide: "CMU-1" is in "CMU-1-Small-Region")
    const d = deidentifyProperties(slide.info.properties);
    const removed = identifyingValues(d).filter((v) => !path.basename(CMU).includes(v));
    expect(removed).toEqual(expect.arrayContaining(['12/29/09', '09:59:15', 'CPAPERIOCS', 'b414003d-95c6-48b0-9369-8010ed517ba7']));
    const zipBytes = readFileSync(zipFile);
    for (const v of removed) expect(zipBytes.includes(Buffer.from(v)), v).toBe(false);
    expect(json.deidentified.removed.map((r: { property: string }) => r.property)).toEqual(expect.arrayContaining(['aperio.Date', 'aperio.User', 'aperio.ScanScope ID']));
  }, 60_000);

  it('keeps the identifying properties only when asked (--keep-identifiers)', async () => {
    const zipFile = path.join(out, 'cmu-identified.zip');
    const r = await run('extract', CMU, '--limit', '1', '--keep-identifiers', '--out', zipFile);
    expect(r.code).toBe(0);
    const json = JSON.parse(await (await JSZip.loadAsync(readFileSync(zipFile))).file('slide.json')!.async('string'));
    expect(json.properties['aperio.Date']).toBe('12/29/09');
    expect(json.deidentified.removed).toEqual([]);
    // which engine build read the pixels: the wasm's own hash, from its manifest
    const manifest = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../wasm/dist/manifest.json'), 'utf8'));
    expect(json.engine).toEqual({ engine: manifest.engine, wasmSha256: manifest.files['slidetile-engine.wasm'].sha256, inputsHash: manifest.inputsHash });
  }, 60_000);

  it('writes a folder with QuPath names and JPEG tiles', async () => {
    const dir = path.join(out, 'folder');
    const r = await run('extract', CMU, '--level', '0', '--tile', '512,512', '--limit', '3', '--format', 'jpeg', '--quality', '0.8', '--naming', 'qupath', '--out', dir);
    expect(r.code).toBe(0);
    const files = readdirSync(path.join(dir, 'tiles'));
    expect(files).toHaveLength(3);
    for (const f of files) expect(f).toMatch(/^CMU-1-Small-Region \[d=1,x=\d+,y=\d+,w=512,h=512\]\.jpg$/);
    const jpg = readFileSync(path.join(dir, 'tiles', files[0]));
    expect([jpg[0], jpg[1], jpg.at(-2), jpg.at(-1)]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
    for (const f of ['tiles.csv', 'slide.json', 'plan.png', 'ratiopath_recipe.py']) expect(existsSync(path.join(dir, f))).toBe(true);
  }, 60_000);

  it('applies an annotation coverage filter and ships the annotations', async () => {
    const geo = path.join(out, 'a.geojson');
    // the left half of the slide, class Tumor
    const ring = [[0, 0], [1110, 0], [1110, 2967], [0, 2967], [0, 0]];
    writeFileSync(geo, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Polygon', coordinates: [ring] }, properties: { objectType: 'annotation', classification: { name: 'Tumor' } } }] }));
    const zipFile = path.join(out, 'annot.zip');
    const r = await run('extract', CMU, '--level', '0', '--tile', '256,256', '--annotations', geo, '--coverage', '0.5', '--classes', 'Tumor', '--std-threshold', 'none', '--limit', 'none', '--out', zipFile);
    expect(r.code).toBe(0);
    const zip = await JSZip.loadAsync(readFileSync(zipFile));
    expect(zip.file('annotations.geojson')).not.toBeNull();
    const csv = parseCsv(await zip.file('tiles.csv')!.async('string'));
    const saved = csv.filter((row) => row.accepted === '1');
    expect(saved.length).toBeGreaterThan(0);
    for (const row of saved) expect(Number(row.x0) + 256 * 0.5).toBeLessThanOrEqual(1110 + 1e-9);
    expect(csv.filter((row) => row.reason === 'coverage').length).toBeGreaterThan(0);
    // slide.json names the annotation file and its hash
    const json = JSON.parse(await zip.file('slide.json')!.async('string'));
    expect(json.annotationFile).toEqual({ name: 'a.geojson', sha256: createHash('sha256').update(readFileSync(geo)).digest('hex') });
  }, 60_000);

  it.each([
    ['an unsupported file exits 2', [path.join(SHARED_SLIDES, 'bad/broken.svs'), '--out', path.join(out, 'bad.zip')], 2, /broken\.svs: Unsupported or missing image file/],
    ['a bad option exits 1', [CMU, '--last', 'wrap', '--out', path.join(out, 'x.zip')], 1, /--last must be drop, keep or shift/],
    ['a missing --out exits 1', [CMU], 1, /--out OUT\.zip\|DIR is required/],
    ['a slide without µm/px and no --slide-mpp exits 1', [path.join(SHARED_SLIDES, 'real/aperio/tcga-cr-7395-01a-01-ts1.svs'), '--out', path.join(out, 'y.zip')], 1, /--slide-mpp/],
  ])('%s', async (_name, argv, code, message) => {
    const r = await run('extract', ...argv);
    expect(r.code).toBe(code);
    expect(r.stderr.split('\n')[0]).toMatch(message);
    if (code === 2) expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

