#!/usr/bin/env node
// `npm run bench`: Slidetile's speed and memory in headless Debian chromium, next to native OpenSlide
// (python3-openslide + PIL) on the same slides, in the same run. See bench/README.md.
//
//   node bench/run.mjs [--quick] [--no-build] [--port N] [--no-export | --export-only]
//                      [--export-paths cli-zip,cli-folder,app-stream,app-folder,app-memzip]
//                      [--export-small N] [--export-big N|all] [--scan-only]
//
// Steps: make the slides (tools/samples/make-bench-slides.sh, cached in bench/.cache), build the app
// and the bench page when stale, serve both, run the native twins, drive chromium (the real app for
// the first preview; bench/page — the real engine, core and extractor — for the rest), then print a
// table and write bench/results.json. The export-size figure (bench/export.mjs) runs last, or alone
// with --export-only (merged into the last results.json). The std-scan figure (bench/scan.mjs) runs
// after the first preview, or alone with --scan-only (printed, nothing written).
import { execFileSync, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync, readFileSync, readdirSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { EXPORT_PATHS, exportSizeFigure, exportTable, WASM_PROBE } from './export.mjs';
import { descendants, treeMemory } from './proc.mjs';
import { scanRows, stdScanFigure } from './scan.mjs';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(BENCH, '..');
const CACHE = path.join(BENCH, '.cache');
const PAGE_OUT = path.join(CACHE, 'page');
// the app is built here, not into dist/ (which `npm start` and the e2e suites build and serve)
const APP_OUT = path.join(CACHE, 'app');
const PY = '/usr/bin/python3';
const argv = process.argv.slice(2);
const args = new Set(argv);
/** the value of `--name V` or `--name=V` */
const opt = (name) => {
  const i = argv.findIndex((a) => a === name || a.startsWith(name + '='));
  if (i < 0) return undefined;
  return argv[i].includes('=') ? argv[i].slice(name.length + 1) : argv[i + 1];
};
const PORT = Number(opt('--port') ?? process.env.BENCH_PORT ?? 4180);
const QUICK = args.has('--quick');
const EXPORT_ONLY = args.has('--export-only');
const SCAN_ONLY = args.has('--scan-only');
// the std-scan figure: the app's scan of the demo slide vs a plain read of its tiles (bench/scan.mjs)
const DEMO_SLIDE = path.join(ROOT, 'public/demo/CMU-1-Small-Region.svs');
const SCAN_RUNS = QUICK ? 2 : 5;
const NO_EXPORT = args.has('--no-export');
const EXPORT_PATHS_RUN = (opt('--export-paths') ?? EXPORT_PATHS.join(',')).split(',').filter(Boolean);
for (const p of EXPORT_PATHS_RUN) if (!EXPORT_PATHS.includes(p)) throw new Error(`--export-paths: unknown path ${p} (${EXPORT_PATHS.join(', ')})`);
// the export-size figure: a small export and every tile (--quick: a smaller "big" one, to check the harness)
const EXPORT_SMALL = Number(opt('--export-small') ?? (QUICK ? 100 : 500));
const EXPORT_BIG = (opt('--export-big') ?? (QUICK ? '1000' : 'all')) === 'all' ? null : Number(opt('--export-big') ?? 1000);

// workload sizes (the recipe; --quick shrinks the counts for a smoke run)
const LIMIT = QUICK ? 60 : 300;
const RANDOM_READS = QUICK ? 60 : 300;
const MEMORY_READS = QUICK ? 200 : 1000;
const FIRST_PREVIEW_RUNS = QUICK ? 2 : 3;
const ROUNDS = QUICK ? 1 : 3;

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const log = (...a) => console.error('[bench]', ...a);
const started = Date.now();

// ---------------------------------------------------------------------------------------------
// slides

const SLIDES = {
  svs: path.join(CACHE, 'bench-aperio.svs'),
  generic: path.join(CACHE, 'bench-generic.tiff'),
  big: path.join(CACHE, 'bench-1gb.tiff'),
};

async function ensureSlides(needed = Object.values(SLIDES)) {
  const all = needed.length === Object.keys(SLIDES).length;
  const done = () => needed.every((p) => existsSync(p)) && (!all || existsSync(path.join(CACHE, 'bench-slides.json')));
  // another run may be writing them now (*.tmp growing): wait for it rather than race it
  for (let waited = 0; !done() && busyTmp() && waited < 3600; waited += 10) {
    if (waited % 60 === 0) log('bench slides are being written by another process; waiting…');
    await sleep(10_000);
  }
  if (!done()) {
    log('making the bench slides (tools/samples/make-bench-slides.sh)…');
    const r = spawnSync('bash', [path.join(ROOT, 'tools/samples/make-bench-slides.sh'), CACHE], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0 || !done()) throw new Error('make-bench-slides.sh failed');
  }
  return existsSync(path.join(CACHE, 'bench-slides.json')) ? JSON.parse(readFileSync(path.join(CACHE, 'bench-slides.json'), 'utf8')) : null;
}

function busyTmp() {
  if (!existsSync(CACHE)) return false;
  return readdirSync(CACHE).some((f) => f.endsWith('.tmp') && Date.now() - statSync(path.join(CACHE, f)).mtimeMs < 180_000);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// builds

function newest(p) {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = 0;
  for (const e of readdirSync(p)) if (e !== 'node_modules' && e !== '.cache') m = Math.max(m, newest(path.join(p, e)));
  return m;
}

function ensureBuilds({ page = true } = {}) {
  const wasm = path.join(ROOT, 'wasm/dist/slidetile-engine.wasm');
  if (!existsSync(wasm)) throw new Error('wasm/dist/slidetile-engine.wasm is missing: run `npm run build:wasm` first');
  const inputs = Math.max(...['src', 'index.html', 'public', 'wasm/dist', 'vite.config.ts', 'package.json'].map((p) => newest(path.join(ROOT, p))));
  const appIndex = path.join(APP_OUT, 'index.html');
  if (!args.has('--no-build') && (!existsSync(appIndex) || statSync(appIndex).mtimeMs < inputs)) {
    log(`building the app (npx vite build --outDir ${path.relative(ROOT, APP_OUT)})…`);
    execFileSync('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', APP_OUT, '--emptyOutDir'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  }
  if (!existsSync(appIndex)) throw new Error(`${path.relative(ROOT, appIndex)} is missing: run without --no-build`);
  if (!page) return;
  const pageIndex = path.join(PAGE_OUT, 'index.html');
  const pageInputs = Math.max(inputs, newest(path.join(BENCH, 'page')));
  if (!args.has('--no-build') && (!existsSync(pageIndex) || statSync(pageIndex).mtimeMs < pageInputs)) {
    log('building the bench page (bench/page)…');
    execFileSync('npx', ['vite', 'build', '--config', path.join(BENCH, 'page/vite.config.ts')], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  }
}

// ---------------------------------------------------------------------------------------------
// a tiny static server: the app at /, the bench page at /bench/. For the export figure, the app's
// scripts that instantiate wasm (the engine worker's chunk) get `import "/__bench-wasm-probe.js"`
// first, so the bench can read each engine worker's wasm heap (bench/export.mjs, WASM_PROBE).

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.svs': 'application/octet-stream', '.geojson': 'application/json' };

function serve() {
  const roots = [
    ['/bench/', PAGE_OUT],
    ['/', APP_OUT],
  ];
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (url === '/__bench-wasm-probe.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(WASM_PROBE);
      return;
    }
    for (const [prefix, dir] of roots) {
      if (!url.startsWith(prefix)) continue;
      let file = path.join(dir, url.slice(prefix.length));
      if (!file.startsWith(dir)) break;
      if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, 'index.html');
      if (!existsSync(file)) break;
      if (server.probe && dir === APP_OUT && file.endsWith('.js')) {
        const text = readFileSync(file, 'utf8');
        if (text.includes('WebAssembly')) {
          const body = `import "/__bench-wasm-probe.js";\n${text}`;
          res.writeHead(200, { 'content-type': 'text/javascript', 'content-length': Buffer.byteLength(body) }).end(body);
          return;
        }
      }
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'content-length': statSync(file).size });
      createReadStream(file).pipe(res);
      return;
    }
    res.writeHead(404).end('not found');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(PORT, '127.0.0.1', () => resolve(server));
  });
}

