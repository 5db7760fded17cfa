// Bad input: each kind of broken or unsupported file is refused with the user's file named, its
// likely cause and what to do (core/refusals.ts), and OpenSlide's own reason kept in smaller text —
// never a path inside the engine. The app stays usable: the slide open before stays open, and a
// good slide opens right after. A screenshot of each refusal is attached to the report.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BAD, CMU, ROOT, expect, expectTotal, openApp, openWithPicker, shot, test, waitForSlide } from './helpers.ts';

let dir = '';
test.beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'slidetile-bad-'));
  // a DICOM file that is not a slide (a CT slice), made reproducibly
  execFileSync('/usr/bin/python3', [path.join(ROOT, 'tools/samples/make_not_a_slide_dicom.py'), path.join(dir, 'ct-slice.dcm')]);
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

// [file, the refusal's kind, words its cause must hold, OpenSlide's reason]
const BAD_FILES: [string, string, RegExp, RegExp][] = [
  ['broken.svs', 'not-a-slide', /holds text, not an image/, /Unsupported or missing image file/],
  ['unopenable.tiff', 'unsupported-compression', /uses TIFF compression 52479/, /Unsupported TIFF compression: 52479/],
  ['kidney-48-5.tif', 'strip-tiff', /TIFF stored in strips, not tiles/, /Unsupported or missing image file/],
  ['derived/empty.svs', 'empty', /is empty \(0 bytes\)/, /Unsupported or missing image file/],
  ['derived/header-only.svs', 'truncated', /is cut short: it is 8 bytes long/, /Unsupported or missing image file/],
  ['derived/text-as.ndpi', 'not-a-slide', /holds text, not an image \(it begins “this is not a slide”\)/, /Unsupported or missing image file/],
  ['derived/truncated-CMU-1-Small-Region.svs', 'truncated', /is cut short: it is 1,000,000 bytes long/, /Unsupported or missing image file/],
  ['derived/mirax-no-folder.mrxs', 'mirax-no-folder', /MIRAX \.mrxs is only an index: the pixels are in the folder “mirax-no-folder”/, /Unsupported or missing image file/],
  // OpenSlide's reason names the missing JPEG by the user's name, not by the engine's mount (/slide/…)
  ['derived/vms-missing-jpegs.vms', 'vms-missing-images', /names image files that were not given with it \(missing-map\.jpg is missing\)/, /“Couldn't open missing-map\.jpg: No such file or directory”/],
  ['ct-slice.dcm', 'dicom-not-wsi', /DICOM file but not a whole-slide image \(it is a CT Image/, /Unsupported or missing image file/],
  ['unsupported-in-3.4.1/4D-series.ome.tiff', 'ome-tiff', /is an OME-TIFF, a format OpenSlide 3\.4\.1 does not read/, /Unsupported or missing image file/],
  ['unsupported-in-3.4.1/vsi-ets-test-jpg2k.vsi', 'olympus-vsi', /Olympus\/Evident VSI slide/, /Unsupported or missing image file/],
];

test('each kind of bad file is refused by name, cause and what to do; the open slide stays and good ones open after', async ({ page }, info) => {
  // a dozen refusals, each a fresh engine start, on a 2-core machine
  test.setTimeout(900_000);
  await openApp(page);
  await openWithPicker(page, CMU);
  await waitForSlide(page, 'CMU-1-Small-Region.svs');
  for (const [rel, kind, cause, reason] of BAD_FILES) {
    const file = rel === 'ct-slice.dcm' ? path.join(dir, rel) : path.join(BAD, rel);
    await openWithPicker(page, file);
    const err = page.getByTestId('error');
    // each open starts a fresh engine worker: slow on a loaded 2-core machine
    await expect(err, rel).toBeVisible({ timeout: 120_000 });
    await expect(err).toHaveAttribute('data-kind', kind);
    await expect(err).toHaveAttribute('data-code', /^(unsupported-format|corrupt-slide|read-failed)$/);
    await expect(err.getByTestId('refused-file')).toHaveText(path.basename(rel));
    await expect(err.getByTestId('refusal-cause')).toContainText(cause);
    await expect(err.getByTestId('refusal-advice')).toContainText(/^What to do: [A-Z].{20,}\.$/);
    await expect(err.getByTestId('refusal-reason')).toContainText(reason);
    await expect(err).not.toContainText(/\/(slide|host\d+)\//);
    await shot(page, info, `refusal-${path.basename(rel)}`);
    // the slide open before is still open and planned; dismissing the refusal returns to it
    await expect(page.getByTestId('slide-facts')).toContainText('CMU-1-Small-Region.svs');
    await expectTotal(page, 30);
    await err.getByRole('button', { name: 'dismiss' }).click();
    await expect(err).toBeHidden();
  }
  // and a good slide still opens after them all (every open has its own engine workers)
  await openWithPicker(page, path.join(BAD, '../real/generic-tiff/boxes.tiff'));
  await waitForSlide(page, 'boxes.tiff');
  await openWithPicker(page, CMU);
  await waitForSlide(page, 'CMU-1-Small-Region.svs');
  await expect(page.getByTestId('error')).toBeHidden();
  await expectTotal(page, 30);
});

test('a malformed annotation file is reported and the plan carries on', async ({ page }) => {
  await openApp(page);
  await openWithPicker(page, CMU);
  await waitForSlide(page, 'CMU-1-Small-Region.svs');
  await page.getByTestId('annotation-input').setInputFiles({ name: 'broken.geojson', mimeType: 'application/geo+json', buffer: Buffer.from('{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1]]]}}]}') });
  await expect(page.getByTestId('annotation-error')).toContainText('broken.geojson');
  await expectTotal(page, 30);
});
