// The std-scan figure (issue 9, item 5): how long the app's background std scan takes on the demo
// slide (CMU-1-Small-Region.svs: 30 tiles at 0.5 µm/px, 512²) from the moment it starts, next to a
// plain read of the same tiles with all workers and nothing else running (bench/page: plainScanReads).
// The scan should be no slower than that read. A third figure reads the same tiles with the app's
// overview picture read alongside, as the app does on opening: on the demo slide the overview is the
// whole of level 0, the very pixels the scan reads, so it says how much of the scan's time is that
// competition rather than the scan's own. Run from bench/run.mjs (`npm run bench`, or alone:
// `node bench/run.mjs --scan-only`, which prints the figure and writes no results).
//
// The app's side comes from its own clock: useStdScan marks `slidetile:std-scan:start` and measures
// `slidetile:std-scan` when a scan completes (performance.measure, detail = tiles). "Counts exact" is
// the click on the demo button → the counts panel's data-pending reaching 0, polled every frame.
import path from 'node:path';

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// installed before the app's scripts: the click on the demo button and the moment counts turn exact
const COUNTS_PROBE = () => {
  const st = { click: null, unmeasuredSeen: null, exact: null };
  window.__scanProbe = st;
  document.addEventListener('click', (e) => {
    if (st.click === null && e.target instanceof Element && e.target.closest('[data-testid=demo]')) st.click = performance.now();
  }, true);
  const tick = () => {
    const c = document.querySelector('[data-testid=counts]');
    if (c && st.click !== null) {
      const pending = Number(c.getAttribute('data-pending'));
      if (pending > 0 && st.unmeasuredSeen === null) st.unmeasuredSeen = performance.now();
      if (pending === 0 && st.unmeasuredSeen !== null && st.exact === null) st.exact = performance.now();
    }
    if (st.exact === null) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
};

/** The app: the demo slide in a fresh context; the scan's own measure and click → exact counts. */
async function appRun(o) {
  const ctx = await o.browser.newContext({ viewport: { width: 1400, height: 860 } });
  try {
    const page = await ctx.newPage();
    await page.addInitScript(COUNTS_PROBE);
    await page.goto(`http://127.0.0.1:${o.port}/`);
    await page.getByTestId('demo').first().click();
    await page.waitForFunction(() => performance.getEntriesByName('slidetile:std-scan', 'measure').length > 0 && window.__scanProbe.exact !== null, null, { timeout: 120_000, polling: 50 });
    return await page.evaluate(() => {
      const m = performance.getEntriesByName('slidetile:std-scan', 'measure')[0];
      const st = window.__scanProbe;
      return { scanMs: m.duration, tiles: m.detail?.tiles ?? null, workers: m.detail?.workers ?? null, clickToScanStartMs: m.startTime - st.click, clickToExactMs: st.exact - st.click };
    });
  } finally {
    await ctx.close();
  }
}

/**
 * { app: {runs, scanMs, clickToExactMs}, plain: {runs, elapsedMs}, tiles, workers, ratio }: medians
 * of `runs` runs each; ratio = app scan / plain read (≤ 1 is the target). The two alternate, run
 * after run, so a burst of other work on the machine costs both alike.
 */
export async function stdScanFigure(o) {
  o.log(`std scan: the app's scan of the demo slide vs a plain read of the same tiles (${o.runs} runs each)…`);
  // the bench page: the same tiles read once with all workers, nothing else competing
  const ctx = await o.browser.newContext({ viewport: { width: 1400, height: 860 } });
  const app = [];
  const plain = [];
  const plainOverview = [];
  try {
    const page = await ctx.newPage();
    await page.goto(`http://127.0.0.1:${o.port}/bench/`);
    await page.waitForFunction(() => typeof window.bench === 'object');
    await page.locator('#slide').setInputFiles(o.slide);
    for (let i = 0; i < o.runs; i++) {
      const a = await appRun(o);
      app.push(a);
      const p = await page.evaluate((n) => window.bench.plainScanReads(n), a.workers);
      plain.push(p);
      const po = await page.evaluate((n) => window.bench.plainScanReads(n, true), a.workers);
      plainOverview.push(po);
      o.log(`  run ${i + 1}: app scan ${Math.round(a.scanMs)} ms for ${a.tiles} tiles (${a.workers} workers; click → exact counts ${Math.round(a.clickToExactMs)} ms) · plain read ${Math.round(p.elapsedMs)} ms for ${p.tiles} tiles · with the overview alongside ${Math.round(po.elapsedMs)} ms`);
    }
    await page.evaluate(() => window.bench.close());
  } finally {
    await ctx.close();
  }
  const scanMs = median(app.map((r) => r.scanMs));
  const plainMs = median(plain.map((r) => r.elapsedMs));
  if (app.some((r) => r.tiles !== plain[0].tiles)) o.log(`  warning: the app scanned ${app.map((r) => r.tiles).join('/')} tiles, the plain read ${plain[0].tiles}`);
  return {
    slide: path.basename(o.slide),
    tiles: plain[0].tiles,
    workers: app[0].workers,
    app: { runs: app, scanMs, clickToExactMs: median(app.map((r) => r.clickToExactMs)) },
    plain: { runs: plain, elapsedMs: plainMs },
    // the same read with the app's overview read alongside (what the scan shares the workers with)
    plainWithOverview: { runs: plainOverview, elapsedMs: median(plainOverview.map((r) => r.elapsedMs)) },
    ratio: scanMs / plainMs,
    loadavg: (await import('node:os')).default.loadavg(),
  };
}

export function scanRows(s, fx) {
  return [
    { figure: `std scan, app, demo slide ${s.tiles} tiles (ms)`, slidetile: fx(s.app.scanMs, 0), native: `${fx(s.plain.elapsedMs, 0)} (plain read)`, ratio: fx(s.ratio, 2) + '×', target: '≤ 1× plain read', pass: s.ratio <= 1 },
    { figure: '  plain read with the overview read alongside (ms)', slidetile: fx(s.plainWithOverview.elapsedMs, 0), ratio: fx(s.app.scanMs / s.plainWithOverview.elapsedMs, 2) + '× (scan ÷ this)' },
    { figure: '  click on demo → counts exact (ms)', slidetile: fx(s.app.clickToExactMs, 0) },
  ];
}
