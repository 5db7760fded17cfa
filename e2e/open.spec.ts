// Opening slides: picker, synthetic drop, the demo button, a MIRAX folder; the plan drawn on them
// matches the core's grid_tiles count, and follows tile size and `last`.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gridTiles, closestLevel } from '../src/core/index.ts';
import { CMU, REAL, SAMPLES, counts, dropFiles, expect, expectTotal, openApp, oracleInfo, openWithPicker, setNumber, shot, test, waitForSlide } from './helpers.ts';

// CMU-1-Small-Region: one level, 2220 × 2967, 0.499 µm/px
const CMU_EXTENT: [number, number] = [2220, 2967];

test('a slide from the picker: facts, preview, and a grid that is the core plan', async ({ page }, info) => {
  await openApp(page);
  await openWithPicker(page, CMU);
  await waitForSlide(page, 'CMU-1-Small-Region.svs');
  await expect(page.getByTestId('vendor')).toHaveText('aperio');
  await expect(page.getByTestId('level0-size')).toContainText('2,220 × 2,967');
  await expect(page.getByRole('img', { name: 'label image' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'macro image' })).toBeVisible();

  const want = gridTiles(CMU_EXTENT, [512, 512], [512, 512], 'shift').count;
  await expectTotal(page, want);
  // the whole slide is in view after opening: every box is drawn
  await expect(page.getByTestId('viewer')).toHaveAttribute('data-drawn', String(want));
  await expect(page.getByTestId('resolved-level')).toContainText('level 0');
  await shot(page, info, 'slide-open');

  // tile size and `last` re-plan at once
  await setNumber(page, 'tile-w', 256);
  await setNumber(page, 'tile-h', 256);
  await page.getByRole('button', { name: 'stride = tile (no overlap)' }).click();
  const shift256 = gridTiles(CMU_EXTENT, [256, 256], [256, 256], 'shift').count;
  await expectTotal(page, shift256);
  await expect(page.getByTestId('viewer')).toHaveAttribute('data-drawn', String(shift256));

  await page.locator('label.last', { hasText: 'drop' }).click();
  const drop256 = gridTiles(CMU_EXTENT, [256, 256], [256, 256], 'drop').count;
  expect(drop256).toBeLessThan(shift256);
  await expectTotal(page, drop256);
  await expect(page.getByTestId('viewer')).toHaveAttribute('data-drawn', String(drop256));
  await shot(page, info, 'plan-256-drop');

  // settings survive a reload
  await page.reload();
  await openWithPicker(page, CMU);
  await waitForSlide(page, 'CMU-1-Small-Region.svs');
  await expectTotal(page, drop256);
});

test('a synthetic drop on the page opens the slide', async ({ page }) => {
  await openApp(page);
  const ndpi = path.join(REAL, 'hamamatsu-ndpi/test3-TRITC 2 (560).ndpi');
  await dropFiles(page, [ndpi]);
  await waitForSlide(page, 'test3-TRITC 2 (560).ndpi');
  await expect(page.getByTestId('vendor')).toHaveText('hamamatsu');
  // the default 0.5 µm/px resolved by the core from what native OpenSlide reports
  const info = oracleInfo(ndpi);
  const level = closestLevel(0.5, info);
  await expect(page.getByTestId('resolved-level')).toContainText(`level ${level}`);
  const l = info.levels[level];
  await expectTotal(page, gridTiles([l.width, l.height], [512, 512], [512, 512], 'shift').count);
});

test('the demo button opens the bundled slide and its tissue annotation', async ({ page }, info) => {
  await openApp(page);
  await page.getByTestId('demo').click();
  await waitForSlide(page, 'CMU-1-Small-Region.svs');
  await expect(page.getByTestId('annotation-summary')).toContainText('1 shape');
  await expect(page.getByTestId('annotation-summary')).toContainText('Tissue');
  // coverage filter on: fewer tiles accepted, some rejected as outside the annotation
  await page.getByTestId('coverage-on').check();
  await expect(page.getByTestId('count-coverage')).toBeVisible();
  const c = await counts(page);
  expect(Number(await page.getByTestId('count-coverage').getAttribute('data-n'))).toBeGreaterThan(0);
  expect(c.total).toBe(30);
  await shot(page, info, 'demo-with-annotation');

  // the tissue filter's channel: grey (brightfield) by default, saturation for fluorescence; the
  // mask is remade from the overview and the plan follows it
  await page.getByTestId('coverage-on').uncheck();
  await page.getByTestId('tissue-on').check();
  const mask = page.getByTestId('tissue-mask');
  await expect(mask).toHaveAttribute('data-channel', 'grey');
  await expect(mask).toContainText(/Otsu on grey at \d+ — \d+% of the slide is tissue/);
  await page.getByTestId('tissue-channel').selectOption('saturation');
  await expect(mask).toHaveAttribute('data-channel', 'saturation');
  await expect(mask).toContainText(/Otsu on saturation at \d+ — \d+% of the slide is tissue/);
  // H&E: both channels find the stained region (neither takes the whole slide nor nothing)
  const share = Number((await mask.textContent())!.match(/(\d+)% of the slide/)![1]);
  expect(share).toBeGreaterThan(10);
  expect(share).toBeLessThan(100);
  // persisted across reloads, like the other settings
  await page.reload();
  await page.getByTestId('demo').click();
  await waitForSlide(page, 'CMU-1-Small-Region.svs');
  await expect(page.getByTestId('tissue-channel')).toHaveValue('saturation');
});

