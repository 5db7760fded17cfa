// Takes docs/screenshot.png for the README: the demo slide open, its plan and tissue annotation on
// it. Not a test (no .spec): run by hand against a served build, e.g.
//   npx vite preview --port 4174 &  SLIDETILE_URL=http://127.0.0.1:4174/ npx tsx e2e/screenshot.ts
import { chromium } from '@playwright/test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const url = process.env.SLIDETILE_URL ?? 'http://127.0.0.1:4173/';

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  await page.goto(url);
  await page.getByTestId('demo').click();
  await page.getByTestId('slide-facts').getByText('CMU-1-Small-Region.svs').waitFor({ timeout: 60_000 });
  // a finer grid and the annotation filter on: accepted and rejected boxes side by side
  for (const [id, v] of [['tile-w', 256], ['tile-h', 256]] as const) {
    await page.getByTestId(id).fill(String(v));
    await page.getByTestId(id).blur();
  }
  await page.getByRole('button', { name: 'stride = tile (no overlap)' }).click();
  await page.getByTestId('coverage-on').check();
  // std measured for every candidate: the histogram and counts are final
  await page.waitForFunction(() => document.querySelector('[data-testid=counts]')?.getAttribute('data-pending') === '0', null, { timeout: 60_000 });
  await page.getByTestId('viewer').hover();
  await page.waitForTimeout(800); // let the progressive tiles settle
  await page.mouse.move(1300, 840); // no tooltip over the picture
  await page.screenshot({ path: path.join(root, 'docs/screenshot.png') });
  console.log('wrote docs/screenshot.png');
} finally {
  await browser.close();
}
