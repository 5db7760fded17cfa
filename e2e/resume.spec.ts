// An export into a folder that is interrupted (the tab reloads mid-run) resumes: the app finds the
// files the first run wrote, checks them against the plan and its journal, and reads and writes only
// what is missing. The folder is the browser's Origin Private File System, handed to the app as the
// picked folder (a real FileSystemDirectoryHandle: the app's folder sink writes real files).
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { PNG } from 'pngjs';
import { CMU, expect, openApp, openWithPicker, parseCsv, ROOT, setNumber, test, waitForSlide } from './helpers.ts';

const FOLDER = 'resume-export';

test.beforeEach(async ({ page }) => {
  await page.addInitScript((folder) => {
    (window as unknown as { showDirectoryPicker: () => Promise<FileSystemDirectoryHandle> }).showDirectoryPicker = async () =>
      (await navigator.storage.getDirectory()).getDirectoryHandle(folder, { create: true });
  }, FOLDER);
});

/** 128-px tiles, no std filter, no limit, into the folder: 18 × 24 = 432 tiles on CMU. */
async function planIntoFolder(page: Page) {
  await openWithPicker(page, CMU);
  await waitForSlide(page, 'CMU-1-Small-Region.svs');
  await page.getByTestId('std-on').uncheck();
  await page.getByTestId('limit-on').uncheck();
  await setNumber(page, 'tile-w', 128);
  await setNumber(page, 'tile-h', 128);
  // settings persist across the reload: set the stride itself (the "stride = tile" button is then disabled)
  await setNumber(page, 'stride-x', 128);
  await setNumber(page, 'stride-y', 128);
  await expect(page.getByTestId('counts')).toHaveAttribute('data-total', '432');
  const toFolder = page.getByTestId('to-folder');
  if (!(await toFolder.isChecked())) await toFolder.check();
  await expect(page.getByTestId('export-path')).toHaveAttribute('data-path', 'folder');
}

/** The folder's files: name → bytes (base64), read back from the private file system. */
async function folderFiles(page: Page): Promise<Map<string, Buffer>> {
  const entries = await page.evaluate(async (folder) => {
    const out: [string, string][] = [];
    const walk = async (dir: FileSystemDirectoryHandle, prefix: string) => {
      for await (const [name, h] of (dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
        if (h.kind === 'directory') await walk(h as FileSystemDirectoryHandle, `${prefix}${name}/`);
        else {
          const bytes = new Uint8Array(await (await (h as FileSystemFileHandle).getFile()).arrayBuffer());
          let bin = '';
          for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
          out.push([`${prefix}${name}`, btoa(bin)]);
        }
      }
    };
    await walk(await (await navigator.storage.getDirectory()).getDirectoryHandle(folder, { create: true }), '');
    return out;
  }, FOLDER);
  return new Map(entries.map(([n, b]) => [n, Buffer.from(b, 'base64')]));
}

test('an interrupted export into a folder resumes: files already there are kept, only the rest is read', async ({ page }) => {
  test.setTimeout(300_000);
  await openApp(page);
  await planIntoFolder(page);
  await page.getByTestId('extract-start').click();
  // interrupt once the first run has written a good part (the journal is flushed every 64 tiles)
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=gallery]')?.getAttribute('data-n') ?? '0') >= 150, null, { timeout: 120_000 });
  await page.reload();
  const first = await folderFiles(page);
  const firstTiles = [...first.keys()].filter((n) => n.startsWith('tiles/'));
  const journal = first.get('slidetile-progress.csv')!.toString('utf8').trim().split('\n').slice(1);
  expect(first.has('slidetile-export.json')).toBe(true);
  expect(first.has('tiles.csv')).toBe(false);
  expect(journal.length).toBeGreaterThanOrEqual(64);
  expect(firstTiles.length).toBeGreaterThanOrEqual(journal.length);
  expect(firstTiles.length).toBeLessThan(432);

  // the same plan into the same folder: resumed
  await openApp(page);
  await planIntoFolder(page);
  await page.getByTestId('extract-start').click();
  const resuming = page.getByTestId('resuming');
  await expect(resuming).toBeVisible({ timeout: 60_000 });
  const carried = Number(await resuming.getAttribute('data-carried'));
  expect(carried).toBe(journal.length);
  expect(Number(await resuming.getAttribute('data-missing'))).toBe(0);
  const done = page.getByTestId('extract-done');
  await expect(done).toBeVisible({ timeout: 240_000 });
  expect(Number(await done.getAttribute('data-saved'))).toBe(432);
  await expect(page.getByTestId('folder-done')).toHaveAttribute('data-resumed', String(carried));
  // only what was missing was read: the gallery shows the tiles this run wrote (up to its 240)
  expect(Number(await page.getByTestId('gallery').getAttribute('data-n'))).toBe(Math.min(240, 432 - carried));

  // the folder now holds the whole export: every planned tile once, each file as tiles.csv names it,
  // and every tile's pixels equal native OpenSlide's read_tile, whichever run wrote it
  const files = await folderFiles(page);
  const tiles = [...files.keys()].filter((n) => n.startsWith('tiles/')).sort();
  const rows = parseCsv(files.get('tiles.csv')!.toString('utf8'));
  expect(rows).toHaveLength(432);
  expect(rows.map((r) => `tiles/${r.file.replace(/^tiles\//, '')}`).sort()).toEqual(tiles);
  // the journal lists every tile exactly once
  const lines = files.get('slidetile-progress.csv')!.toString('utf8').trim().split('\n').slice(1);
  expect(new Set(lines.map((l) => l.split(',')[0])).size).toBe(432);
  const reqs = rows.map((r) => ({ kind: 'tile', background: 255, x: Number(r.x), y: Number(r.y), level: 0, w: 128, h: 128 }));
  const native = JSON.parse(
    execFileSync('/usr/bin/python3', [path.join(ROOT, 'tools/oracle/oracle.py'), 'regions', CMU, '-', '--no-repro'], { input: JSON.stringify(reqs), encoding: 'utf8', maxBuffer: 1 << 26 }),
  ).results as { sha256: string }[];
  rows.forEach((r, k) => {
    const png = PNG.sync.read(files.get(`tiles/${r.file.replace(/^tiles\//, '')}`)!);
    const rgb = Buffer.alloc(png.width * png.height * 3);
    for (let p = 0, q = 0; p < png.data.length; p += 4, q += 3) png.data.copy(rgb, q, p, p + 3);
    expect(createHash('sha256').update(rgb).digest('hex'), `tile ${r.index}`).toBe(native[k].sha256);
  });
  // the files the first run's journal vouched for were kept as they were (tiles written after its last
  // flush may be written again, with the same pixels)
  for (const line of journal) {
    const t = `tiles/tile_${line.split(',')[0].padStart(5, '0')}.png`;
    expect(files.get(t)!.equals(first.get(t)!), t).toBe(true);
  }
});