test('a MIRAX slide dropped as a folder (.mrxs + its directory)', async ({ page }, info) => {
  const dir = path.join(SAMPLES, 'mirax-jpeg');
  test.skip(!existsSync(path.join(dir, 'slide.mrxs')), 'run tools/samples/make-all.sh first');
  await openApp(page);
  await page.getByTestId('folder-input').setInputFiles(dir);
  await waitForSlide(page, 'slide.mrxs');
  await expect(page.getByTestId('vendor')).toHaveText('mirax');
  await expect(page.getByTestId('level0-size')).toContainText('1,988 × 1,120');
  await shot(page, info, 'mirax-folder');
});

test('a plan of about 100,000 boxes is drawn in one shape and pans and zooms without stalling', async ({ page }, info) => {
  const ndpi = path.join(REAL, 'hamamatsu-ndpi/test3-TRITC 2 (560).ndpi');
  await openApp(page);
  await openWithPicker(page, ndpi);
  await waitForSlide(page, 'test3-TRITC 2 (560).ndpi');
  await page.getByTestId('std-on').uncheck();
  await page.getByTestId('res-by-level').check();
  await page.getByTestId('level').selectOption('0');
  await setNumber(page, 'tile-w', 14);
  await setNumber(page, 'tile-h', 14);
  await page.getByRole('button', { name: 'stride = tile (no overlap)' }).click();
  const want = gridTiles([3968, 4864], [14, 14], [14, 14], 'shift').count;
  expect(want).toBeGreaterThan(95_000);
  await expectTotal(page, want);
  await expect(page.getByTestId('viewer')).toHaveAttribute('data-drawn', String(want));
  // the canvas holds one Konva layer whatever the number of boxes
  expect(await page.locator('[data-testid=viewer] canvas').count()).toBe(1);
  const box = (await page.getByTestId('viewer').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const t0 = Date.now();
  for (let k = 0; k < 12; k++) {
    await page.mouse.wheel(0, k < 6 ? -240 : 240);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  }
  // the frame time is reported, not asserted (a timed assertion flakes on a busy 2-core machine; the
  // benchmark owns speed): what is asserted is that every zoom step still drew the whole plan
  const perFrame = (Date.now() - t0) / 12;
  info.annotations.push({ type: 'frame-ms', description: perFrame.toFixed(1) });
  console.log(`100k boxes: ${perFrame.toFixed(1)} ms per zoom frame`);
  await expect(page.getByTestId('viewer')).toHaveAttribute('data-drawn', String(want));
  await shot(page, info, 'plan-100k');
});

test('a Hamamatsu VMS slide dropped as several files (index + jpegs)', async ({ page }, info) => {
  const dir = path.join(SAMPLES, 'hamamatsu-vms');
  test.skip(!existsSync(path.join(dir, 'slide.vms')), 'run tools/samples/make-all.sh first');
  await openApp(page);
  const files = readdirSync(dir).filter((f) => !f.startsWith('.')).map((f) => path.join(dir, f));
  await dropFiles(page, files);
  await waitForSlide(page, 'slide.vms');
  await expect(page.getByTestId('vendor')).toHaveText('hamamatsu');
  await expect(page.getByTestId('level0-size')).toContainText('1,536 × 1,152');
  await shot(page, info, 'vms-files');
});

test('a slide that does not record µm/px is planned by level, and by µm/px once it is typed', async ({ page }) => {
  // planned at once (issue 9), the slide's JPEG 2000 tiles are read for their std at each opening:
  // the same steps take about half a minute longer than when it waited for a level
  test.setTimeout(180_000);
  const tcga = path.join(REAL, 'aperio/tcga-cr-7395-01a-01-ts1.svs');
  await openApp(page);
  await openWithPicker(page, tcga);
  await waitForSlide(page, 'tcga-cr-7395-01a-01-ts1.svs');
  // issue 9: no error, a calm note and the grid at level 0 at once (e2e/first-contact-mpp.spec.ts)
  await expect(page.getByTestId('mpp-fallback')).toContainText('does not record its resolution');
  await expectTotal(page, gridTiles([4443, 3567], [512, 512], [512, 512], 'shift').count);
  await page.getByTestId('res-by-level').check();
  await page.getByTestId('level').selectOption('1');
  await expectTotal(page, gridTiles([2221, 1783], [512, 512], [512, 512], 'shift').count);

  // typing the slide's µm/px brings µm/px planning back, with the level the core chooses for it
  await page.locator('input[name=resmode]').first().check();
  await expect(page.getByTestId('mpp-fallback')).toContainText('does not record its resolution');
  await page.getByTestId('mpp-override').fill('0.125');
  const info = oracleInfo(tcga);
  const level = closestLevel(0.5, info, 0.125);
  expect(level).toBeGreaterThan(0);
  const l = info.levels[level];
  await expect(page.getByTestId('resolved-level')).toContainText(`level ${level} · ${(0.125 * l.downsample).toFixed(4)} µm/px (typed)`);
  const want = gridTiles([l.width, l.height], [512, 512], [512, 512], 'shift').count;
  await expectTotal(page, want);

  // remembered for this slide across reloads
  await page.reload();
  await openWithPicker(page, tcga);
  await waitForSlide(page, 'tcga-cr-7395-01a-01-ts1.svs');
  await expect(page.getByTestId('mpp-override')).toHaveValue('0.125');
  await expectTotal(page, want);
  // a slide that records its own resolution shows no such field
  await openWithPicker(page, CMU);
  await waitForSlide(page, 'CMU-1-Small-Region.svs');
  await expect(page.getByTestId('mpp-override')).toHaveCount(0);
});
