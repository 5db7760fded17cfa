// Issue 9, item 1: a slide without a usable µm/px is no dead end. It opens planned by level with the
// grid drawn at once and one calm note that says why and offers the slide's µm/px; no red error.
// Real slides, the real engine: a generic tiled TIFF as vips writes them (no openslide.mpp-x/y) and
// the demo slide with its Aperio MPP set to 352.80 (what a 72-dpi TIFF default reads as).
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { closestLevel, gridTiles } from '../src/core/index.ts';
import { CMU, SAMPLES, expect, expectTotal, openApp, openWithPicker, oracleInfo, shot, test, waitForSlide } from './helpers.ts';

const TIFF = path.join(SAMPLES, 'generic-tiff-jpeg/slide.tiff');

test('a generic TIFF without µm/px opens planned by level, with one calm note and the grid', async ({ page }, info) => {
  test.skip(!existsSync(TIFF), 'run tools/samples/make-all.sh first');
  const slide = oracleInfo(TIFF);
  expect(slide.properties['openslide.mpp-x']).toBeUndefined();
  await openApp(page);
  await openWithPicker(page, TIFF);
  await waitForSlide(page, 'slide.tiff');
  // the grid at once, at level 0, from the seed's settings (µm/px mode kept for other slides)
  await expectTotal(page, gridTiles([slide.levels[0].width, slide.levels[0].height], [512, 512], [512, 512], 'shift').count);
  const note = page.getByTestId('mpp-fallback');
  await expect(note).toHaveCount(1);
  await expect(note).toContainText('does not record its resolution');
  await expect(note).toContainText('Tiles are planned at level 0, full resolution');
  await expect(note).toContainText("Type the slide's µm/px");
  await expect(page.getByTestId('resolved-level')).toHaveText('level 0 · µm/px unknown');
  // nothing red: no alert anywhere, the message is said once
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByTestId('plan-error')).toHaveCount(0);
  await expect(page.getByText('does not record its resolution')).toHaveCount(1);
  await expect(page.getByTestId('viewer')).toBeVisible();
  await shot(page, info, 'first-contact-no-mpp');

  // another level, for this slide only
  await page.getByTestId('level').selectOption('1');
  await expectTotal(page, gridTiles([slide.levels[1].width, slide.levels[1].height], [512, 512], [512, 512], 'shift').count);

  // typing the slide's µm/px brings µm/px planning back: the level is chosen for 0.5 µm/px
  await page.getByTestId('mpp-override').fill('0.25');
  await expect(note).toHaveCount(0);
  const level = closestLevel(0.5, slide, 0.25);
  const l = slide.levels[level];
  await expect(page.getByTestId('resolved-level')).toContainText(`level ${level} · ${(0.25 * l.downsample).toFixed(4)} µm/px (typed)`);
  await expectTotal(page, gridTiles([l.width, l.height], [512, 512], [512, 512], 'shift').count);
  await expect(page.getByTestId('mpp')).toHaveValue('0.5');

  // a slide that records its µm/px plans by µm/px as before: the fallback was this slide's only
  await page.getByTestId('mpp-override').fill('');
  await openWithPicker(page, CMU);
  await waitForSlide(page, 'CMU-1-Small-Region.svs');
  await expect(page.getByTestId('mpp')).toHaveValue('0.5');
  await expect(page.getByTestId('mpp-fallback')).toHaveCount(0);
  await expect(page.getByTestId('resolved-level')).toContainText('level 0 · 0.4990 µm/px');
});

test('a µm/px no scanner makes (352.8, a 72-dpi TIFF default) gets the same calm fallback', async ({ page }, info) => {
  // the demo slide with its Aperio "MPP = 0.4990" rewritten in place to "MPP = 352.80" (same length)
  const file = info.outputPath('CMU-72dpi.svs');
  copyFileSync(CMU, file);
  const bytes = readFileSync(file);
  const from = Buffer.from('MPP = 0.4990');
  let at = bytes.indexOf(from);
  expect(at).toBeGreaterThan(0);
  while (at >= 0) {
    bytes.write('MPP = 352.80', at, 'latin1');
    at = bytes.indexOf(from, at + 1);
  }
  writeFileSync(file, bytes);
  expect(oracleInfo(file).properties['openslide.mpp-x']).toBe('352.80000000000001');

  await openApp(page);
  await openWithPicker(page, file);
  await waitForSlide(page, 'CMU-72dpi.svs');
  const note = page.getByTestId('mpp-fallback');
  await expect(note).toContainText("This slide's recorded resolution is not usable: 352.8 µm/px is 72 dpi");
  await expect(note).toContainText('Tiles are planned at level 0, full resolution');
  // the facts say what the file holds, and that it is not used
  await expect(page.getByTestId('facts-mpp')).toContainText('352.8 in the file — not a scan resolution, not used');
  await expect(page.getByTestId('resolved-level')).toHaveText('level 0 · µm/px unknown');
  await expectTotal(page, gridTiles([2220, 2967], [512, 512], [512, 512], 'shift').count);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await shot(page, info, 'first-contact-72dpi');
  // typing the real value plans by µm/px again
  await page.getByTestId('mpp-override').fill('0.499');
  await expect(note).toHaveCount(0);
  await expect(page.getByTestId('resolved-level')).toContainText('level 0 · 0.4990 µm/px (typed)');
});
