// Issue 9, item 8: what every slide viewer has. A scale bar whose stated length is the length its
// bar covers on screen at the slide's µm/px (none when the µm/px is unknown, until the user types
// one), and a navigator: the whole slide with the current view, click or drag to move there.
// Checked against the viewer's own view (its read-only data-view attribute) and native OpenSlide.
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { CMU, REAL, counts, expect, openApp, openWithPicker, oracleInfo, shot, test, waitForSlide } from './helpers.ts';

const BOXES = path.join(REAL, 'generic-tiff/boxes.tiff');

// each test opens a slide and walks several zooms: on a loaded 2-core machine that outlasts 90 s
test.describe.configure({ timeout: 240_000 });

async function viewOf(page: Page) {
  const v = page.getByTestId('viewer');
  const [scale, x, y] = (await v.getAttribute('data-view'))!.split(',').map(Number);
  const box = (await v.boundingBox())!;
  return { scale, x, y, w: box.width, h: box.height };
}

/** The level-0 point at the centre of the viewer. */
async function viewCentre(page: Page) {
  const v = await viewOf(page);
  return { x: (v.w / 2 - v.x) / v.scale, y: (v.h / 2 - v.y) / v.scale, scale: v.scale };
}

/** "200 µm" / "1 mm" / "0.5 µm" → µm, parsed here rather than by the app's own helper. */
function labelUm(text: string) {
  const m = /^([\d.,]+)\s*(µm|mm)$/.exec(text.trim());
  if (!m) throw new Error(`not a length: ${text}`);
  return Number(m[1].replace(/,/g, '')) * (m[2] === 'mm' ? 1000 : 1);
}

/** |bar width − label length at mpp and the viewer's scale|, in CSS px. */
async function scaleBarError(page: Page, mpp: number) {
  const { scale } = await viewOf(page);
  const um = labelUm((await page.locator('.scale-bar-label').textContent()) ?? '');
  const width = (await page.getByTestId('scale-bar-line').boundingBox())!.width;
  return { error: Math.abs(width - (um / mpp) * scale), width, um, scale };
}

async function expectScaleBarTrue(page: Page, mpp: number) {
  await expect(page.getByTestId('scale-bar')).toBeVisible();
  await expect.poll(async () => (await scaleBarError(page, mpp)).error).toBeLessThan(0.5);
  const s = await scaleBarError(page, mpp);
  // a readable bar: neither a speck nor wider than the viewer's corner
  expect(s.width).toBeGreaterThan(50);
  expect(s.width).toBeLessThanOrEqual(150.5);
  const mantissa = s.um / 10 ** Math.floor(Math.log10(s.um) + 1e-9);
  expect([1, 2, 5].some((n) => Math.abs(mantissa - n) < 1e-9)).toBe(true);
  return s;
}

async function click(page: Page, target: Locator, fx: number, fy: number) {
  const b = (await target.boundingBox())!;
  return { x: b.x + fx * b.width, y: b.y + fy * b.height };
}

test('the scale bar states a length its bar covers at the slide’s µm/px, at every zoom', async ({ page }, info) => {
  const mpp = Number(oracleInfo(CMU).properties['openslide.mpp-x']);
  expect(mpp).toBeGreaterThan(0);
  await openApp(page);
  await page.getByTestId('demo').click();
  await waitForSlide(page, 'CMU-1-Small-Region.svs');
  await expect(page.getByTestId('scale-bar')).toHaveAttribute('data-mpp', String(mpp));
  const fitted = await expectScaleBarTrue(page, mpp);
  await expect(page.getByTestId('navigator-canvas')).toHaveAttribute('data-overview', '1', { timeout: 90_000 });
  await shot(page, info, 'viewer-scale-bar-fitted');

  // zoomed in 1.5^4 ≈ 5×: a shorter length, still true to the scale
  for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Zoom in' }).click();
  await expect.poll(async () => (await viewOf(page)).scale).toBeGreaterThan(fitted.scale * 5);
  const zoomed = await expectScaleBarTrue(page, mpp);
  expect(zoomed.um).toBeLessThan(fitted.um);
  // and by the wheel, the viewer's own habit
  const v = page.getByTestId('viewer');
  const at = await click(page, v, 0.4, 0.4);
  await page.mouse.move(at.x, at.y);
  await page.mouse.wheel(0, 400);
  await expect.poll(async () => (await viewOf(page)).scale).toBeLessThan(zoomed.scale);
  await expectScaleBarTrue(page, mpp);
  await shot(page, info, 'viewer-scale-bar-zoomed');
});

test('a slide without a usable µm/px has no scale bar until its µm/px is typed', async ({ page }, info) => {
  // native OpenSlide 3.4.1 gives no openslide.mpp-x; the engine's OpenSlide 4-like properties read
  // its 72-dpi TIFF default (28.35 px/cm) as 352.8 µm/px, which is no scan resolution either
  const oracle = oracleInfo(BOXES);
  expect(oracle.properties['openslide.mpp-x']).toBeUndefined();
  expect(oracle.properties['tiff.XResolution']).toBeDefined();
  await openApp(page);
  await openWithPicker(page, BOXES);
  await waitForSlide(page, 'boxes.tiff');
  await expect(page.getByTestId('viewer')).not.toHaveAttribute('data-view', '');
  await expect(page.getByTestId('navigator-canvas')).toBeVisible();
  await expect(page.getByTestId('scale-bar')).toHaveCount(0);
  await shot(page, info, 'viewer-no-mpp-no-scale-bar');

  // the µm/px the user types is the one planning uses, and the bar measures with it
  await page.getByTestId('mpp-override').fill('0.25');
  await expect(page.getByTestId('scale-bar')).toHaveAttribute('data-mpp', '0.25');
  await expectScaleBarTrue(page, 0.25);
  await page.getByTestId('mpp-override').fill('');
  await expect(page.getByTestId('scale-bar')).toHaveCount(0);
});

