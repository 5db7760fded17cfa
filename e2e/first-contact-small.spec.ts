// Small things a demanding user notices (issue 9, item 9): a shortcut key typed into a number field
// stays the field's (and the buttons' key badges say so); the hover tooltip hides while the view
// moves and comes back at rest; settings restored from the last visit say so and reset; the page
// never asks its Content-Security-Policy for eval. All in the built app with the real engine.
import type { Page } from '@playwright/test';
import { expect, openApp, shot, test, waitForSlide } from './helpers.ts';

// the demo opens in the real engine; on a busy machine that alone can take a minute
test.describe.configure({ timeout: 240_000 });

async function openDemo(page: Page) {
  await page.getByTestId('demo').click();
  await waitForSlide(page, 'CMU-1-Small-Region.svs');
  await expect(page.getByTestId('counts')).toBeVisible();
  await expect(page.getByTestId('viewer')).not.toHaveAttribute('data-view', '');
}

const viewOf = (page: Page) => page.getByTestId('viewer').getAttribute('data-view');

/** Records in the page whether the tooltip has left the DOM since the last reset (it may come back quickly). */
async function watchTooltipGone(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { __tipGone: boolean; __tipObserver?: MutationObserver };
    w.__tipGone = false;
    w.__tipObserver?.disconnect();
    w.__tipObserver = new MutationObserver(() => {
      if (!document.querySelector('[data-testid=tooltip]')) w.__tipGone = true;
    });
    w.__tipObserver.observe(document.body, { childList: true, subtree: true });
  });
}
const tooltipWentAway = (page: Page) => page.evaluate(() => (window as unknown as { __tipGone: boolean }).__tipGone);

test('a shortcut key typed into a number field stays the field’s; the key badges say shortcuts are off; Esc leaves the field', async ({ page }, info) => {
  await openApp(page);
  await openDemo(page);
  const badge = page.getByTestId('shortcut-e');
  await expect(badge).toBeVisible();
  await expect(badge).not.toHaveAttribute('data-off', /.*/);

  // the limit field takes "1e1" (= 10): its "e" must not start an export, and "+", "-", "0", "f"
  // typed into the std field must not zoom or fit the view
  const view = await viewOf(page);
  const limit = page.getByTestId('limit');
  await limit.click();
  await expect(badge).toHaveAttribute('data-off', '1');
  await expect(badge).toHaveAttribute('title', /off while you type in a field/);
  await page.keyboard.press('Control+A');
  await page.keyboard.type('1e1');
  // the field got its "e": 1e1 is committed as 10 (and the export is capped at 10 tiles)
  await expect(limit).toHaveValue('10');
  await expect.poll(async () => Number(await page.getByTestId('extract-start').getAttribute('data-target'))).toBeLessThanOrEqual(10);
  await shot(page, info, 'shortcut-badge-off-while-typing');
  const std = page.getByTestId('std');
  await std.click();
  await page.keyboard.type('+-0f');
  expect(await viewOf(page)).toBe(view);
  await expect(page.getByTestId('cancel')).toHaveCount(0);
  await expect(page.getByTestId('progress')).toHaveCount(0);
  await expect(page.getByTestId('extract-done')).toHaveCount(0);

  // Esc leaves the field (and cancels nothing); then the same keys are shortcuts again
  await page.keyboard.press('Escape');
  expect(await page.evaluate(() => document.activeElement?.tagName)).not.toBe('INPUT');
  await expect(badge).not.toHaveAttribute('data-off', /.*/);
  await shot(page, info, 'shortcut-badge-on');
  await page.keyboard.press('+');
  await expect.poll(() => viewOf(page)).not.toBe(view);
  const target = await page.getByTestId('extract-start').getAttribute('data-target');
  expect(Number(target)).toBeGreaterThan(0);
  await page.keyboard.press('e');
  await expect(page.getByTestId('extract-done')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('extract-done')).toHaveAttribute('data-saved', target!);
});