// ---------------------------------------------------------------------------------------------
// memory of the browser's processes, from /proc

/** Sum of VmRSS and of Pss over chromium processes under this node process, in bytes (bench/proc.mjs). */
function browserMemory() {
  return treeMemory(process.pid, 'chromium');
}

const CLK_TCK = 100;

/**
 * CPU seconds used so far by each chromium thread under this node process, keyed by pid/tid, with
 * its "process type/thread name" (e.g. "renderer/DedicatedWorker", "browser/Chrome_IOThread").
 */
function cpuByThread() {
  const out = {};
  for (const pid of descendants(process.pid)) {
    try {
      if (!readlinkSync(`/proc/${pid}/exe`).includes('chromium')) continue;
      const type = /--type=([a-z-]+)/.exec(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '))?.[1] ?? 'browser';
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const st = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const name = st.slice(st.indexOf('(') + 1, st.lastIndexOf(')')).replace(/[0-9]+$/, '');
        const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
        out[`${pid}/${tid}`] = { key: `${type}/${name}`, s: (Number(f[11]) + Number(f[12])) / CLK_TCK };
      }
    } catch {
      // gone
    }
  }
  return out;
}

/** Per thread (by tid, so threads that start in between count whole), summed by process type/name. */
function cpuDelta(a, b) {
  const d = {};
  for (const [tid, { key, s }] of Object.entries(b)) d[key] = (d[key] ?? 0) + s - (a[tid]?.s ?? 0);
  const out = Object.entries(d).filter(([, x]) => x >= 0.05).map(([k, x]) => [k, Math.round(x * 100) / 100]);
  return Object.fromEntries(out.sort((x, y) => y[1] - x[1]));
}

