// Offline once loaded (issue 4, point 7): after the first load the service worker holds every built
// file, so a reload without network still starts the app, and a slide from disk still opens.
import { gridTiles } from '../src/core/index.ts';
import { CMU, expect, expectTotal, openApp, openWithPicker, shot, test, waitForSlide } from './helpers.ts';

test('loaded once, the app reloads and opens a slide with the network off', async ({ page, context }, info) => {
  await openApp(page);
  await expect(page.getByTestId('offline')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });

  await context.setOffline(true);
  // every response from here on, the engine worker's script and .wasm included
  const responses: { url: string; fromCache: boolean }[] = [];
  page.on('response', (r) => {
    if (r.url().startsWith('http')) responses.push({ url: r.url(), fromCache: r.fromServiceWorker() });
  });
  const nav = await page.reload();
  // the page came from the service worker's cache, not from the (unreachable) server
  expect(nav?.fromServiceWorker()).toBe(true);
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);
  await expect(page.getByRole('heading', { name: /Drop a whole-slide image/ })).toBeVisible();

  await openWithPicker(page, CMU);
  await waitForSlide(page, 'CMU-1-Small-Region.svs');
  const want = gridTiles([2220, 2967], [512, 512], [512, 512], 'shift').count;
  await expectTotal(page, want);
  await expect(page.getByTestId('viewer')).toHaveAttribute('data-drawn', String(want));
  await expect(page.getByTestId('offline')).toHaveAttribute('data-state', 'ready');
  await shot(page, info, 'offline-slide-open');
  expect(responses.map((r) => r.url)).toEqual(expect.arrayContaining([expect.stringMatching(/worker-.*\.js$/), expect.stringMatching(/\.wasm$/)]));
  expect(responses.filter((r) => !r.fromCache), 'responses not served by the service worker').toEqual([]);
  await context.setOffline(false);
});
