// Issue 9, items 2 and 3: one click to the file, and plan.png as the seed's figure.
//  - the zip's name says what it holds; a zip built in memory goes to the downloads on its own
//  - the size shown before the export is measured on the plan's own tiles and lands within ±25 % of
//    the real zip (PNG on the demo slide, streamed; JPEG on a fluorescence NDPI, in memory)
//  - plan.png: present, ~2,000 px, indexed RGB of a few hundred KB, its boxes where tiles.csv puts
//    them, also when the slide has no level small enough for the preview's overview
// Real engine, real slides, Debian's chromium; nothing mocked.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import type { Download, Page, TestInfo } from '@playwright/test';
import { BOX, BOX_STYLES, MARGIN, OVERVIEW_MAX, boxRect, planLayout } from '../src/export/planImage.ts';
import { CMU, REAL, expect, openApp, openWithPicker, parseCsv, readZip, setNumber, shot, test, waitForSlide, waitForStd } from './helpers.ts';

const TRITC = path.join(REAL, 'hamamatsu-ndpi/test3-TRITC 2 (560).ndpi');

/** The app with its service worker controlling the page (what makes the streamed download). */
async function openControlled(page: Page) {
  await openApp(page);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
}

/** Waits until the estimate rests on measured tiles and a drawn plan.png; returns it in bytes. */
async function measuredEstimate(page: Page) {
  const el = page.getByTestId('size-estimate');
  await expect(el).toHaveAttribute('data-state', 'measured', { timeout: 60_000 });
  await expect(el).toContainText('encoded to measure');
  return { bytes: Number(await el.getAttribute('data-estimate')), text: (await el.textContent())! };
}

async function saveDownload(dl: Download, info: TestInfo) {
  const file = info.outputPath(dl.suggestedFilename());
  await dl.saveAs(file);
  return file;
}

/** Estimate vs the real zip, recorded in the report; within ±25 %. */
function checkEstimate(info: TestInfo, what: string, estimate: number, file: string) {
  const real = statSync(file).size;
  const err = (estimate - real) / real;
  info.annotations.push({ type: 'estimate', description: `${what}: estimated ${estimate} B, zip ${real} B, ${(err * 100).toFixed(1)} %` });
  console.log(`size estimate, ${what}: ${estimate} vs ${real} bytes (${(err * 100).toFixed(1)} %)`);
  expect(Math.abs(err), `${what}: estimate ${estimate} B vs zip ${real} B`).toBeLessThanOrEqual(0.25);
}

const rgbAt = (png: PNG, x: number, y: number) => {
  const p = (y * png.width + x) * 4;
  return [png.data[p], png.data[p + 1], png.data[p + 2]];
};

/**
 * plan.png against the plan: its size, its encoding, and each saved tile's box drawn in blue exactly
 * where tiles.csv's level-0 rectangle falls; rejected tiles not in blue.
 */