class MemorySampler {
  constructor(ms = 100) {
    this.peak = { rss: 0, pss: 0, processes: 0 };
    this.timer = setInterval(() => this.sample(), ms);
  }
  sample() {
    const m = browserMemory();
    if (m.rss > this.peak.rss) this.peak = { ...this.peak, rss: m.rss, processes: m.processes };
    if (m.pss > this.peak.pss) this.peak.pss = m.pss;
    return m;
  }
  stop() {
    clearInterval(this.timer);
    this.sample();
    return this.peak;
  }
}

// ---------------------------------------------------------------------------------------------
// native twins

function native(...a) {
  const out = execFileSync(PY, [path.join(BENCH, 'native.py'), ...a], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  return JSON.parse(out);
}

/** Seeded level-0 origins for size² reads, the same list for the page and for native. */
function randomOrigins(w, h, size, n, seed) {
  let s = seed >>> 0;
  const rnd = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: n }, () => [Math.floor(rnd() * (w - size)), Math.floor(rnd() * (h - size))]);
}

// ---------------------------------------------------------------------------------------------
// the browser

async function launch() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

// Instrumentation for the real app, installed before its scripts: the moment the file input changes
// (the File is handed to the app), the first ImageBitmap the viewer draws (preview pixels: the
// overview or a pyramid region), and the viewer's data-drawn (grid boxes in the last frame). The
// first frame with both, plus one animation frame, is "first preview with the grid drawn".
const APP_PROBE = () => {
  const st = { t0: null, pixels: null, grid: null, both: null, painted: null, boxes: 0 };
  window.__st = st;
  document.addEventListener('change', (e) => {
    if (st.t0 === null && e.target instanceof HTMLInputElement && e.target.type === 'file') st.t0 = performance.now();
  }, true);
  const draw = CanvasRenderingContext2D.prototype.drawImage;
  CanvasRenderingContext2D.prototype.drawImage = function (img, ...rest) {
    if (st.pixels === null && st.t0 !== null && img instanceof ImageBitmap) st.pixels = performance.now();
    return draw.call(this, img, ...rest);
  };
  new MutationObserver((records) => {
    for (const r of records) {
      const n = Number(r.target.dataset?.drawn ?? 0);
      if (!(n > 0) || st.t0 === null) continue;
      if (st.grid === null) st.grid = performance.now();
      if (st.both === null && st.pixels !== null) {
        st.both = performance.now();
        st.boxes = n;
        requestAnimationFrame(() => requestAnimationFrame(() => (st.painted = performance.now())));
      }
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-drawn'] });
};

async function firstPreview(browser, slide) {
  const runs = [];
  for (let i = 0; i < FIRST_PREVIEW_RUNS; i++) {
    // a fresh context each time: no engine, no wasm instance, no settings left from the previous run
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 860 } });
    const page = await ctx.newPage();
    await page.addInitScript(APP_PROBE);
    await page.goto(`http://127.0.0.1:${PORT}/`);
    await page.getByTestId('file-input').first().waitFor({ state: 'attached' });
    const wall0 = Date.now();
    await page.getByTestId('file-input').first().setInputFiles(slide);
    await page.waitForFunction(() => window.__st?.painted !== null, null, { timeout: 60_000, polling: 50 });
    const wall = Date.now() - wall0;
    const st = await page.evaluate(() => window.__st);
    runs.push({ ms: st.painted - st.t0, pixelsMs: st.pixels - st.t0, gridMs: st.grid - st.t0, boxes: st.boxes, wallMs: wall });
    await ctx.close();
  }
  return runs;
}

async function benchPage(browser) {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 860 } });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => log('page error:', e.message));
  await page.goto(`http://127.0.0.1:${PORT}/bench/`);
  await page.waitForFunction(() => typeof window.bench === 'object');
  return { ctx, page };
}

async function pickFile(page, file) {
  await page.locator('#slide').setInputFiles(file);
}

// ---------------------------------------------------------------------------------------------
// sizes

function gz(file) {
  return gzipSync(readFileSync(file), { level: 9 }).length;
}

function sizes() {
  const wasm = path.join(ROOT, 'wasm/dist/slidetile-engine.wasm');
  const glue = path.join(ROOT, 'wasm/dist/slidetile-engine.mjs');
  const assets = path.join(APP_OUT, 'assets');
  const js = readdirSync(assets).filter((f) => f.endsWith('.js'));
  const perFile = Object.fromEntries(js.map((f) => [f, { raw: statSync(path.join(assets, f)).size, gzip: gz(path.join(assets, f)) }]));
  return {
    wasm: { raw: statSync(wasm).size, gzip: gz(wasm) },
    wasmGlue: existsSync(glue) ? { raw: statSync(glue).size, gzip: gz(glue) } : null,
    appJs: { raw: js.reduce((a, f) => a + perFile[f].raw, 0), gzip: js.reduce((a, f) => a + perFile[f].gzip, 0), files: perFile },
  };
}

// ---------------------------------------------------------------------------------------------
// report

