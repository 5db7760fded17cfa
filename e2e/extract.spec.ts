// Clicking boxes, extracting with a limit, and the zip checked entry by entry against the plan and
// against native OpenSlide's pixels (ratiopath read_tile semantics).
import { createHash } from 'node:crypto';
import path from 'node:path';
import { PNG } from 'pngjs';
import type { Page } from '@playwright/test';
import { BAD, CMU, counts, expect, openApp, openWithPicker, oracleTile, parseCsv, readZip, setNumber, shot, test, waitForSlide, waitForStd } from './helpers.ts';

/** Screen position of the centre of a level-0 rectangle, from the viewer's read-only view attribute. */
async function screenOf(page: Page, x0: number, y0: number) {
  const v = page.getByTestId('viewer');
  const [scale, ox, oy] = (await v.getAttribute('data-view'))!.split(',').map(Number);
  const box = (await v.boundingBox())!;
  return { x: box.x + ox + x0 * scale, y: box.y + oy + y0 * scale };
}

/** Hovers tiles of a 512-px grid in order until the tooltip says "accepted"; returns its index. */
async function findAccepted(page: Page, columns: number, origins: (i: number) => [number, number], n: number) {
  for (let i = 0; i < n; i++) {
    const [x, y] = origins(i);
    const p = await screenOf(page, x + 256, y + 256);
    await page.mouse.move(p.x, p.y);
    const tip = page.getByTestId('tooltip');
    await expect(tip).toContainText(`tile ${i} `);
    if ((await tip.textContent())!.includes('accepted')) return { index: i, at: p };
  }
  throw new Error(`no accepted tile among ${n} (${columns} columns)`);
}

/**
 * Starts the extraction; the zip streams to a download from the first tile (the default path, once
 * the service worker controls the page). Returns a function that saves it once the export is done.
 */
async function startExtract(page: Page, info: import('@playwright/test').TestInfo) {
  const downloading = page.waitForEvent('download', { timeout: 60_000 });
  await page.getByTestId('extract-start').click();
  const dl = await downloading;
  return async () => {
    await expect(page.getByTestId('extract-done')).toBeVisible({ timeout: 120_000 });
    const file = info.outputPath(dl.suggestedFilename());
    await dl.saveAs(file);
    return { file, name: dl.suggestedFilename() };
  };
}

/** The app, with its service worker controlling the page (what makes the streamed download). */
async function openControlled(page: Page) {
  await openApp(page);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
}

function rgbOfPng(bytes: Buffer) {
  const png = PNG.sync.read(bytes);
  const rgb = Buffer.alloc(png.width * png.height * 3);
  for (let p = 0, q = 0; p < png.data.length; p += 4, q += 3) {
    rgb[q] = png.data[p];
    rgb[q + 1] = png.data[p + 1];
    rgb[q + 2] = png.data[p + 2];
  }
  return { width: png.width, height: png.height, rgb };
}

test('click a box, extract with a limit, and check the zip against the plan and native OpenSlide', async ({ page }, info) => {
  await openControlled(page);
  await openWithPicker(page, CMU);
  await waitForSlide(page, 'CMU-1-Small-Region.svs');
  await setNumber(page, 'limit', 6);
  await waitForStd(page);
  await expect(page.getByTestId('export-path')).toHaveAttribute('data-path', 'zip-stream');
  // CMU 2220 × 2967, 512 tiles, shift: 5 columns, x origins 0,512,1024,1536,1708
  const xs = [0, 512, 1024, 1536, 1708];
  const ys = [0, 512, 1024, 1536, 2048, 2455];
  const origin = (i: number): [number, number] => [xs[i % 5], ys[Math.floor(i / 5)]];
  const { index: clicked, at } = await findAccepted(page, 5, origin, 30);
  const before = await counts(page);
  await page.mouse.click(at.x, at.y);
  await expect(page.getByTestId('count-manual')).toHaveAttribute('data-n', '1');
  await expect(page.getByTestId('inspector')).toHaveAttribute('data-index', String(clicked));
  const after = await counts(page);
  expect(after.total).toBe(before.total);
  await shot(page, info, 'tile-toggled');

  const save = await startExtract(page, info);
  const done = page.getByTestId('extract-done');
  await expect(done).toBeVisible({ timeout: 60_000 });
  const saved = Number(await done.getAttribute('data-saved'));
  expect(saved).toBe(6);
  await expect(page.getByTestId('gallery')).toHaveAttribute('data-n', '6');
  await shot(page, info, 'extracted');
  const { file, name } = await save();
  // named for what it holds (issue 9): the seed's settings and the 6 tiles the limit lets through
  expect(name).toBe('CMU-1-Small-Region_0.5mpp_512px_shift_std8_6tiles.zip');

  const zip = await readZip(file);
  const names = Object.keys(zip.files).filter((n) => !zip.files[n].dir);
  for (const want of ['tiles.csv', 'slide.json', 'plan.png', 'ratiopath_recipe.py']) expect(names).toContain(want);
  const tiles = names.filter((n) => n.startsWith('tiles/'));
  expect(tiles).toHaveLength(6);

  const rows = parseCsv(await zip.file('tiles.csv')!.async('string'));
  expect(rows).toHaveLength(30);
  const withFile = rows.filter((r) => r.file);
  expect(withFile.map((r) => `tiles/${r.file.replace(/^tiles\//, '')}`).sort()).toEqual([...tiles].sort());
  const clickedRow = rows.find((r) => Number(r.index) === clicked)!;
  expect(clickedRow.reason).toBe('manual');
  expect(clickedRow.file).toBe('');

  // every saved tile: 512 × 512, and the first one's pixels equal native OpenSlide's read_tile
  for (const t of tiles) {
    const png = PNG.sync.read(Buffer.from(await zip.file(t)!.async('uint8array')));
    expect([png.width, png.height]).toEqual([512, 512]);
  }
  const first = withFile[0];
  const { rgb, width, height } = rgbOfPng(Buffer.from(await zip.file(`tiles/${first.file.replace(/^tiles\//, '')}`)!.async('uint8array')));
  const oracle = oracleTile(CMU, { x: Number(first.x), y: Number(first.y), level: Number(first.level), w: 512, h: 512 });
  expect([width, height]).toEqual([oracle.width, oracle.height]);
  expect(createHash('sha256').update(rgb).digest('hex')).toBe(oracle.sha256);

  const slideJson = JSON.parse(await zip.file('slide.json')!.async('string'));
  expect(JSON.stringify(slideJson)).toContain('CMU-1-Small-Region.svs');
  const recipe = await zip.file('ratiopath_recipe.py')!.async('string');
  expect(recipe).toContain('grid_tiles');
  const plan = PNG.sync.read(Buffer.from(await zip.file('plan.png')!.async('uint8array')));
  expect(plan.width).toBeGreaterThan(100);
});