async function checkPlanPng(zipFile: string, slideW: number, slideH: number) {
  const zip = await readZip(zipFile);
  const entry = zip.file('plan.png');
  expect(entry, 'plan.png is in the zip').not.toBeNull();
  const bytes = Buffer.from(await entry!.async('uint8array'));
  // an indexed-colour PNG (type 3: RGB palette, no alpha) of a few hundred KB, not a full-size copy
  expect(bytes[25]).toBe(3);
  expect(bytes.length).toBeGreaterThan(20_000);
  expect(bytes.length).toBeLessThan(1_200_000);
  const png = PNG.sync.read(bytes);
  const L = planLayout(slideW, slideH, 0, 0);
  expect(png.width).toBe(L.width);
  expect(Math.max(png.width, png.height)).toBeLessThanOrEqual(2100);
  expect(png.height).toBeGreaterThanOrEqual(L.overview.y + L.overview.h + MARGIN);
  expect(Math.max(L.overview.w, L.overview.h)).toBe(OVERVIEW_MAX);

  const rows = parseCsv(await zip.file('tiles.csv')!.async('string'));
  const blue = BOX_STYLES[BOX.saved].rgb;
  const saved = rows.filter((r) => r.file);
  expect(saved.length).toBeGreaterThan(0);
  for (const r of saved) {
    const b = boxRect(L, Number(r.x0), Number(r.y0), Number(r.width) * Number(r.downsample), Number(r.height) * Number(r.downsample));
    const mx = (b.x0 + b.x1) >> 1;
    const my = (b.y0 + b.y1) >> 1;
    for (const [x, y] of [
      [b.x0, my],
      [b.x1, my],
      [mx, b.y1],
      [b.x0 + ((b.x1 - b.x0) >> 2), b.y1],
    ])
      expect(rgbAt(png, x, y), `tile ${r.index} box edge at ${x},${y}`).toEqual(blue);
    // inside the box, the slide's picture, not the outline
    expect(rgbAt(png, mx, my), `tile ${r.index} centre`).not.toEqual(blue);
  }
  // a tile the std filter rejected is outlined in the viewer's grey, never in blue
  const grey = BOX_STYLES[BOX.std].rgb;
  for (const r of rows.filter((row) => row.reason === 'std')) {
    const b = boxRect(L, Number(r.x0), Number(r.y0), Number(r.width) * Number(r.downsample), Number(r.height) * Number(r.downsample));
    const probes = [
      [b.x0 + 1, b.y0],
      [b.x0 + 1, b.y1],
      [b.x0, b.y0 + 1],
      [b.x1, b.y0 + 1],
    ].map(([x, y]) => rgbAt(png, x, y));
    expect(
      probes.some((c) => c.join() === grey.join()),
      `std tile ${r.index}: one of its edges in grey`,
    ).toBe(true);
  }
  return { png, bytes: bytes.length, saved: saved.length };
}

test('the demo slide: a measured estimate within 25 %, a zip named for what it holds, plan.png as the seed’s figure', async ({ page }, info) => {
  await openControlled(page);
  await openWithPicker(page, CMU);
  await waitForSlide(page, 'CMU-1-Small-Region.svs');
  await waitForStd(page);
  const est = await measuredEstimate(page);
  expect(est.text).toMatch(/^Size about [\d.]+ MB: \d+ tiles × \d+ KB \(mean of \d+ PNG tiles of this plan, encoded to measure\), plan\.png \d+ KB, tables \d+ KB\.$/);
  const toSave = Number(await page.getByTestId('counts').getAttribute('data-accepted'));
  await shot(page, info, 'first-contact-estimate');

  // streamed from the first tile, so named before any is read: every tile's std is known, so the count is exact
  const downloading = page.waitForEvent('download');
  await page.getByTestId('extract-start').click();
  const dl = await downloading;
  expect(dl.suggestedFilename()).toBe(`CMU-1-Small-Region_0.5mpp_512px_shift_std8_${toSave}tiles.zip`);
  const done = page.getByTestId('extract-done');
  await expect(done).toBeVisible({ timeout: 120_000 });
  expect(Number(await done.getAttribute('data-saved'))).toBe(toSave);
  await expect(page.getByTestId('streamed-download')).toContainText(dl.suggestedFilename());
  const file = await saveDownload(dl, info);
  checkEstimate(info, 'CMU-1-Small-Region, PNG, streamed', est.bytes, file);

  const { png, saved } = await checkPlanPng(file, 2220, 2967);
  expect(saved).toBe(toSave);
  // the right panel shows the saved crops, each framed in blue: the first column of crops' left
  // borders is a blue run of a crop's height (176 px) per row of crops, up to 4 rows of 3
  const L = planLayout(2220, 2967, Math.min(12, saved), 0);
  let blueRun = 0;
  for (let y = 0; y < png.height; y++) if (rgbAt(png, L.crops[0].x, y).join() === BOX_STYLES[BOX.saved].rgb.join()) blueRun++;
  expect(blueRun).toBeGreaterThanOrEqual(4 * 170);
  await info.attach('plan.png (demo slide)', { body: PNG.sync.write(png), contentType: 'image/png' });
});

