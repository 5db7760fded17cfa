// A slide over 4 GB through the browser's lazy File reads (WORKERFS, 64-bit offsets): the file is a
// sparse BigTIFF whose tiles all lie past 2^32 bytes, so any pixel shown was read past 4 GiB.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT, counts, expect, expectTotal, openApp, openWithPicker, test, waitForSlide, waitForStd } from './helpers.ts';

const OVER_4G = path.join(ROOT, '.cache/over4g/over4g.tiff');

test('a 4.5 GB slide opens, previews and measures its tile from past the 4 GiB offset', async ({ page }) => {
  if (!existsSync(OVER_4G)) {
    mkdirSync(path.dirname(OVER_4G), { recursive: true });
    execFileSync('/usr/bin/python3', [path.join(ROOT, 'tools/samples/gen_over4g.py'), OVER_4G]);
  }
  expect(statSync(OVER_4G).size).toBeGreaterThan(2 ** 32);
  await openApp(page);
  await openWithPicker(page, OVER_4G);
  await waitForSlide(page, 'over4g.tiff');
  await expect(page.getByTestId('vendor')).toHaveText('generic-tiff');
  await expect(page.getByTestId('level0-size')).toContainText('512 × 512');
  // it records no µm/px: plan by level
  await page.getByRole('radio', { name: 'level' }).check();
  await expectTotal(page, 1);
  await waitForStd(page);
  // the tile's std was measured from real pixels (a gradient with a checkerboard: well above 8)
  expect((await counts(page)).accepted).toBe(1);
});