test('the navigator shows the view, and a click or a drag on it moves the view there', async ({ page }, info) => {
  const slide = oracleInfo(CMU);
  const W = slide.levels[0].width;
  const H = slide.levels[0].height;
  await openApp(page);
  await page.getByTestId('demo').click();
  await waitForSlide(page, 'CMU-1-Small-Region.svs');
  const canvas = page.getByTestId('navigator-canvas');
  const rect = page.getByTestId('navigator-view');
  // the overview is one whole-level read, slow on a loaded machine
  await expect(canvas).toHaveAttribute('data-overview', '1', { timeout: 90_000 });
  // the navigator sits beside the viewer: the viewer's Konva canvas stays the only canvas in it
  expect(await page.locator('[data-testid=viewer] canvas').count()).toBe(1);
  const map = (await canvas.boundingBox())!;
  // the minimap is the slide, aspect kept
  expect(Math.abs(map.width / map.height - W / H)).toBeLessThan(0.02);

  // fitted: the whole slide is in view, the rectangle is the whole minimap
  await expect.poll(async () => (await rect.boundingBox())!.width).toBeGreaterThan(map.width - 1);
  expect((await rect.boundingBox())!.height).toBeGreaterThan(map.height - 1);

  // zoomed in: the rectangle is what the viewer shows, in minimap px
  for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Zoom in' }).click();
  const k = map.width / W;
  const rectMatchesView = async () => {
    const v = await viewOf(page);
    const r = (await rect.boundingBox())!;
    const x0 = Math.max(0, -v.x / v.scale) * k;
    const y0 = Math.max(0, -v.y / v.scale) * k;
    const x1 = Math.min(W, (v.w - v.x) / v.scale) * k;
    const y1 = Math.min(H, (v.h - v.y) / v.scale) * k;
    return Math.max(Math.abs(r.x - map.x - x0), Math.abs(r.y - map.y - y0), Math.abs(r.width - (x1 - x0)), Math.abs(r.height - (y1 - y0)));
  };
  await expect.poll(rectMatchesView).toBeLessThan(1);
  expect((await rect.boundingBox())!.height).toBeLessThan(map.height * 0.5);

  // a click centres the view on that place of the slide, at the same zoom, and toggles no tile
  const before = await counts(page);
  const scale = (await viewOf(page)).scale;
  const p = await click(page, canvas, 0.3, 0.7);
  await page.mouse.click(p.x, p.y);
  const tol = 1.5 / k; // a minimap pixel and a half, in level-0 px
  await expect.poll(async () => Math.abs((await viewCentre(page)).x - 0.3 * W)).toBeLessThan(tol);
  const c = await viewCentre(page);
  expect(Math.abs(c.y - 0.7 * H)).toBeLessThan(tol);
  expect(c.scale).toBe(scale);
  expect(await counts(page)).toEqual(before);
  await expect.poll(rectMatchesView).toBeLessThan(1);
  await shot(page, info, 'viewer-navigator-clicked');

  // a drag that grabs the rectangle carries the view along while the button is down
  const q = await click(page, canvas, 0.6, 0.35);
  await page.mouse.move(p.x, p.y);
  await page.mouse.down();
  await page.mouse.move((p.x + q.x) / 2, (p.y + q.y) / 2, { steps: 4 });
  await expect.poll(async () => Math.abs((await viewCentre(page)).x - 0.45 * W)).toBeLessThan(tol * 2);
  await page.mouse.move(q.x, q.y, { steps: 4 });
  await page.mouse.up();
  await expect.poll(async () => Math.abs((await viewCentre(page)).y - 0.35 * H)).toBeLessThan(tol * 2);
  expect(Math.abs((await viewCentre(page)).x - 0.6 * W)).toBeLessThan(tol * 2);
  expect((await viewCentre(page)).scale).toBe(scale);
  expect(await counts(page)).toEqual(before);

  // the viewer's own drag still pans, and the navigator follows it
  const v = page.getByTestId('viewer');
  const from = await click(page, v, 0.3, 0.3);
  const centre = await viewCentre(page);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 120, from.y + 60, { steps: 5 });
  await page.mouse.up();
  await expect.poll(async () => Math.abs((await viewCentre(page)).x - (centre.x - 120 / scale))).toBeLessThan(0.01);
  await expect.poll(rectMatchesView).toBeLessThan(1);

  // the wheel over the minimap zooms the view about its centre, which stays where it was
  const still = await viewCentre(page);
  const m = await click(page, canvas, 0.1, 0.9);
  await page.mouse.move(m.x, m.y);
  await page.mouse.wheel(0, -240);
  await expect.poll(async () => (await viewCentre(page)).scale).toBeGreaterThan(still.scale * 1.2);
  // within a screen pixel: the viewer zooms about its integer clientWidth/2, the test reads a fractional box
  const zoomedCentre = await viewCentre(page);
  expect(Math.abs(zoomedCentre.x - still.x)).toBeLessThan(1 / still.scale);
  expect(Math.abs(zoomedCentre.y - still.y)).toBeLessThan(1 / still.scale);

  // it folds away and comes back
  await page.getByTestId('navigator-fold').click();
  await expect(page.getByTestId('navigator-map')).toHaveCount(0);
  await expect(page.getByTestId('navigator')).toHaveAttribute('data-folded', '1');
  await shot(page, info, 'viewer-navigator-folded');
  await page.getByTestId('navigator-fold').click();
  await expect(canvas).toBeVisible();
  await expect.poll(rectMatchesView).toBeLessThan(1);
});
