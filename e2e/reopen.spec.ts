// Re-opening a previous export in the app (issue 12): a slide.json dropped with its slide restores the
// plan — parameters, manual choices — and the app's export of it saves the same tiles, with the same
// tiles.csv rows, as `slidetile extract --from` the same slide.json; the export's zip works as well as its slide.json,
// and another slide is warned about. Real engine, real slides, Debian's chromium.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { CMU, REAL, expect, openApp, openWithPicker, parseCsv, readZip, shot, test, waitForSlide, waitForStd } from './helpers.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const cli = (...args: string[]) => execFileSync('npx', ['tsx', 'bin/slidetile.mjs', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });

test('a dropped slide.json restores its plan: the app exports what `slidetile extract --from` exports', async ({ page }, info) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'slidetile-reopen-e2e-'));
  // a first export by the CLI, then manual choices added to its slide.json as the app records them
  cli('extract', CMU, '--mpp', '0.5', '--tile', '300,200', '--stride', '250,180', '--last', 'keep', '--std-threshold', '5', '--tissue-threshold', '0.3', '--limit', '15', '--format', 'jpeg', '--out', path.join(dir, 'first.zip'));
  const first = await JSZip.loadAsync(readFileSync(path.join(dir, 'first.zip')));
  const doc = JSON.parse(await first.file('slide.json')!.async('string'));
  // include by hand a tile a filter dropped (a manual include wins over tissue and std); exclude two
  const firstRows = parseCsv(await first.file('tiles.csv')!.async('string'));
  const dropped = Number(firstRows.find((r) => (r.reason === 'tissue' || r.reason === 'std') && r.index !== '0' && r.index !== '3')!.index);
  doc.manual = { include: [dropped], exclude: [0, 3] };
  const slideJson = path.join(dir, 'slide.json');
  writeFileSync(slideJson, JSON.stringify(doc, null, 2));
  cli('extract', CMU, '--from', slideJson, '--out', path.join(dir, 'cli.zip'));
  const expected = parseCsv(await (await JSZip.loadAsync(readFileSync(path.join(dir, 'cli.zip')))).file('tiles.csv')!.async('string'));

  await openApp(page);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
  await openWithPicker(page, [CMU, slideJson]);
  await waitForSlide(page, 'CMU-1-Small-Region.svs');
  await expect(page.getByTestId('reopen-note')).toContainText('Plan restored from slide.json');
  await expect(page.getByTestId('counts')).toHaveAttribute('data-total', String(expected.length));
  await waitForStd(page);
  await shot(page, info, 'reopened-plan');

  const downloading = page.waitForEvent('download');
  await page.getByTestId('extract-start').click();
  const dl = await downloading;
  await expect(page.getByTestId('extract-done')).toBeVisible({ timeout: 120_000 });
  const file = info.outputPath(dl.suggestedFilename());
  await dl.saveAs(file);
  const rows = parseCsv(await (await readZip(file)).file('tiles.csv')!.async('string'));
  // the same plan and the same saved tiles; the app's background scan also measured tiles past the
  // limit, which the CLI never reads: their std and reason are the app's extra knowledge
  const plain = (r: Record<string, string>) => ({ ...r, std: '', reason: r.reason === 'limit' || r.reason === 'std' ? 'past-or-std' : r.reason });
  expect(rows.map(plain)).toEqual(expected.map(plain));
  for (let i = 0; i < rows.length; i++) if (expected[i].std !== '') expect([rows[i].std, rows[i].reason], `tile ${i}`).toEqual([expected[i].std, expected[i].reason]);
  expect([rows[0].reason, rows[3].reason]).toEqual(['manual', 'manual']);
  // the hand-included tile is no longer rejected by its filter (saved, or past the limit of 15)
  expect(['', 'limit']).toContain(rows[dropped].reason);

  // the zip itself re-opens too; on another slide, the app says it is not the same slide
  await openWithPicker(page, [path.join(REAL, 'aperio/tcga-cr-7395-01a-01-ts1.svs'), path.join(dir, 'cli.zip')]);
  await waitForSlide(page, 'tcga-cr-7395-01a-01-ts1.svs');
  await expect(page.getByTestId('reopen-note')).toContainText('Plan restored from cli.zip');
  await expect(page.getByTestId('reopen-note')).toContainText('not the one the export was made from');
});
