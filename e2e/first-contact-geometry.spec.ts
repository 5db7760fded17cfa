// Issue 9, item 7: geometry controls that cannot leave gaps. Changing the tile used to leave the
// stride behind (512 → 256 with stride 512 planned a grid with gaps); now the stride follows the tile
// through an overlap in px unless untied, and an untied stride larger than the tile is warned about.
// Also: tile-size presets, resolution by magnification (from the slide's objective power and µm/px,
// the plan and export staying in µm/px), a 1:1 zoom, and an old saved state that loads without loss.
// Expected counts come from the core's grid_tiles port and the slide as native OpenSlide reads it.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page, TestInfo } from '@playwright/test';
import { closestLevel, defaultPlanParams, gridTiles, type LastPolicy } from '../src/core/index.ts';
import { ROOT, expect, expectTotal, openApp, oracleInfo, readZip, setNumber, shot, test } from './helpers.ts';

// opening the demo takes seconds alone, much longer on a loaded machine: generous limits, no timing asserted
test.describe.configure({ timeout: 240_000 });

const DEMO = path.join(ROOT, 'public/demo/CMU-1-Small-Region.svs');
const slide = oracleInfo(DEMO);

/** The level the app plans at for a µm/px target, and its extent, as ratiopath chooses it. */
function extentAt(mpp: number): [number, number] {
  const l = slide.levels[closestLevel(mpp, slide)];
  return [l.width, l.height];
}
const count = (tile: number, stride: number, last: LastPolicy = 'shift', mpp = 0.5) => gridTiles(extentAt(mpp), [tile, tile], [stride, stride], last).count;

/** The demo button, then its slide open (waitForSlide's 60 s and more: the demo once took longer than that to open at load 25). */
async function demo(page: Page) {
  await page.getByTestId('demo').click();
  await expect(page.getByTestId('slide-facts')).toContainText('CMU-1-Small-Region.svs', { timeout: 180_000 });
}

async function openDemo(page: Page) {
  await openApp(page);
  await demo(page);
}