test('the hover tooltip hides while the wheel zooms or a drag pans, and comes back at rest for the tile under the pointer', async ({ page }, info) => {
  await openApp(page);
  await openDemo(page);
  const v = page.getByTestId('viewer');
  const box = (await v.boundingBox())!;
  const at = { x: box.x + box.width * 0.5, y: box.y + box.height * 0.45 };
  await page.mouse.move(at.x, at.y);
  const tip = page.getByTestId('tooltip');
  await expect(tip).toBeVisible();

  // zoom in about the pointer: the tile under it changes as the view moves
  await watchTooltipGone(page);
  const before = await viewOf(page);
  for (let i = 0; i < 3; i++) await page.mouse.wheel(0, -240);
  await expect.poll(() => viewOf(page)).not.toBe(before);
  await expect.poll(() => tooltipWentAway(page)).toBe(true);
  await expect(tip).toBeVisible();
  const atRest = await tip.getAttribute('data-tile');
  await shot(page, info, 'tooltip-back-at-rest');
  // the tile it names is the one a fresh pointer move finds there
  await page.mouse.move(at.x + 1, at.y);
  await page.mouse.move(at.x, at.y);
  await expect(tip).toHaveAttribute('data-tile', atRest!);

  // a drag pans: hidden while it moves, back once it rests
  await watchTooltipGone(page);
  const panned = await viewOf(page);
  await page.mouse.down();
  await page.mouse.move(at.x - 60, at.y - 40, { steps: 6 });
  await expect.poll(() => viewOf(page)).not.toBe(panned);
  await expect.poll(() => tooltipWentAway(page)).toBe(true);
  await page.mouse.up();
  await expect(tip).toBeVisible();
  const afterPan = await tip.getAttribute('data-tile');
  await page.mouse.move(at.x - 59, at.y - 40);
  await page.mouse.move(at.x - 60, at.y - 40);
  await expect(tip).toHaveAttribute('data-tile', afterPan!);
});

test('settings restored from the last visit say so; reset goes back to the defaults and the note goes', async ({ page }, info) => {
  await openApp(page);
  await openDemo(page);
  // a first visit runs on the defaults: nothing restored to mention
  await expect(page.getByTestId('settings-restored')).toHaveCount(0);
  const tileW = page.getByTestId('tile-w');
  const defaultW = await tileW.inputValue();
  const changedW = defaultW === '256' ? '384' : '256';
  await tileW.fill(changedW);
  await tileW.blur();
  await expect(tileW).toHaveValue(changedW);

  await page.reload();
  await openDemo(page);
  const note = page.getByTestId('settings-restored');
  await expect(note).toContainText('Settings restored from your last session');
  await expect(tileW).toHaveValue(changedW);
  await shot(page, info, 'settings-restored-note');

  await page.getByTestId('settings-reset').click();
  await expect(tileW).toHaveValue(defaultW);
  await expect(note).toHaveCount(0);
  // the defaults are what is saved now: the next visit has nothing to mention
  await page.reload();
  await openDemo(page);
  await expect(tileW).toHaveValue(defaultW);
  await expect(page.getByTestId('settings-restored')).toHaveCount(0);
});

test('nothing in the page asks for eval: no Content-Security-Policy violation from load to a finished export', async ({ page }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`));
  });
  await openApp(page);
  // the policy is there to be violated: the built page carries it
  await expect(page.locator('meta[http-equiv=Content-Security-Policy]')).toHaveAttribute('content', /script-src 'self' 'wasm-unsafe-eval'/);
  await openDemo(page);
  // the parts loaded on demand too: the help overlay, the viewer (above), an export with its zip
  await page.keyboard.press('?');
  await expect(page.getByTestId('help')).toBeVisible();
  await expect(page.getByTestId('help-typing')).toContainText('no shortcut fires');
  await page.keyboard.press('Escape');
  await page.getByTestId('limit').fill('4');
  await page.getByTestId('limit').blur();
  await page.getByTestId('extract-start').click();
  await expect(page.getByTestId('extract-done')).toBeVisible({ timeout: 60_000 });
  expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
});
