// Whole-export parity through the app (issue 8, item 2). For four slides (Aperio JPEG SVS, Hamamatsu
// NDPI, MIRAX folder, generic tiled TIFF) × three geometries (256/256 shift, 512/512 shift, 300×200
// every 250×180 keep), std threshold 8 and no limit, the built app:
//   - once the std scan is done, shows native's counts ("N to save", "M low std", planned total);
//   - saves exactly the tiles the panel promised;
//   - writes a tiles.csv whose EVERY row equals native OpenSlide running ratiopath's loop
//     (tools/parity/native_export.py): std (|Δ| ≤ 1e-4), accepted/reason, one row per grid tile;
//   - writes PNGs that EVERY decode to native's read_tile RGB (sha256), and no others;
//   - writes tile files byte-identical to `slidetile extract` for the same plan (both use the
//     engine's libpng).
// Checks are soft: one run reports every wrong kind for a case, each with the rows it is wrong on.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Page, TestInfo } from '@playwright/test';
import { checkExport, cliArgs, KINDS, matrix, nativeExport, readBytes, ROOT, slideAvailable, summarize, type ParityCase } from '../tools/parity/parity.ts';
import { expect, openApp, openWithPicker, readZip, setNumber, test, waitForSlide } from './helpers.ts';

const run = promisify(execFile);
// SLIDETILE_PARITY_CLI_ROOT=/other/checkout compares with that checkout's CLI
const CLI_ROOT = process.env.SLIDETILE_PARITY_CLI_ROOT ?? ROOT;
const cliDir = mkdtempSync(path.join(tmpdir(), 'slidetile-parity-e2e-'));

async function open(page: Page, c: ParityCase) {
  await openApp(page);
  if (c.folder) await page.getByTestId('folder-input').setInputFiles(c.folder);
  else await openWithPicker(page, c.files ?? c.slide);
  await waitForSlide(page, c.name);
}

/** The case's parameters in the controls; each field is read back so a control that ignores a value fails here. */
async function setPlan(page: Page, c: ParityCase) {
  if ('level' in c.resolution) {
    await page.getByTestId('res-by-level').check();
    await page.getByTestId('level').selectOption(String(c.resolution.level));
  } else {
    await setNumber(page, 'mpp', c.resolution.mpp);
  }
  await setNumber(page, 'tile-w', c.tile[0]);
  await setNumber(page, 'tile-h', c.tile[1]);
  await setNumber(page, 'stride-x', c.stride[0]);
  await setNumber(page, 'stride-y', c.stride[1]);
  // the radio sits under its picture: click the label, as a user does
  await page.locator('label', { has: page.getByTestId(`last-${c.last}`) }).click();
  const std = page.getByTestId('std-on');
  if (!(await std.isChecked())) await std.check();
  await setNumber(page, 'std', c.stdThreshold);
  const limit = page.getByTestId('limit-on');
  if (await limit.isChecked()) await limit.uncheck();
  for (const [id, v] of [['tile-w', c.tile[0]], ['tile-h', c.tile[1]], ['stride-x', c.stride[0]], ['stride-y', c.stride[1]], ['std', c.stdThreshold]] as const) {
    await expect(page.getByTestId(id)).toHaveValue(String(v));
  }
  await expect(page.getByTestId(`last-${c.last}`)).toBeChecked();
  await expect(page.getByTestId('limit-on')).not.toBeChecked();
}

/** The std scan has measured every candidate: no scan line, no 'std pending'. */
async function waitForScan(page: Page) {
  await expect(page.getByTestId('scan')).toHaveCount(0, { timeout: 120_000 });
  await expect(page.getByTestId('counts')).toHaveAttribute('data-pending', '0', { timeout: 120_000 });
  await expect(page.getByTestId('scan')).toHaveCount(0);
}

async function panelCounts(page: Page) {
  const el = page.getByTestId('counts');
  const lowStd = page.getByTestId('count-std');
  return {
    total: Number(await el.getAttribute('data-total')),
    accepted: Number(await el.getAttribute('data-accepted')),
    shownToSave: Number((await page.getByTestId('count-accepted').textContent())!.replace(/,/g, '')),
    lowStd: (await lowStd.count()) ? Number(await lowStd.getAttribute('data-n')) : 0,
  };
}

/** Extracts and saves the zip: a download link once done (zip in memory), or a download that the
 *  app streams while it extracts (streamed zip) — whichever path the panel takes. */
async function extractZip(page: Page, info: TestInfo) {
  const download = page.waitForEvent('download', { timeout: 240_000 });
  await page.getByTestId('extract-start').click();
  const done = page.getByTestId('extract-done');
  await expect(done).toBeVisible({ timeout: 240_000 });
  const saved = Number(await done.getAttribute('data-saved'));
  const link = page.getByTestId('download');
  if (await link.count()) await link.click();
  const dl = await download;
  const file = info.outputPath(dl.suggestedFilename());
  await dl.saveAs(file);
  return { saved, file };
}

async function cliZip(c: ParityCase) {
  const zip = path.join(cliDir, `${c.id.replace(/[^\w.-]+/g, '_')}.zip`);
  await run(process.execPath, [path.join(CLI_ROOT, 'bin/slidetile.mjs'), ...cliArgs(c, zip)], { cwd: CLI_ROOT, maxBuffer: 64 * 1024 * 1024 });
  return readBytes(zip);
}

for (const c of matrix()) {
  test(`app export equals native on every row: ${c.id}`, async ({ page }, info) => {
    test.skip(!slideAvailable(c), `${c.slide} is missing (tools/samples/make-all.sh)`);
    test.setTimeout(300_000);
    const native = nativeExport(c);
    expect(native.accepted, 'native accepts some tiles').toBeGreaterThan(0);

    await open(page, c);
    await setPlan(page, c);
    await waitForScan(page);
    const panel = await panelCounts(page);
    expect.soft(panel.total, 'planned total = native grid size').toBe(native.count);
    expect.soft(panel.accepted, 'panel "to save" = native accepted').toBe(native.accepted);
    expect.soft(panel.shownToSave, 'the number shown as "to save"').toBe(panel.accepted);
    expect.soft(panel.lowStd, 'panel "low std" = native std-rejected').toBe(native.rejected_std);

    const { saved, file } = await extractZip(page, info);
    expect.soft(saved, 'saved = the panel\'s "to save"').toBe(panel.accepted);
    const zip = await readZip(file);
    const bytes = await zip.generateAsync({ type: 'uint8array' });
    const report = await checkExport(bytes, native, c);
    for (const kind of KINDS) expect.soft(summarize(report, kind), `${c.id}: ${kind}`).toBe('');
    expect.soft(report.saved, 'tiles in the zip = native accepted').toBe(native.accepted);

    // the app's tile files are the CLI's, byte for byte
    const cli = await checkExport(await cliZip(c), native, c);
    const names = [...new Set([...report.files.keys(), ...cli.files.keys()])].sort();
    const onlyApp = names.filter((f) => !cli.files.has(f));
    const onlyCli = names.filter((f) => !report.files.has(f));
    const bytesDiffer = names.filter((f) => report.files.has(f) && cli.files.has(f) && Buffer.compare(Buffer.from(report.files.get(f)!), Buffer.from(cli.files.get(f)!)) !== 0);
    expect.soft({ onlyApp, onlyCli, bytesDiffer }, `the app's tile files = the CLI's, byte for byte (app ${report.files.size}, cli ${cli.files.size})`).toEqual({ onlyApp: [], onlyCli: [], bytesDiffer: [] });
  });
}
