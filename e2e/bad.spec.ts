// Bad input: each kind of broken or unsupported file shows an error naming the file and the reason;
// the app stays usable and a good slide opens right after.
import path from 'node:path';
import { BAD, CMU, expect, expectTotal, openApp, openWithPicker, shot, test, waitForSlide } from './helpers.ts';

const BAD_FILES = [
  'broken.svs',
  'unopenable.tiff',
  'kidney-48-5.tif',
  'derived/empty.svs',
  'derived/header-only.svs',
  'derived/text-as.ndpi',
  'derived/truncated-CMU-1-Small-Region.svs',
  'derived/mirax-no-folder.mrxs',
  'derived/vms-missing-jpegs.vms',
  'unsupported-in-3.4.1/boxes_0.dcm',
  'unsupported-in-3.4.1/4D-series.ome.tiff',
];

test('each bad file shows an error, then a good slide still opens', async ({ page }, info) => {
  // a dozen files, each followed by a good slide: several engine starts on a 2-core machine
  test.setTimeout(300_000);
  await openApp(page);
  let shown = false;
  for (const rel of BAD_FILES) {
    await openWithPicker(page, path.join(BAD, rel));
    const err = page.getByTestId('error');
    await expect(err, rel).toBeVisible({ timeout: 30_000 });
    await expect(err).toContainText(path.basename(rel));
    await expect(err).toHaveAttribute('data-code', /^(unsupported-format|corrupt-slide|read-failed)$/);
    if (!shown) {
      await shot(page, info, 'bad-file-error');
      shown = true;
    }
    await openWithPicker(page, CMU);
    await waitForSlide(page, 'CMU-1-Small-Region.svs');
    await expect(page.getByTestId('error')).toBeHidden();
    await expectTotal(page, 30);
  }
});

test('a malformed annotation file is reported and the plan carries on', async ({ page }) => {
  await openApp(page);
  await openWithPicker(page, CMU);
  await waitForSlide(page, 'CMU-1-Small-Region.svs');
  await page.getByTestId('annotation-input').setInputFiles({ name: 'broken.geojson', mimeType: 'application/geo+json', buffer: Buffer.from('{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1]]]}}]}') });
  await expect(page.getByTestId('annotation-error')).toContainText('broken.geojson');
  await expectTotal(page, 30);
});