test.describe('without a service worker: the zip is built in memory', () => {
  test.use({ serviceWorkers: 'block' });

  test('JPEG tiles of a fluorescence NDPI: downloaded on its own when done, estimate within 25 %', async ({ page }, info) => {
    await openApp(page);
    await openWithPicker(page, TRITC);
    await waitForSlide(page, 'test3-TRITC 2 (560).ndpi');
    await page.getByTestId('format').selectOption('jpeg');
    await waitForStd(page);
    const est = await measuredEstimate(page);
    expect(est.text).toContain('JPEG tiles of this plan, encoded to measure');
    await expect(page.getByTestId('export-path')).toHaveAttribute('data-path', 'zip');

    // one click: Extract, and the zip arrives in the downloads without another
    const downloading = page.waitForEvent('download');
    await page.getByTestId('extract-start').click();
    const dl = await downloading;
    const done = page.getByTestId('extract-done');
    await expect(done).toBeVisible();
    const saved = Number(await done.getAttribute('data-saved'));
    expect(dl.suggestedFilename()).toBe(`test3-TRITC 2 (560)_0.5mpp_512px_shift_std8_jpeg90_${saved}tiles.zip`);
    await expect(page.getByTestId('auto-downloaded')).toContainText(dl.suggestedFilename());
    await expect(page.getByTestId('download')).toHaveText('Download again');
    await page.getByTestId('download').scrollIntoViewIfNeeded();
    await shot(page, info, 'first-contact-auto-download');
    const file = await saveDownload(dl, info);
    checkEstimate(info, 'test3-TRITC NDPI, JPEG q90, in memory', est.bytes, file);
    const l1 = [1984, 2432];
    expect(saved).toBeGreaterThan(0);
    await checkPlanPng(file, l1[0] * 2, l1[1] * 2);
  });
});

test('plan.png is written even when no level is small enough for an overview: it renders its own', async ({ page }, info) => {
  // a real single-level tiled TIFF of 4,440 × 5,934 px (26 M pixels: no level ≤ 2,048 px or
  // ≤ 16 M pixels, so the preview never gets an overview), written by vips from the demo slide
  const png = info.outputPath('cmu-x2.png');
  const tif = info.outputPath('single-level.tif');
  execFileSync('/usr/bin/python3', ['-c', `import openslide; s = openslide.OpenSlide(${JSON.stringify(CMU)}); s.read_region((0, 0), 0, s.dimensions).convert('RGB').save(${JSON.stringify(png)})`]);
  execFileSync('vips', ['resize', png, `${tif}[tile,tile-width=256,tile-height=256,compression=jpeg,Q=90]`, '2']);
  await openControlled(page);
  await openWithPicker(page, tif);
  await waitForSlide(page, 'single-level.tif');
  await expect(page.getByTestId('level0-size')).toContainText('4,440 × 5,934');
  await setNumber(page, 'limit', 4);
  await waitForStd(page);
  const downloading = page.waitForEvent('download');
  await page.getByTestId('extract-start').click();
  const dl = await downloading;
  await expect(page.getByTestId('extract-done')).toBeVisible({ timeout: 120_000 });
  const file = await saveDownload(dl, info);
  const { png: fig } = await checkPlanPng(file, 4440, 5934);
  // the overview is the slide's picture (tissue), not the grey stand-in for a missing one
  const L = planLayout(4440, 5934, 0, 0);
  const seen = new Set<string>();
  for (let y = L.overview.y + 5; y < L.overview.y + L.overview.h - 5; y += 37) for (let x = L.overview.x + 5; x < L.overview.x + L.overview.w - 5; x += 41) seen.add(rgbAt(fig, x, y).join());
  expect(seen.size).toBeGreaterThan(50);
  expect(seen.has('228,231,235')).toBe(false);
});
