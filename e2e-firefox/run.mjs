#!/usr/bin/env node
// The default (streamed) export in Debian's firefox-esr, driven over WebDriver BiDi by
// puppeteer-core (Playwright's own Firefox client needs a newer Firefox than ESR). One command:
//
//   node e2e-firefox/run.mjs
//
// Builds the app into dist-firefox/ when it is missing (SLIDETILE_FF_DIST to change, or to reuse a
// build), serves it with `vite preview` on 127.0.0.1:SLIDETILE_FF_PORT (default 4303), opens the
// real CMU-1-Small-Region.svs through the file input, exports a few hundred tiles through the
// default path — a zip streamed to a download by the app's service worker — and checks the file
// Firefox saved: every CRC (Info-ZIP `unzip -t` and JSZip), the entries, tiles.csv's rows, and that
// the page made no request outside its origin, and that nothing in the page tried an eval its
// Content-Security-Policy forbids (Firefox reports even a caught attempt). Exit code 0 when all holds.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';
import puppeteer from 'puppeteer-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CMU = path.resolve(ROOT, '../shared/slides/real/aperio/CMU-1-Small-Region.svs');
const FIREFOX = process.env.SLIDETILE_FIREFOX ?? '/usr/bin/firefox-esr';
const PORT = Number(process.env.SLIDETILE_FF_PORT ?? 4303);
const DIST = process.env.SLIDETILE_FF_DIST ?? 'dist-firefox';
const ORIGIN = `http://127.0.0.1:${PORT}`;
const TILE = 128;

const log = (...a) => console.log('[firefox]', ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function check(ok, what) {
  if (!ok) throw new Error(`FAILED: ${what}`);
  log(`ok: ${what}`);
}

async function until(what, f, ms = 120_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await sleep(250);
  }
}

if (!existsSync(FIREFOX)) throw new Error(`${FIREFOX} is missing: bash tools/setup-debian.sh installs firefox-esr`);
if (!existsSync(path.join(ROOT, DIST, 'index.html'))) {
  log(`building into ${DIST}/`);
  execFileSync('npx', ['vite', 'build', '--logLevel', 'error', '--outDir', DIST], { cwd: ROOT, stdio: 'inherit' });
}