/** The plan settings panel alone, attached to the report and kept with the other screens. */
async function controlsShot(page: Page, info: TestInfo, name: string) {
  const body = await page.getByRole('form', { name: 'Plan settings' }).screenshot();
  await info.attach(name, { body, contentType: 'image/png' });
  const dir = path.join(ROOT, 'test-results', 'screens');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${name}.png`), body);
  await shot(page, info, `${name}-page`);
}

async function expectStride(page: Page, s: number) {
  await expect(page.getByTestId('stride-x')).toHaveValue(String(s));
  await expect(page.getByTestId('stride-y')).toHaveValue(String(s));
}

test('the stride follows the tile: 512 → 256 plans the gap-free grid; overlap in px; presets; untied gaps are warned about', async ({ page }, info) => {
  test.setTimeout(480_000);
  await openDemo(page);
  await expectTotal(page, count(512, 512));
  await expect(page.getByTestId('stride-tied')).toBeChecked();
  await controlsShot(page, info, 'geometry-default');

  // the reported bug: the stride used to stay at 512, planning far fewer tiles with gaps between them
  expect(count(256, 512)).toBeLessThan(count(256, 256));
  await setNumber(page, 'tile-w', 256);
  await setNumber(page, 'tile-h', 256);
  await expectStride(page, 256);
  await expectTotal(page, count(256, 256));
  await expect(page.getByTestId('stride-gaps')).toHaveCount(0);

  // an overlap in px, its % beside it; stride = tile − overlap
  await setNumber(page, 'overlap', 32);
  await expectStride(page, 224);
  await expect(page.getByTestId('overlap-note')).toContainText('12.5% of the tile');
  await expectTotal(page, count(256, 224));

  // presets keep the overlap's px (QuPath's habit), so the stride moves with the tile
  for (const p of [512, 224, 299, 1024, 256]) {
    await page.getByTestId(`tile-preset-${p}`).click();
    await expect(page.getByTestId('tile-w')).toHaveValue(String(p));
    await expect(page.getByTestId('tile-h')).toHaveValue(String(p));
    await expect(page.getByTestId(`tile-preset-${p}`)).toHaveAttribute('aria-pressed', 'true');
    await expectStride(page, p - 32);
    await expect(page.getByTestId('overlap')).toHaveValue('32');
    await expectTotal(page, count(p, p - 32));
  }
  await controlsShot(page, info, 'geometry-overlap-32');

  // untied, the stride can be typed; one larger than the tile is a visible warning with its cost
  await page.getByTestId('stride-tied').uncheck();
  await expect(page.getByTestId('stride-untied')).toBeVisible();
  await setNumber(page, 'stride-x', 512);
  await setNumber(page, 'stride-y', 512);
  await expectTotal(page, count(256, 512));
  const warn = page.getByTestId('stride-gaps');
  await expect(warn).toBeVisible();
  await expect(warn).toContainText('256 px across and 256 px down');
  await expect(warn).toHaveAttribute('data-planned', String(count(256, 512)));
  await expect(warn).toHaveAttribute('data-gap-free', String(count(256, 256)));
  // untied, a new tile leaves the stride as typed (and the warning follows)
  await page.getByTestId('tile-preset-224').click();
  await expectStride(page, 512);
  await expect(warn).toHaveAttribute('data-gap-free', String(count(224, 224)));
  await controlsShot(page, info, 'geometry-untied-gaps');
  // one click ties it again: no overlap left over gaps
  await page.getByTestId('tie-stride').click();
  await expect(page.getByTestId('stride-tied')).toBeChecked();
  await expectStride(page, 224);
  await expect(warn).toHaveCount(0);
  await expectTotal(page, count(224, 224));

  // typing a stride that is not tile − one overlap unties it (the typed value is kept as typed)
  await setNumber(page, 'stride-x', 200);
  await expect(page.getByTestId('stride-tied')).not.toBeChecked();
  await expect(page.getByTestId('stride-y')).toHaveValue('224');

  // the settings persist across a reload, tie state included
  await page.getByRole('button', { name: 'stride = tile (no overlap)' }).click();
  await setNumber(page, 'overlap', 24);
  await page.reload();
  await demo(page);
  await expect(page.getByTestId('stride-tied')).toBeChecked();
  await expect(page.getByTestId('overlap')).toHaveValue('24');
  await expectTotal(page, count(224, 200));
});

test('a state saved before the tie existed loads without loss: its gaps are kept, untied and warned about', async ({ page }) => {
  // what an earlier build saved: the plan parameters only, with the very stride the bug left behind
  const old = { ...defaultPlanParams, tile: [256, 256], stride: [512, 512], limit: 10 };
  await page.addInitScript((s) => {
    if (!sessionStorage.getItem('seeded')) {
      localStorage.setItem('slidetile.settings.v1', s);
      sessionStorage.setItem('seeded', '1');
    }
  }, JSON.stringify(old));
  await openDemo(page);
  await expect(page.getByTestId('tile-w')).toHaveValue('256');
  await expectStride(page, 512);
  await expect(page.getByTestId('limit')).toHaveValue('10');
  await expect(page.getByTestId('stride-tied')).not.toBeChecked();
  await expect(page.getByTestId('stride-gaps')).toBeVisible();
  await expectTotal(page, count(256, 512));
  // and an old gap-free state comes back tied, its overlap read from its stride
  const saved = JSON.parse((await page.evaluate(() => localStorage.getItem('slidetile.settings.v1')))!);
  expect(saved).toMatchObject({ tile: [256, 256], stride: [512, 512], limit: 10, controls: { strideTied: false } });
  await page.evaluate((s) => localStorage.setItem('slidetile.settings.v1', s), JSON.stringify({ ...old, stride: [240, 240] }));
  await page.reload();
  await demo(page);
  await expect(page.getByTestId('stride-tied')).toBeChecked();
  await expect(page.getByTestId('overlap')).toHaveValue('16');
  await expectTotal(page, count(256, 240));
});

test('magnification from the slide’s objective power sets µm/px; the export still says µm/px', async ({ page }, info) => {
  const objective = Number(slide.properties['openslide.objective-power']);
  const mpp0 = (Number(slide.properties['openslide.mpp-x']) + Number(slide.properties['openslide.mpp-y'])) / 2;
  expect(objective).toBe(20);
  await openDemo(page);
  const box = page.getByTestId('magnification-box');
  await expect(box).toHaveAttribute('data-objective', String(objective));
  // the seed's 0.5 µm/px is a hair under 20× on this 0.499 µm/px scan
  await expect(page.getByTestId('magnification')).toHaveValue(String(Number(((mpp0 * objective) / 0.5).toPrecision(4))));
  // nothing above the scan's own objective is offered (it could only upsample)
  await expect(page.getByTestId('mag-40')).toHaveCount(0);

  await page.getByTestId('mag-20').click();
  const mpp20 = Number(await page.getByTestId('mpp').inputValue());
  expect(Math.abs(mpp20 - (mpp0 * objective) / 20)).toBeLessThan(1e-9);
  expect(mpp20).toBeCloseTo(0.499, 3);
  await expect(page.getByTestId('mag-20')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('magnification')).toHaveValue('20');
  await expect(page.getByTestId('resolved-level')).toContainText(`level ${closestLevel(mpp20, slide)}`);
  await controlsShot(page, info, 'geometry-magnification-20x');

  await page.getByTestId('mag-10').click();
  const mpp10 = Number(await page.getByTestId('mpp').inputValue());
  expect(Math.abs(mpp10 - (mpp0 * objective) / 10)).toBeLessThan(1e-9);
  await expect(page.getByTestId('mag-20')).toHaveAttribute('aria-pressed', 'false');
  await expectTotal(page, count(512, 512, 'shift', mpp10));
  // typed, too
  await setNumber(page, 'magnification', 5);
  await expect(page.getByTestId('mpp')).toHaveValue(String(Number(((mpp0 * objective) / 5).toPrecision(6))));
  await page.getByTestId('mag-10').click();

  // the export carries the µm/px that was used (ratiopath's parameter), not a magnification
  await page.getByTestId('limit').fill('2');
  const downloading = page.waitForEvent('download');
  await page.getByTestId('extract-start').click();
  const dl = await downloading;
  expect(dl.suggestedFilename()).toContain(`_${mpp10}mpp_`);
  await expect(page.getByTestId('extract-done')).toBeVisible({ timeout: 60_000 });
  const file = info.outputPath('mag.zip');
  await dl.saveAs(file);
  const zip = await readZip(file);
  const json = JSON.parse(await zip.file('slide.json')!.async('string'));
  expect(JSON.stringify(json)).toContain(String(mpp10));
  const recipe = await zip.file('ratiopath_recipe.py')!.async('string');
  expect(recipe).toContain(`MPP = ${mpp10}`);
});

test('1:1 shows one screen pixel per level-0 pixel, by button and by the 1 key, about the centre', async ({ page }, info) => {
  await openDemo(page);
  const v = page.getByTestId('viewer');
  const view = async () => {
    const [scale, x, y] = (await v.getAttribute('data-view'))!.split(',').map(Number);
    const b = (await v.boundingBox())!;
    return { scale, cx: (b.width / 2 - x) / scale, cy: (b.height / 2 - y) / scale };
  };
  await expect.poll(async () => (await view()).scale).toBeLessThan(0.9);
  const fitted = await view();
  await page.getByTestId('zoom-1to1').click();
  await expect.poll(async () => (await view()).scale).toBe(1);
  const one = await view();
  // the point at the centre stays at the centre
  expect(Math.abs(one.cx - fitted.cx)).toBeLessThan(0.5);
  expect(Math.abs(one.cy - fitted.cy)).toBeLessThan(0.5);
  await expect(page.locator('.viewer-hud')).toContainText('100%');
  await shot(page, info, 'viewer-1to1');

  await page.getByRole('button', { name: 'Fit to window' }).click();
  await expect.poll(async () => (await view()).scale).toBeLessThan(0.9);
  await page.locator('body').press('1');
  await expect.poll(async () => (await view()).scale).toBe(1);
  await page.locator('body').press('?');
  await expect(page.getByTestId('help')).toContainText('one screen pixel per level-0 pixel');
});

test('export progress says what each rate counts: tiles read/s, saved/s, and what is left to read', async ({ page }) => {
  await openDemo(page);
  await page.getByTestId('limit-on').uncheck();
  await setNumber(page, 'tile-w', 48);
  await setNumber(page, 'tile-h', 48);
  await page.getByTestId('extract-start').click();
  const rates = page.getByTestId('progress-rates');
  await expect(rates).toContainText('tiles read/s');
  await expect(rates).toContainText('saved/s');
  await expect(rates).toContainText('left to read');
  const left = Number(await rates.getAttribute('data-left-to-read'));
  expect(left).toBeGreaterThan(0);
  expect(left).toBeLessThanOrEqual(count(48, 48));
  await page.getByTestId('cancel').click();
  await expect(page.getByTestId('extract-done')).toHaveAttribute('data-cancelled', 'true', { timeout: 60_000 });
});
