// Issue 9, item 5 (and item 7's "one number"): counts you can trust while they are being measured.
//  - before the std scan has finished, the panel never shows an optimistic "N to save": it says how
//    many tiles are sure, up to how many, and how many are still unmeasured; the Extract button says
//    "up to" the same ceiling; the scan shows its progress
//  - once measured, one number everywhere: the counts, the button, the zip's name and what the export
//    saves (the tiles in the zip)
// Every frame of the page is recorded from the click on the demo button to the end of the scan, so
// the check does not depend on catching the scan at the right moment. Real engine, real slide.
import { expect, readZip, shot, test } from './helpers.ts';

interface Frame {
  toSave: number;
  upTo: number;
  unmeasured: number;
  exact: boolean;
  /** the number the panel shows as "to save" */
  shown: number;
  shownText: string;
  unmeasuredShown: boolean;
  button: string;
  buttonTarget: number;
  scan: { measured: number; total: number } | null;
}

// installed before the app: one record per animation frame while the counts panel is there
const RECORDER = () => {
  const frames: unknown[] = [];
  (window as unknown as { __frames: unknown[] }).__frames = frames;
  const tick = () => {
    const c = document.querySelector('[data-testid=counts]');
    const b = document.querySelector('[data-testid=extract-start]');
    if (c && b) {
      const s = document.querySelector('[data-testid=scan]');
      const shownText = c.querySelector('[data-testid=count-accepted]')?.parentElement?.textContent ?? '';
      frames.push({
        toSave: Number(c.getAttribute('data-to-save')),
        upTo: Number(c.getAttribute('data-up-to')),
        unmeasured: Number(c.getAttribute('data-unmeasured')),
        exact: c.getAttribute('data-exact') === '1',
        shown: Number((c.querySelector('[data-testid=count-accepted]')?.textContent ?? '').replace(/,/g, '')),
        shownText,
        unmeasuredShown: c.querySelector('[data-testid=count-unmeasured]') !== null,
        button: b.textContent ?? '',
        buttonTarget: Number(b.getAttribute('data-target')),
        scan: s ? { measured: Number(s.getAttribute('data-measured')), total: Number(s.getAttribute('data-total')) } : null,
      });
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
};

// without a service worker the zip is built in memory and sent to the downloads when done
test.use({ serviceWorkers: 'block' });

test('the demo slide: unmeasured tiles are counted as such while the scan runs; then one number everywhere, equal to the tiles exported', async ({ page }, info) => {
  // the scan, then a whole export: on a shared 2-core machine this can take minutes
  test.setTimeout(300_000);
  await page.addInitScript(RECORDER);
  await page.goto('./');
  await page.getByTestId('demo').first().click();

  // mid-scan: the unmeasured tiles are named, the figure is a range, the scan shows its progress
  const unmeasured = page.getByTestId('count-unmeasured');
  await expect(unmeasured).toBeVisible({ timeout: 60_000 });
  await shot(page, info, 'counts-mid-scan');
  const mid = await page.evaluate(() => {
    const c = document.querySelector('[data-testid=counts]')!;
    return { exact: c.getAttribute('data-exact'), unmeasured: Number(c.getAttribute('data-unmeasured')), upTo: Number(c.getAttribute('data-up-to')) };
  });
  expect(mid.exact).toBe('0');
  expect(mid.unmeasured).toBeGreaterThan(0);

  // the end of the scan: exact, nothing unmeasured, no progress bar
  const counts = page.getByTestId('counts');
  await expect(counts).toHaveAttribute('data-exact', '1', { timeout: 120_000 });
  await expect(page.getByTestId('scan')).toHaveCount(0);
  await expect(unmeasured).toHaveCount(0);
  await expect(counts).toHaveAttribute('data-pending', '0');
  const n = Number(await counts.getAttribute('data-to-save'));
  expect(n).toBeGreaterThan(0);
  expect(Number(await counts.getAttribute('data-up-to'))).toBe(n);
  await expect(page.getByTestId('count-accepted')).toHaveText(String(n));
  const button = page.getByTestId('extract-start');
  await expect(button).toHaveAttribute('data-target', String(n));
  await expect(button).toContainText(new RegExp(`^Extract ${n} tiles`));
  await shot(page, info, 'counts-final');

  // every frame: while anything is unmeasured the panel shows the sure count and a ceiling, never
  // more as "to save"; the button says "up to" that same ceiling
  const frames = (await page.evaluate(() => (window as unknown as { __frames: unknown[] }).__frames)) as Frame[];
  const measuring = frames.filter((f) => !f.exact);
  expect(measuring.length, 'frames recorded before the counts were exact').toBeGreaterThan(0);
  for (const f of measuring) {
    expect(f.shown, JSON.stringify(f)).toBe(f.toSave);
    expect(f.shown, JSON.stringify(f)).toBeLessThan(f.upTo);
    expect(f.shownText, JSON.stringify(f)).toContain(`sure to save, up to ${f.upTo}`);
    expect(f.unmeasuredShown, JSON.stringify(f)).toBe(true);
    expect(f.buttonTarget, JSON.stringify(f)).toBe(f.upTo);
    expect(f.button, JSON.stringify(f)).toMatch(new RegExp(`^Extract up to ${f.upTo} tiles`));
  }
  for (const f of frames.filter((x) => x.exact)) {
    expect(f.shown, JSON.stringify(f)).toBe(f.upTo);
    expect(f.unmeasuredShown, JSON.stringify(f)).toBe(false);
    expect(f.button, JSON.stringify(f)).toMatch(new RegExp(`^Extract ${f.upTo} tiles`));
  }
  // the scan's progress was on screen, partway
  expect(frames.some((f) => f.scan !== null && f.scan.measured < f.scan.total)).toBe(true);
  info.annotations.push({ type: 'frames', description: `${frames.length} frames recorded, ${measuring.length} while tiles were unmeasured` });

  // the export saves exactly that many: the result, the zip's name and the tiles in it
  const downloading = page.waitForEvent('download');
  await button.click();
  const dl = await downloading;
  const done = page.getByTestId('extract-done');
  await expect(done).toBeVisible({ timeout: 120_000 });
  expect(Number(await done.getAttribute('data-saved'))).toBe(n);
  expect(dl.suggestedFilename()).toContain(`_${n}tiles`);
  const file = info.outputPath(dl.suggestedFilename());
  await dl.saveAs(file);
  const zip = await readZip(file);
  const tiles = Object.keys(zip.files).filter((f) => f.startsWith('tiles/') && !zip.files[f].dir);
  expect(tiles).toHaveLength(n);
  // and the counts still say the same number after the export fed its reads back
  await expect(counts).toHaveAttribute('data-to-save', String(n));
});