const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort', '--outDir', DIST], { cwd: ROOT, stdio: 'ignore', detached: true });
const stopServer = () => {
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    // already gone
  }
};
const downloads = mkdtempSync(path.join(tmpdir(), 'slidetile-ff-dl-'));
let browser;
let status = 1;
try {
  await until('vite preview', () => fetch(ORIGIN + '/').then((r) => r.ok, () => false), 60_000);
  browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    extraPrefsFirefox: {
      // save every download into `downloads`, without asking
      'browser.download.folderList': 2,
      'browser.download.dir': downloads,
      'browser.download.useDownloadDir': true,
      'browser.download.always_ask_before_handling_new_types': false,
      'browser.helperApps.neverAsk.saveToDisk': 'application/zip,application/octet-stream',
      'browser.download.manager.showWhenStarting': false,
      'browser.download.alwaysOpenPanel': false,
      'dom.serviceWorkers.enabled': true,
    },
  });
  log(`browser ${await browser.version()}`);
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 860 });
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warn') log(`console.${m.type()}: ${m.text()}`);
  });

  // every CSP violation from the first script on (the listener is in place before the app runs)
  await page.evaluateOnNewDocument(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`),
    );
  });
  await page.goto(ORIGIN + '/', { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=offline][data-state=ready]', { timeout: 120_000 });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, { timeout: 60_000 });
  check(true, 'the service worker controls the page');

  const input = await page.waitForSelector('[data-testid=file-input]');
  await input.uploadFile(CMU);
  await page.waitForFunction(() => document.querySelector('[data-testid=slide-facts]')?.textContent?.includes('CMU-1-Small-Region.svs'), { timeout: 120_000 });
  check(true, 'the slide opened in the real wasm engine');

  // 128-px tiles, stride = tile, no std filter, no limit: 18 × 24 = 432 tiles
  const uncheck = async (id) => {
    const on = await page.$eval(`[data-testid=${id}]`, (e) => e.checked);
    if (on) await page.click(`[data-testid=${id}]`);
  };
  const setNumber = async (id, v) => {
    await page.locator(`[data-testid=${id}]`).fill(String(v));
    await page.$eval(`[data-testid=${id}]`, (e) => e.blur());
  };
  await uncheck('std-on');
  await uncheck('limit-on');
  await setNumber('tile-w', TILE);
  await setNumber('tile-h', TILE);
  await page.locator('button ::-p-text(stride = tile)').click();
  const want = Math.ceil(2220 / TILE) * Math.ceil(2967 / TILE);
  await page
    .waitForFunction((n) => document.querySelector('[data-testid=counts]')?.getAttribute('data-total') === String(n), { timeout: 180_000 }, want)
    .catch(async (e) => {
      // say what the page shows instead, so a failure names its cause
      const state = await page.evaluate(() =>
        ['tile-w', 'tile-h', 'stride-x', 'stride-y', 'std-on', 'limit-on']
          .map((id) => {
            const el = document.querySelector(`[data-testid=${id}]`);
            return `${id}=${el ? (el.type === 'checkbox' ? el.checked : el.value) : 'missing'}`;
          })
          .concat(`total=${document.querySelector('[data-testid=counts]')?.getAttribute('data-total')}`)
          .join(' '),
      );
      log(`waited for ${want} planned tiles; the page shows: ${state}`);
      throw e;
    });
  const pathNote = await page.$eval('[data-testid=export-path]', (e) => [e.getAttribute('data-path'), e.textContent]);
  check(pathNote[0] === 'zip-stream', `the panel names the streamed path: “${pathNote[1]}”`);

  await page.click('[data-testid=extract-start]');
  await page.waitForSelector('[data-testid=streaming]', { timeout: 60_000 });
  await page.waitForSelector('[data-testid=extract-done], [role=alert]', { timeout: 600_000 });
  const alert = await page.$('[role=alert]');
  if (alert) throw new Error(`export failed: ${await alert.evaluate((e) => e.textContent)}`);
  const saved = Number(await page.$eval('[data-testid=extract-done]', (e) => e.getAttribute('data-saved')));
  check(saved === want, `${saved} tiles saved of ${want} planned`);
  check((await page.$('[data-testid=streamed-download]')) !== null, 'the panel says the zip went to the downloads');
  check((await page.$('[data-testid=download]')) === null, 'no in-memory zip was built (no download button)');

  // Firefox writes NAME.part, then renames it to NAME when the stream has ended
  // the zip is named for what it holds (core/export/zipName.ts): the panel says which name it got
  const note = await page.$eval('[data-testid=streamed-download]', (e) => e.textContent ?? '');
  const zipName = /“([^”]+\.zip)”/.exec(note)?.[1] ?? '';
  check(zipName.startsWith('CMU-1-Small-Region_'), `the zip is named for its slide and plan: ${zipName}`);
  const file = path.join(downloads, zipName);
  await until(`${zipName} in ${downloads}`, () => existsSync(file) && !readdirSync(downloads).some((f) => f.endsWith('.part')));
  let size = -1;
  await until('the download to settle', () => {
    const s = statSync(file).size;
    const same = s === size && s > 0;
    size = s;
    return same;
  });
  log(`downloaded ${zipName}: ${(size / 1048576).toFixed(2)} MB`);

  const unzip = execFileSync('unzip', ['-tq', file], { encoding: 'utf8' });
  check(/No errors detected/.test(unzip), `unzip -t: ${unzip.trim()}`);
  const zip = await JSZip.loadAsync(readFileSync(file), { checkCRC32: true });
  const names = Object.keys(zip.files).filter((n) => !zip.files[n].dir);
  for (const n of names) await zip.file(n).async('uint8array'); // checkCRC32 verifies each entry
  const tiles = names.filter((n) => n.startsWith('tiles/'));
  check(tiles.length === saved, `${tiles.length} tile entries, every CRC verified by JSZip`);
  for (const n of ['tiles.csv', 'slide.json', 'plan.png', 'ratiopath_recipe.py']) check(names.includes(n), `${n} is in the zip`);
  check(names.length === saved + 4, `${names.length} entries in all`);
  const csv = (await zip.file('tiles.csv').async('string')).trim().split(/\r?\n/);
  check(csv.length - 1 === want, `tiles.csv has ${csv.length - 1} rows, one per planned tile`);
  const outside = requests.filter((u) => !u.startsWith('blob:') && !u.startsWith('data:') && new URL(u).origin !== ORIGIN);
  check(outside.length === 0, `no request left the origin (${requests.length} requests)`);
  const csp = await page.evaluate(() => window.__cspViolations);
  check(csp.length === 0, `no Content-Security-Policy violation (no eval attempted)${csp.length ? `: ${csp.join('; ')}` : ''}`);
  status = 0;
  log('PASS');
} catch (e) {
  console.error('[firefox]', e instanceof Error ? e.stack : e);
} finally {
  await browser?.close().catch(() => {});
  stopServer();
  rmSync(downloads, { recursive: true, force: true });
}
process.exit(status);