const MB = (b) => (b / 1048576).toFixed(1) + ' MB';
const fx = (v, d = 1) => (v === null || v === undefined || Number.isNaN(v) ? '—' : Number(v).toFixed(d));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function table(rows) {
  const head = ['figure', 'Slidetile', 'native', 'ratio', 'target', ''];
  const cells = [head, ...rows.map((r) => [r.figure, r.slidetile, r.native ?? '', r.ratio ?? '', r.target ?? '', r.pass === undefined ? '' : r.pass ? 'PASS' : 'MISS'])];
  const w = head.map((_, i) => Math.max(...cells.map((c) => String(c[i]).length)));
  const line = (c) => '| ' + c.map((x, i) => String(x).padEnd(w[i])).join(' | ') + ' |';
  return [line(cells[0]), '|' + w.map((n) => '-'.repeat(n + 2)).join('|') + '|', ...cells.slice(1).map(line)].join('\n');
}

// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// the export-size figure (bench/export.mjs)

// --export-slide FILE: another slide for the figure (to check the harness on a small one)
const EXPORT_SLIDE = opt('--export-slide') ? path.resolve(opt('--export-slide')) : null;

async function runExportFigure(server) {
  const slide = EXPORT_SLIDE ?? SLIDES.svs;
  const info = oracleInfo(slide);
  const [w, h] = info.level_dimensions[0];
  // level 0, 256² tiles, stride 256, last=shift: ceil per axis
  const totalTiles = Math.ceil(w / 256) * Math.ceil(h / 256);
  // this run's own folder (two runs may share the machine, e.g. --export-paths cli-… and app-…)
  mkdirSync(path.join(CACHE, 'export-scratch'), { recursive: true });
  const scratch = mkdtempSync(path.join(CACHE, 'export-scratch', 'run-'));
  const load0 = os.loadavg();
  if (server) server.probe = true;
  try {
    const fig = await exportSizeFigure({ root: ROOT, slide, port: PORT, chromiumArgs: CHROMIUM_ARGS, log, scratch, paths: EXPORT_PATHS_RUN, small: EXPORT_SMALL, big: EXPORT_BIG, totalTiles });
    fig.slide = { file: path.basename(slide), bytes: statSync(slide).size, level0: [w, h] };
    fig.date = new Date().toISOString();
    fig.loadavg = [load0, os.loadavg()];
    fig.machine = { cores: os.cpus().length, memoryBytes: os.totalmem(), chromium: chromiumVersion(), node: process.version };
    return fig;
  } finally {
    if (server) server.probe = false;
    rmSync(scratch, { recursive: true, force: true });
  }
}

function chromiumVersion() {
  try {
    return execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().replace(/^Chromium\s*/, '').split(' ')[0];
  } catch {
    return null;
  }
}

function exportFooter(fig) {
  const m = fig.machine;
  return `${fig.date.slice(0, 10)} · ${m.cores} cores · ${MB(m.memoryBytes)} · chromium ${m.chromium} · node ${m.node} · load average ${fig.loadavg[0].map((x) => x.toFixed(2)).join(' ')} at start, ${fig.loadavg[1].map((x) => x.toFixed(2)).join(' ')} at end`;
}

/** `--export-only`: the export-size figure alone, merged into the last results.json and README. */
async function exportOnly() {
  if (!EXPORT_SLIDE) await ensureSlides([SLIDES.svs]);
  const app = EXPORT_PATHS_RUN.some((p) => p.startsWith('app-'));
  if (app) ensureBuilds({ page: false });
  const server = app ? await serve() : null;
  if (server) log(`serving the app on http://127.0.0.1:${PORT}/`);
  const load0 = os.loadavg();
  if (load0[0] > 1.5) log(`warning: load average ${load0.map((x) => x.toFixed(2)).join(' ')} — memory peaks hold, speeds are noisy`);
  let fig;
  try {
    fig = await runExportFigure(server);
  } finally {
    server?.close();
  }
  const file = path.join(BENCH, 'results.json');
  const results = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  // paths not run this time keep their last figures, when those were of the same sizes
  // (each path records its own sizes: e.g. a quicker big export for one path on a busy machine)
  const prev = results.exportSize;
  if (prev && prev.totalTiles === fig.totalTiles && prev.slide?.file === fig.slide.file) {
    const mark = (r) => (r && !r.earlier ? { ...r, earlier: prev.date } : r);
    for (const [p, e] of Object.entries(prev.runs)) if (!(p in fig.runs)) fig.runs[p] = { ...e, small: mark(e.small), big: mark(e.big) };
  }
  results.exportSize = fig;
  if (results.native && results.memory && results.extract) {
    results.targets = evaluate(results);
    results.table = table(results.targets.rows);
  }
  if (!QUICK && !EXPORT_SLIDE) {
    writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
    updateReadme(results);
  } else writeFileSync(path.join(CACHE, 'results-export-quick.json'), JSON.stringify(fig, null, 2) + '\n');
  console.log(exportTable(fig));
  console.log(`\n${exportFooter(fig)}`);
}

/** `--scan-only`: the std-scan figure alone, printed; results.json and the README are left alone. */
async function scanOnly() {
  ensureBuilds();
  const server = await serve();
  const browser = await launch();
  try {
    const s = await stdScanFigure({ browser, port: PORT, slide: DEMO_SLIDE, runs: SCAN_RUNS, log });
    console.log(table(scanRows(s, fx)));
    console.log(JSON.stringify(s, null, 2));
  } finally {
    await browser.close();
    server.close();
  }
}