test('tiles that fail to read are counted and listed in tiles.csv, never dropped', async ({ page }, info) => {
  const slide = path.join(BAD, 'derived/zeroed-tiles-CMU-1-Small-Region.svs');
  await openControlled(page);
  await openWithPicker(page, slide);
  await waitForSlide(page, 'zeroed-tiles-CMU-1-Small-Region.svs');
  await expect(page.getByTestId('count-read-failed')).toBeVisible({ timeout: 60_000 });
  await waitForStd(page);
  const save = await startExtract(page, info);
  await expect(page.getByTestId('extract-done')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('failed-total')).toContainText(/^[1-9]/);
  await shot(page, info, 'read-failures');
  const { file } = await save();
  const zip = await readZip(file);
  const rows = parseCsv(await zip.file('tiles.csv')!.async('string'));
  const failed = rows.filter((r) => r.reason === 'read-failed');
  const n = Number(await page.getByTestId('count-read-failed').getAttribute('data-n'));
  expect(failed.length).toBe(n);
  expect(n).toBeGreaterThan(0);
  expect(rows.length).toBe(30);
});

test('cancel leaves a valid zip of what was saved; unread tiles are not-reached in tiles.csv', async ({ page }, info) => {
  await openControlled(page);
  await openWithPicker(page, CMU);
  await waitForSlide(page, 'CMU-1-Small-Region.svs');
  await page.getByTestId('std-on').uncheck();
  await page.getByTestId('limit-on').uncheck();
  await setNumber(page, 'tile-w', 64);
  await setNumber(page, 'tile-h', 64);
  await page.getByRole('button', { name: 'stride = tile (no overlap)' }).click();
  const save = await startExtract(page, info);
  await expect(page.getByTestId('progress')).toBeVisible();
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=gallery]')?.getAttribute('data-n') ?? '0') >= 3);
  await page.keyboard.press('Escape');
  const done = page.getByTestId('extract-done');
  await expect(done).toHaveAttribute('data-cancelled', 'true');
  const saved = Number(await done.getAttribute('data-saved'));
  const total = (await counts(page)).total;
  expect(saved).toBeGreaterThan(0);
  expect(saved).toBeLessThan(total);
  const { file } = await save();
  const zip = await readZip(file);
  const tiles = Object.keys(zip.files).filter((n) => n.startsWith('tiles/') && !zip.files[n].dir);
  expect(tiles).toHaveLength(saved);
  // every planned tile has its row: the saved ones with their file, the rest never read marked
  // not-reached — none blamed on a limit this export did not have
  const rows = parseCsv(await zip.file('tiles.csv')!.async('string'));
  expect(rows).toHaveLength(total);
  expect(rows.filter((r) => r.file).map((r) => `tiles/${r.file.replace(/^tiles\//, "")}`).sort()).toEqual([...tiles].sort());
  expect(rows.filter((r) => r.reason === 'limit')).toHaveLength(0);
  expect(rows.filter((r) => r.reason === 'not-reached').length).toBeGreaterThan(0);
  expect(rows.filter((r) => r.accepted === '1').length).toBe(saved);
});

test('an export of several GB streams to a download and says so', async ({ page }) => {
  await openControlled(page);
  await openWithPicker(page, CMU);
  await waitForSlide(page, 'CMU-1-Small-Region.svs');
  await page.getByTestId('std-on').uncheck();
  await page.getByTestId('limit-on').uncheck();
  // 512-px tiles every 16 px: ~16,000 overlapping PNG tiles, several GB
  await setNumber(page, 'stride-x', 16);
  await setNumber(page, 'stride-y', 16);
  const note = page.getByTestId('export-path');
  await expect(note).toHaveAttribute('data-path', 'zip-stream');
  expect(Number(await note.getAttribute('data-estimate'))).toBeGreaterThan(1024 ** 3);
  await expect(note).toContainText('memory stays small');
});
