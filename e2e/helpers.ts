// Shared e2e pieces: a request recorder that fails the test when anything leaves the page's origin,
// ways to put files in the page (picker, synthetic drop), the native OpenSlide oracle, zip reading.
import { test as base, expect, type Page, type TestInfo } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';
import type { SlideInfo } from '../src/core/index.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '..');
export const SLIDES = path.resolve(ROOT, '../shared/slides');
export const REAL = path.join(SLIDES, 'real');
export const BAD = path.join(SLIDES, 'bad');
export const CMU = path.join(REAL, 'aperio/CMU-1-Small-Region.svs');
export const SAMPLES = path.join(ROOT, '.cache/samples');

/** Every request the page makes; the fixture asserts none leaves the origin. */
export const test = base.extend<{ requests: string[] }>({
  requests: [
    async ({ page, baseURL }, use) => {
      const seen: string[] = [];
      page.on('request', (r) => seen.push(r.url()));
      await use(seen);
      const origin = new URL(baseURL!).origin;
      const outside = seen.filter((u) => !u.startsWith('blob:') && !u.startsWith('data:') && new URL(u).origin !== origin);
      expect(outside, 'requests that left the page origin').toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

export async function openApp(page: Page) {
  await page.goto('./');
  await expect(page.getByRole('heading', { name: /Drop a whole-slide image/ })).toBeVisible();
}

export async function openWithPicker(page: Page, files: string | string[]) {
  await page.getByTestId('file-input').setInputFiles(files);
}

/** A drop as the browser makes it: DataTransfer with File objects, dragenter → dragover → drop. */
export async function dropFiles(page: Page, files: string[]) {
  const payload = files.map((f) => ({ name: path.basename(f), b64: readFileSync(f).toString('base64') }));
  await page.evaluate(async (items) => {
    const dt = new DataTransfer();
    for (const it of items) {
      const bin = Uint8Array.from(atob(it.b64), (c) => c.charCodeAt(0));
      dt.items.add(new File([bin], it.name));
    }
    for (const type of ['dragenter', 'dragover', 'drop']) {
      window.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    }
  }, payload);
}

export async function waitForSlide(page: Page, name: string) {
  await expect(page.getByTestId('slide-facts')).toContainText(name, { timeout: 60_000 });
}

export async function counts(page: Page) {
  const el = page.getByTestId('counts');
  return {
    total: Number(await el.getAttribute('data-total')),
    accepted: Number(await el.getAttribute('data-accepted')),
    pending: Number(await el.getAttribute('data-pending')),
  };
}

/** The plan's tile count, as the counts panel states it. */
export async function expectTotal(page: Page, n: number) {
  await expect(page.getByTestId('counts')).toHaveAttribute('data-total', String(n));
}

/** Waits until the std scan has measured every tile it will (no 'std pending' left). */
export async function waitForStd(page: Page) {
  await expect(page.getByTestId('counts')).toHaveAttribute('data-pending', '0', { timeout: 60_000 });
}

export async function setNumber(page: Page, testId: string, value: number) {
  const input = page.getByTestId(testId);
  await input.fill(String(value));
  await input.blur();
}

export async function shot(page: Page, info: TestInfo, name: string) {
  const body = await page.screenshot();
  await info.attach(name, { body, contentType: 'image/png' });
  const dir = path.join(ROOT, 'test-results', 'screens');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${name}.png`), body);
}

/** The slide as native OpenSlide describes it, in the core's SlideInfo shape. */
export function oracleInfo(slide: string): SlideInfo {
  const o = JSON.parse(execFileSync('/usr/bin/python3', [path.join(ROOT, 'tools/oracle/oracle.py'), 'info', slide], { encoding: 'utf8' }));
  return {
    vendor: o.vendor ?? null,
    levels: o.level_dimensions.map(([width, height]: [number, number], i: number) => ({ width, height, downsample: o.level_downsamples[i] })),
    properties: o.properties,
    associated: Object.entries(o.associated_images as Record<string, [number, number]>).map(([name, [width, height]]) => ({ name, width, height })),
  };
}

/** sha256 of ratiopath read_tile RGB bytes from native OpenSlide (tools/oracle/oracle.py). */
export function oracleTile(slide: string, req: { x: number; y: number; level: number; w: number; h: number; background?: number }): { sha256: string; width: number; height: number } {
  const out = execFileSync('/usr/bin/python3', [path.join(ROOT, 'tools/oracle/oracle.py'), 'regions', slide, '-', '--no-repro'], {
    input: JSON.stringify([{ kind: 'tile', background: 255, ...req }]),
    encoding: 'utf8',
  });
  const r = JSON.parse(out).results[0];
  if (r.error) throw new Error(`oracle: ${r.error}`);
  return r;
}

export async function readZip(file: string) {
  return JSZip.loadAsync(readFileSync(file));
}

/** tiles.csv reader (RFC 4180): the one the parity checker uses. */
export { parseCsv } from '../tools/parity/parity.ts';