async function main() {
  if (EXPORT_ONLY) return exportOnly();
  if (SCAN_ONLY) return scanOnly();
  const slidesInfo = await ensureSlides();
  ensureBuilds();
  const server = await serve();
  log(`serving dist/ and the bench page on http://127.0.0.1:${PORT}/`);
  const load0 = os.loadavg();
  if (load0[0] > 1.5) log(`warning: load average ${load0.map((x) => x.toFixed(2)).join(' ')} — other work on the machine makes figures noisy; ratios (best of rounds) are the robust part`);
  const results = { date: new Date().toISOString(), quick: QUICK, workload: { limit: LIMIT, randomReads: RANDOM_READS, memoryReads: MEMORY_READS, rounds: ROUNDS }, loadavgStart: load0, slides: slidesInfo };
  try {
    const svsInfo = oracleInfo(SLIDES.svs);
    const [W, H] = svsInfo.level_dimensions[0];
    const xy = randomOrigins(W, H, 512, RANDOM_READS, 1234);
    const coordsFile = path.join(CACHE, 'random-svs.json');
    writeFileSync(coordsFile, JSON.stringify({ level: 0, size: 512, xy }));
    results.native = { vendor: svsInfo.vendor, mpp: svsInfo.properties['openslide.mpp-x'], objectivePower: svsInfo.properties['openslide.objective-power'], extractRounds: [], randomRounds: [] };
    log(`slide: ${path.basename(SLIDES.svs)} (${svsInfo.vendor}, ${W}×${H}, mpp ${results.native.mpp}, ${MB(statSync(SLIDES.svs).size)})`);

    const browser = await launch();
    const chromiumVersion = browser.version();
    let cores;
    try {
      log('app: time from the File to the first preview with the grid drawn…');
      const fp = await firstPreview(browser, SLIDES.svs);
      results.firstPreview = { runs: fp, coldMs: fp[0].ms, warmMs: median(fp.slice(1).map((r) => r.ms)) };
      log(`app: first preview ${fp.map((r) => fx(r.ms, 0)).join(' / ')} ms`);
      results.stdScan = await stdScanFigure({ browser, port: PORT, slide: DEMO_SLIDE, runs: SCAN_RUNS, log });

      const { ctx, page } = await benchPage(browser);
      cores = await page.evaluate(() => window.bench.cores());
      log('page: plan times…');
      results.plan = {
        '100k': await page.evaluate(() => window.bench.plan(100_000)),
        '1M': await page.evaluate(() => window.bench.plan(1_000_000)),
      };
      await pickFile(page, SLIDES.svs);
      log('page: open + overview + plan (the first preview, decomposed)…');
      results.openParts = await page.evaluate(() => window.bench.open(1, true));
      await page.evaluate(() => window.bench.close());

      // the twins alternate, round after round, and each side keeps its best round: a burst of other
      // work on the machine then costs both sides alike or neither
      const counts = [...new Set([1, 2, cores])];
      results.extractRounds = [];
      results.randomRounds = [];
      for (let round = 0; round < ROUNDS; round++) {
        log(`round ${round + 1}/${ROUNDS}: native seed loop…`);
        const ne = native('extract', SLIDES.svs, '--limit', String(LIMIT));
        results.native.extractRounds.push(ne);
        log(`  native: ${fx(ne.tiles_per_s)} saved tiles/s, mean PNG ${fx(ne.mean_png_bytes / 1024, 0)} KiB`);
        const er = {};
        for (const n of counts) {
          const cpu0 = cpuByThread();
          er[n] = await page.evaluate(([w, l]) => window.bench.extract(w, l), [n, LIMIT]);
          // where the CPU went during the run, per chromium process type and thread (from /proc)
          er[n].cpuSeconds = cpuDelta(cpu0, cpuByThread());
          await page.evaluate(() => window.bench.close());
          log(`  page, ${n} worker(s): ${fx(er[n].tilesPerS)} saved tiles/s, mean PNG ${fx(er[n].meanPngBytes / 1024, 0)} KiB`);
        }
        results.extractRounds.push(er);
        const nr = native('random', SLIDES.svs, coordsFile);
        results.native.randomRounds.push(nr);
        await page.evaluate(() => window.bench.open(1));
        const pr = await page.evaluate(([c]) => window.bench.reads(c, 0, 512, 2), [xy]);
        await page.evaluate(() => window.bench.close());
        results.randomRounds.push(pr);
        log(`  random 512² reads/s: native ${fx(nr.reads_per_s)} per process, page ${fx(pr.readsPerS)} per worker`);
      }
      const best = (xs, key) => xs.reduce((a, b) => (b[key] > a[key] ? b : a));
      results.native.extract = best(results.native.extractRounds, 'tiles_per_s');
      results.native.random = best(results.native.randomRounds, 'reads_per_s');
      results.extract = Object.fromEntries(counts.map((n) => [n, best(results.extractRounds.map((r) => r[n]), 'tilesPerS')]));
      results.random = best(results.randomRounds, 'readsPerS');

      // the profile behind the closing note: phases clocked inside one engine worker
      log('profile: phases inside one engine worker, and the wasm engine in Node…');
      results.profile = { browserWorker: {} };
      results.profile.browserWorker.open = await page.evaluate(() => window.bench.diag.open());
      results.profile.browserWorker.reads = await page.evaluate(([c]) => window.bench.diag.reads(c), [xy]);
      results.profile.browserWorker.tiles = await page.evaluate((n) => window.bench.diag.tiles(n), QUICK ? 20 : 60);
      // the experiment: the same worker with file reads served from 64 KiB aligned blocks (LRU, 16 MB)
      results.profile.blocks64k = {};
      results.profile.blocks64k.open = await page.evaluate(() => window.bench.diag.open(65536));
      results.profile.blocks64k.reads = await page.evaluate(([c]) => window.bench.diag.reads(c), [xy]);
      results.profile.blocks64k.tiles = await page.evaluate((n) => window.bench.diag.tiles(n), QUICK ? 20 : 60);
      await page.evaluate(() => window.bench.diag.close());
      results.profile.nodeWasm = tsxJson('node-reads.ts', SLIDES.svs, coordsFile);
      results.profile.pngLevels = tsxJson('png-levels.ts', SLIDES.svs, QUICK ? '10' : '40');
      await ctx.close();
    } finally {
      await browser.close();
    }

    // memory: a fresh browser per slide, MEMORY_READS random level-0 512² reads with every worker
    results.memory = {};
    for (const key of ['svs', 'big']) {
      const file = SLIDES[key];
      const info = oracleInfo(file);
      const [w, h] = info.level_dimensions[0];
      const pts = randomOrigins(w, h, 512, MEMORY_READS, 99);
      log(`memory: ${MEMORY_READS} random reads on ${path.basename(file)} (${MB(statSync(file).size)})…`);
      const b = await launch();
      try {
        const { page } = await benchPage(b);
        await pickFile(page, file);
        const idle = browserMemory();
        const sampler = new MemorySampler(100);
        await page.evaluate((n) => window.bench.open(n), cores);
        const r = await page.evaluate(([c, n]) => window.bench.reads(c, 0, 512, 2 * n), [pts, cores]);
        const peak = sampler.stop();
        await page.evaluate(() => window.bench.close());
        results.memory[key] = { file: path.basename(file), fileBytes: statSync(file).size, level0: [w, h], idle, peak, heaps: r.heaps, reads: r.reads, readsPerS: r.readsPerS, workers: r.workers };
        log(`memory: peak RSS ${MB(peak.rss)} (PSS ${MB(peak.pss)}), wasm heaps ${r.heaps.map(MB).join(', ')}`);
      } finally {
        await b.close();
      }
    }
    // the export-size figure: every export path, a small export and every tile (bench/export.mjs)
    if (!NO_EXPORT) results.exportSize = await runExportFigure(server);
    results.sizes = sizes();
    results.machine = {
      cores: os.cpus().length,
      hardwareConcurrency: cores,
      cpu: os.cpus()[0]?.model,
      memoryBytes: os.totalmem(),
      chromium: chromiumVersion,
      node: process.version,
      native: results.native.extract.versions,
      os: `${os.type()} ${os.release()}`,
    };
  } finally {
    server.close();
  }
  results.loadavgEnd = os.loadavg();

  results.targets = evaluate(results);
  results.table = table(results.targets.rows);
  results.profileText = profileText(results);
  results.elapsedS = (Date.now() - started) / 1000;
  writeFileSync(path.join(BENCH, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  updateReadme(results);
  console.log(results.table);
  if (results.exportSize) console.log('\nexport size (peak memory, a small export vs every tile):\n' + exportTable(results.exportSize));
  console.log('\n' + results.profileText);
  console.log(`\n${results.date} · ${results.machine.cores} cores · ${MB(results.machine.memoryBytes)} · chromium ${results.machine.chromium} · node ${results.machine.node} · OpenSlide ${results.machine.native.openslide} · load ${results.loadavgStart.map((x) => x.toFixed(1)).join(' ')} · ${fx(results.elapsedS, 0)} s`);
}

function oracleInfo(file) {
  return JSON.parse(execFileSync(PY, [path.join(ROOT, 'tools/oracle/oracle.py'), 'info', file], { encoding: 'utf8', maxBuffer: 1 << 26 }));
}

function tsxJson(script, ...a) {
  const out = execFileSync('npx', ['tsx', path.join(BENCH, script), ...a], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return JSON.parse(out.trim().split('\n').pop());
}

/** Where the time goes, per phase, next to native's phases. */
function profileText(r) {
  const p = r.profile;
  const n = r.native;
  const bw = p.browserWorker;
  const bk = p.blocks64k;
  const t = bw.tiles;
  const ne = n.extract;
  const allW = Math.max(...Object.keys(r.extract).map(Number));
  const all = r.extract[allW];
  const lines = [
    'where the time goes (one worker, sequential; ms). The diagnostic worker (bench/page/diag-worker.ts) pays more per file read than',
    `the engine's own worker (random read: ${fx(bw.reads.msPerRead)} vs ${fx(r.random.elapsedMs / r.random.reads)} ms; open: ${fx(bw.open.openMs, 0)} vs ${fx(r.openParts.openMs, 0)} ms incl. instantiate), not yet explained: read its I/O figures as relative.`,
    `  random 512² read      page worker ${fx(bw.reads.msPerRead)} (file reads ${fx(bw.reads.fsReadMsPerRead)} in ${fx(bw.reads.ioCallsPerRead, 0)} FileReaderSync calls) · wasm in Node ${fx(p.nodeWasm.msPerRead)} (file reads ${fx(p.nodeWasm.ioMsPerRead, 2)}) · native ${fx(n.random.ms_per_read)}`,
    `    with 64 KiB blocks  page worker ${fx(bk.reads.msPerRead)} (file reads ${fx(bk.reads.fsReadMsPerRead)} in ${fx(bk.reads.ioCallsPerRead, 1)} FileReaderSync calls)`,
    `  …of which cached      wasm in Node ${fx(p.nodeWasm.cachedMsPerRead)} · native ${fx(n.random.cached_ms_per_read)}   (tiles already decoded: compositing + conversion)`,
    `  seed recipe per saved tile (${t.saved} saved of ${t.examined} read):`,
    `    read_tile (+std)    page worker ${fx(t.msPerSaved.read)} (+${fx(t.msPerSaved.std)}), with 64 KiB blocks ${fx(bk.tiles.msPerSaved.read)} · native ${fx((1000 * ne.split_s.read_tile) / ne.saved)} (+${fx((1000 * ne.split_s.std) / ne.saved)})`,
    `    PNG encode          browser convertToBlob ${fx(t.msPerSaved.browserPng)} (${fx(t.meanBytes.browserPng / 1024, 0)} KiB, zlib FLEVEL ${t.browserPngHeader.flevel}, row filters ${JSON.stringify(t.browserPngHeader.rowFilters)}) · adaptive filters + CompressionStream zlib ${fx(t.msPerSaved.zlibPng)} (${fx(t.meanBytes.zlibPng / 1024, 0)} KiB) · PIL ${fx((1000 * ne.split_s.png_save) / ne.saved)} (${fx(ne.mean_png_bytes / 1024, 0)} KiB)`,
    `    PNG, adaptive filters + zlib level k (Node zlib, ${p.pngLevels.tiles} tiles; filters in JS ${fx(p.pngLevels.adaptiveFilterJsMsPerTile)} ms extra): ` +
      Object.entries(p.pngLevels.levels).map(([k, v]) => `${k.replace('zlib', 'L')} ${fx(v.meanBytes / 1024, 0)} KiB ${fx(v.msPerTile)} ms`).join(' · '),
    `  CPU seconds during the ${allW}-worker extraction (${fx(all.elapsedMs / 1000)} s wall, ${r.machine.cores} cores): ` +
      Object.entries(all.cpuSeconds ?? {}).slice(0, 8).map(([k, v]) => `${k} ${fx(v)}`).join(' · '),
    `  open                  page worker: instantiate ${fx(bw.open.instantiateMs, 0)}, openslide_open ${fx(bw.open.openMs, 0)} (file reads ${fx(bw.open.fsReads.ms, 0)} in ${bw.open.io.calls} FileReaderSync calls, ${fx(bw.open.io.bytes / 1024, 0)} KiB); with 64 KiB blocks ${fx(bk.open.openMs, 0)} (${bk.open.io.calls} calls) · native open ${fx(ne.open_s * 1000, 1)}`,
  ];
  return lines.join('\n');
}

function evaluate(r) {
  const rows = [];
  const n = r.native.extract;
  const fp = r.firstPreview;
  rows.push({ figure: 'first preview with grid, app, cold (ms)', slidetile: fx(fp.coldMs, 0), target: '≤ 1000', pass: fp.coldMs <= 1000 });
  rows.push({ figure: 'first preview with grid, app, warm (ms)', slidetile: fx(fp.warmMs, 0), target: '≤ 1000', pass: fp.warmMs <= 1000 });
  const op = r.openParts;
  rows.push({ figure: '  open / overview / plan, page (ms)', slidetile: `${fx(op.openMs, 0)} / ${fx(op.overviewMs, 0)} / ${fx(op.planMs, 0)}`, native: fx(n.open_s * 1000, 1) + ' (open)' });
  if (r.stdScan) rows.push(...scanRows(r.stdScan, fx));
  rows.push({ figure: `plan ${r.plan['100k'].tiles.toLocaleString('en-US')} tiles (ms)`, slidetile: fx(r.plan['100k'].planMs), target: '≤ 50', pass: r.plan['100k'].planMs <= 50 });
  rows.push({ figure: `plan ${r.plan['1M'].tiles.toLocaleString('en-US')} tiles (ms)`, slidetile: fx(r.plan['1M'].planMs) });
  const ws = Object.keys(r.extract).map(Number).sort((a, b) => a - b);
  const all = r.extract[Math.max(...ws)];
  for (const w of ws) {
    const e = r.extract[w];
    const ratio = e.tilesPerS / n.tiles_per_s;
    const isAll = w === Math.max(...ws);
    rows.push({ figure: `extraction, ${w} worker${w > 1 ? 's' : ''}${isAll ? ' (all)' : ''} (saved tiles/s)`, slidetile: fx(e.tilesPerS), native: fx(n.tiles_per_s), ratio: fx(ratio, 2) + '×', ...(isAll ? { target: '≥ 3×', pass: ratio >= 3 } : {}) });
  }
  const pngRatio = all.meanPngBytes / n.mean_png_bytes;
  rows.push({ figure: 'mean PNG file (KiB)', slidetile: fx(all.meanPngBytes / 1024, 0), native: fx(n.mean_png_bytes / 1024, 0), ratio: fx(pngRatio, 2) + '×', target: '≤ 1.25×', pass: pngRatio <= 1.25 });
  const same = ws.every((w) => r.extract[w].savedIndicesSha1 === n.saved_indices_sha1);
  rows.push({ figure: 'same saved tiles as native', slidetile: same ? 'yes' : 'NO', native: `${n.saved}/${n.examined}` });
  const rr = r.random.readsPerS / r.native.random.reads_per_s;
  rows.push({ figure: 'random 512² readRegion per worker (reads/s)', slidetile: fx(r.random.readsPerS), native: fx(r.native.random.reads_per_s), ratio: fx(rr, 2) + '×', target: '≥ 0.6×', pass: rr >= 0.6 });
  const ms = r.memory.svs;
  const mb = r.memory.big;
  const rssRatio = mb.peak.rss / ms.peak.rss;
  const heapRatio = Math.max(...mb.heaps) / Math.max(...ms.heaps);
  rows.push({ figure: `peak browser RSS, ${MB(ms.fileBytes)} SVS`, slidetile: MB(ms.peak.rss) });
  rows.push({ figure: `peak browser RSS, ${MB(mb.fileBytes)} TIFF`, slidetile: MB(mb.peak.rss), ratio: fx(rssRatio, 2) + '× of SVS', target: 'flat (≤ 1.25×)', pass: rssRatio <= 1.25 });
  rows.push({ figure: 'wasm heap per worker, SVS / 1 GB TIFF', slidetile: `${ms.heaps.map(MB).join(', ')} / ${mb.heaps.map(MB).join(', ')}`, ratio: fx(heapRatio, 2) + '×', target: 'flat (≤ 1.25×)', pass: heapRatio <= 1.25 });
  const ex = r.exportSize;
  if (ex) {
    const n = (x) => (x?.limit === null ? `all ${ex.totalTiles.toLocaleString('en-US')}` : (x?.limit ?? '—').toLocaleString('en-US'));
    for (const [p, e] of Object.entries(ex.runs)) {
      const v = (x) => (x?.error ? 'failed' : x?.peak ? MB(x.peak.rss) : '—');
      rows.push({ figure: `export peak RSS, ${p}, ${n(e.small)} / ${n(e.big)} tiles`, slidetile: `${v(e.small)} / ${v(e.big)}`, ratio: e.ratio ? fx(e.ratio, 2) + '×' : '', target: `flat (≤ ${ex.flatWithin}×)`, pass: e.ratio ? e.flat : undefined });
    }
  }
  rows.push({ figure: 'wasm module, gzip -9', slidetile: MB(r.sizes.wasm.gzip), target: '≤ 3 MB', pass: r.sizes.wasm.gzip <= 3 * 1048576 });
  rows.push({ figure: 'app bundle assets/*.js, gzip -9', slidetile: MB(r.sizes.appJs.gzip) });
  return { rows, allPassed: rows.every((x) => x.pass !== false) };
}

function updateReadme(r) {
  const file = path.join(BENCH, 'README.md');
  if (!existsSync(file) || r.quick) return;
  let text = readFileSync(file, 'utf8');
  const put = (name, body) => {
    const begin = `<!-- bench:${name}:begin -->`;
    const end = `<!-- bench:${name}:end -->`;
    const i = text.indexOf(begin);
    const j = text.indexOf(end);
    if (i >= 0 && j > i) text = text.slice(0, i + begin.length) + body + text.slice(j);
  };
  const m = r.machine;
  if (r.table && r.machine) put('table', `\n${r.table}\n\n${r.date.slice(0, 10)} · ${m.cores} cores (${m.cpu}) · ${MB(m.memoryBytes)} · chromium ${m.chromium} · node ${m.node} · native OpenSlide ${m.native.openslide}, PIL ${m.native.pil} · load average at start ${r.loadavgStart.map((x) => x.toFixed(2)).join(' ')} · full run ${fx(r.elapsedS, 0)} s\n`);
  if (r.profileText) put('profile', `\n\`\`\`\n${r.profileText}\n\`\`\`\n`);
  if (r.exportSize) put('export', `\n${exportTable(r.exportSize)}\n\n${exportFooter(r.exportSize)}\n`);
  writeFileSync(file, text);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
