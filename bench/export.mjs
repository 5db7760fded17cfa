// The export-size memory figure (issue 8, item 4): peak memory of an export of a few hundred tiles
// and of every tile of the bench slide, on every path an export takes — the CLI into a zip and into a
// folder, and the real built app in Debian's chromium: its default (a zip streamed to a download
// through the service worker), a folder (File System Access), and the in-memory zip it falls back to
// when no service worker controls the page. "Flat" = the big export's peak within 1.2× of the small
// one's. Run from bench/run.mjs (`npm run bench`, or `node bench/run.mjs --export-only`).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from '@playwright/test';
import { growthPerSecond, thin, TreeSampler, treeMemory } from './proc.mjs';

export const EXPORT_PATHS = ['cli-zip', 'cli-folder', 'app-stream', 'app-folder', 'app-memzip'];
export const FLAT = 1.2;

// the export: level 0, 256² tiles, stride 256, std filter off, no tissue/annotation filter; `limit`
// saved tiles (null: every tile of the level, 40960 × 32768 / 256² = 20,480 on the bench slide)
const TILE = 256;
const CLI_WORKERS = 2;

const MB = (b) => (b === null || b === undefined ? '—' : (b / 1048576).toFixed(1) + ' MB');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function dirBytes(dir) {
  let bytes = 0;
  let files = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    files++;
    bytes += statSync(path.join(e.parentPath, e.name)).size;
  }
  return { bytes, files };
}

// ---------------------------------------------------------------------------------------------
// the CLI

/**
 * `node bin/slidetile.mjs extract … --workers 2 --out X.zip|DIR` under /usr/bin/time -v: peak RSS of
 * the node process (its worker threads share its RSS) sampled from /proc every 100 ms, and time's
 * own maximum RSS. The engine threads' wasm heaps come from bench/wasm-probe-node.mjs, preloaded
 * with --import (worker threads inherit it): each thread writes its wasm memory sizes to a file.
 */
async function runCli(o, kind, limit) {
  const dir = mkdtempSync(path.join(o.scratch, `cli-${kind}-`));
  const out = kind === 'zip' ? path.join(dir, 'export.zip') : path.join(dir, 'export');
  const probeDir = path.join(dir, 'wasm-probe');
  mkdirSync(probeDir);
  const probe = pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), 'wasm-probe-node.mjs')).href;
  const argv = ['-v', process.execPath, '--import', probe, path.join(o.root, 'bin/slidetile.mjs'), 'extract', o.slide, '--level', '0', '--tile', `${TILE},${TILE}`, '--stride', `${TILE},${TILE}`, '--std-threshold', 'none', '--limit', limit === null ? 'none' : String(limit), '--workers', String(CLI_WORKERS), '--out', out];
  const t0 = Date.now();
  const child = spawn('/usr/bin/time', argv, { cwd: o.root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BENCH_WASM_PROBE_DIR: probeDir } });
  const sampler = new TreeSampler(child.pid, 'node', 100);
  sampler.mark('started');
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise((r) => child.on('close', r));
  sampler.mark('tilesDone');
  const peak = sampler.stop();
  const wallS = (Date.now() - t0) / 1000;
  try {
    if (code !== 0) throw new Error(`slidetile extract exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
    const saved = Number(/saved (\d+) tiles/.exec(stdout)?.[1] ?? NaN);
    const timeMaxRss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] ?? NaN) * 1024;
    const written = kind === 'zip' ? { bytes: statSync(out).size, files: 1 } : dirBytes(out);
    const slope = growthPerSecond(sampler.series, sampler.marks.started, sampler.marks.tilesDone);
    // worker threads (thread id > 0) that instantiated a wasm heap: the engine's; the largest memory of each
    const heaps = readdirSync(probeDir)
      .filter((f) => !f.endsWith('-0.json'))
      .map((f) => Math.max(...JSON.parse(readFileSync(path.join(probeDir, f), 'utf8'))));
    return { path: `cli-${kind}`, heaps, limit, saved, wallS, tilesPerS: saved / wallS, writtenBytes: written.bytes, writtenFiles: written.files, peak, timeMaxRss, growthBytesPerS: slope, rssSeriesMB: thin(sampler.series), command: `node bin/slidetile.mjs ${argv.slice(5).join(' ')}`.replaceAll(o.root + '/', '') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// the app

// Installed before the app's scripts in the folder runs: the folder picker answers with a folder of
// the Origin Private File System — a real FileSystemDirectoryHandle on disk (the profile is a
// persistent one: an off-the-record profile would keep OPFS in memory), so the app's FolderSink
// writes real files exactly as into a folder the user picked.
const OPFS_PICKER = () => {
  window.showDirectoryPicker = async () => {
    const root = await navigator.storage.getDirectory();
    return root.getDirectoryHandle('bench-export', { create: true });
  };
};

/**
 * The wasm heap of each engine worker. The app does not expose its pool, so the bench server
 * prepends `import "/__bench-wasm-probe.js"` to the app's built scripts that instantiate wasm (the
 * engine worker's chunk): the probe wraps WebAssembly.instantiate(Streaming) and keeps the
 * instance's Memory, which Playwright's worker.evaluate reads (a wasm memory only grows: its size at
 * the end is its peak).
 */
export const WASM_PROBE = `// bench only (bench/export.mjs): remember each wasm instance's memory
if (!self.__benchWasm) {
  const mems = (self.__benchWasm = []);
  const grab = (r) => {
    const inst = r instanceof WebAssembly.Instance ? r : r && r.instance;
    if (inst) for (const v of Object.values(inst.exports)) if (v instanceof WebAssembly.Memory) mems.push(v);
    return r;
  };
  const inst = WebAssembly.instantiate;
  WebAssembly.instantiate = function (...a) { return inst.apply(this, a).then(grab); };
  const streaming = WebAssembly.instantiateStreaming;
  if (streaming) WebAssembly.instantiateStreaming = function (...a) { return streaming.apply(this, a).then(grab); };
}
`;

async function wasmHeaps(page) {
  const heaps = [];
  for (const w of page.workers()) {
    const h = await w.evaluate(() => (self.__benchWasm ?? []).map((m) => m.buffer.byteLength)).catch(() => []);
    heaps.push(...h);
  }
  return heaps;
}

async function setNumber(page, testId, value) {
  const input = page.getByTestId(testId);
  await input.fill(String(value));
  await input.blur();
}

async function setChecked(page, testId, on) {
  const box = page.getByTestId(testId);
  if ((await box.isChecked()) !== on) await box.click();
}

/** The figure's plan in the app's controls: level 0, 256² stride 256, no std/tissue filter, `limit`. */
async function planExport(page, limit, expectTotal) {
  await page.getByTestId('res-by-level').check();
  await page.getByTestId('level').selectOption('0');
  await setNumber(page, 'tile-w', TILE);
  await setNumber(page, 'tile-h', TILE);
  await setNumber(page, 'stride-x', TILE);
  await setNumber(page, 'stride-y', TILE);
  await setChecked(page, 'std-on', false);
  if (await page.getByTestId('tissue-on').count()) await setChecked(page, 'tissue-on', false);
  if (limit === null) await setChecked(page, 'limit-on', false);
  else {
    await setChecked(page, 'limit-on', true);
    await setNumber(page, 'limit', limit);
  }
  await page.waitForFunction((n) => document.querySelector('[data-testid=counts]')?.getAttribute('data-total') === String(n), expectTotal, { timeout: 60_000 });
  // nothing left for a std scan to measure (the filter is off): the engine is idle when the export starts
  await page.waitForFunction(() => document.querySelector('[data-testid=counts]')?.getAttribute('data-pending') === '0', null, { timeout: 120_000 }).catch(() => {});
}

/** Walks the OPFS folder the export wrote: files and bytes (after the clock). */
const OPFS_SIZE = async () => {
  const root = await navigator.storage.getDirectory();
  let files = 0;
  let bytes = 0;
  const walk = async (d) => {
    for await (const h of d.values()) {
      if (h.kind === 'directory') await walk(h);
      else {
        files++;
        bytes += (await h.getFile()).size;
      }
    }
  };
  await walk(await root.getDirectoryHandle('bench-export'));
  return { files, bytes };
};

/**
 * One export in the real app, in a fresh persistent chromium profile (on disk, like a user's: OPFS,
 * downloads and the service worker's cache are files, not memory): open the slide, plan, pick the
 * path, extract; peak RSS/PSS over every chromium process from /proc every 100 ms, the page's JS
 * heap (CDP Performance.getMetrics JSHeapUsedSize) every second, each engine worker's wasm heap.
 */
async function runApp(o, which, limit) {
  const profile = mkdtempSync(path.join(o.scratch, `app-${which}-`));
  const downloads = path.join(profile, 'downloads');
  const ctx = await chromium.launchPersistentContext(path.join(profile, 'user'), {
    executablePath: '/usr/bin/chromium',
    args: o.chromiumArgs,
    headless: true,
    viewport: { width: 1400, height: 860 },
    acceptDownloads: true,
    downloadsPath: downloads,
    serviceWorkers: which === 'memzip' ? 'block' : 'allow',
  });
  // the launcher's pid is ours: every chromium process of this context is under this node process
  let sampler = null;
  let heapTimer = null;
  try {
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    page.on('pageerror', (e) => o.log(`  app page error: ${e.message}`));
    let crashed = false;
    page.on('crash', () => (crashed = true));
    if (which === 'folder') await page.addInitScript(OPFS_PICKER);
    await page.goto(`http://127.0.0.1:${o.port}/`);
    await page.getByRole('heading', { name: /Drop a whole-slide image/ }).waitFor({ timeout: 60_000 });
    if (which === 'stream') {
      // the default path needs the service worker in control (it claims the page once active)
      await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 60_000 });
    }
    await page.getByTestId('file-input').first().setInputFiles(o.slide);
    await page.waitForFunction((n) => document.querySelector('[data-testid=slide-facts]')?.textContent?.includes(n), path.basename(o.slide), { timeout: 120_000 });
    await planExport(page, limit, o.totalTiles);
    if (which === 'folder') await setChecked(page, 'to-folder', true);
    const exportPath = await page.getByTestId('export-path').getAttribute('data-path');
    const want = { stream: 'zip-stream', folder: 'folder', memzip: 'zip' }[which];
    if (exportPath !== want) throw new Error(`the app chose the "${exportPath}" path, not "${want}": ${await page.getByTestId('export-path').textContent()}`);

    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Performance.enable');
    const jsHeap = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
    };
    await sleep(1000);
    const idle = treeMemory(process.pid, 'chromium');
    const idleHeap = await jsHeap();
    let peakHeap = idleHeap;
    heapTimer = setInterval(() => void jsHeap().then((h) => (peakHeap = Math.max(peakHeap, h)), () => {}), 1000);
    sampler = new TreeSampler(process.pid, 'chromium', 100);
    const t0 = Date.now();
    const downloading = which === 'stream' ? page.waitForEvent('download', { timeout: 60_000 }) : null;
    // the in-memory path hands each full part (and at the end the last zip) to the downloads itself
    const memDownloads = [];
    if (which === 'memzip') page.on('download', (d) => memDownloads.push(d));
    await page.getByTestId('extract-start').click();
    sampler.mark('started');
    const dl = downloading ? await downloading : null;
    for (;;) {
      if (crashed) throw new Error('the page crashed (out of memory?)');
      if (await page.getByTestId('extract-done').isVisible()) break;
      if (await page.getByRole('alert').isVisible()) throw new Error(`export failed: ${await page.getByRole('alert').textContent()}`);
      await sleep(1000);
    }
    sampler.mark('tilesDone');
    const wallS = (Date.now() - t0) / 1000;
    const heaps = await wasmHeaps(page);
    peakHeap = Math.max(peakHeap, await jsHeap());
    clearInterval(heapTimer);
    heapTimer = null;
    const peak = sampler.stop();
    const end = treeMemory(process.pid, 'chromium');
    const done = page.getByTestId('extract-done');
    const saved = Number(await done.getAttribute('data-saved'));
    let written = { bytes: null, files: null };
    if (which === 'stream') {
      const file = await dl.path();
      written = { bytes: statSync(file).size, files: 1, failure: await dl.failure() };
    } else if (which === 'folder') written = await page.evaluate(OPFS_SIZE);
    else {
      const note = page.getByTestId('zip-parts');
      const parts = (await note.count()) > 0 ? Number(await note.getAttribute('data-parts')) : 1;
      for (let t = 0; memDownloads.length < parts && t < 600; t++) await sleep(100);
      let bytes = 0;
      for (const d of memDownloads) bytes += statSync(await d.path()).size;
      written = { bytes, files: memDownloads.length };
    }
    const slope = growthPerSecond(sampler.series, sampler.marks.started, sampler.marks.tilesDone);
    return {
      path: `app-${which}`,
      limit,
      saved,
      wallS,
      tilesPerS: saved / wallS,
      writtenBytes: written.bytes,
      writtenFiles: written.files,
      idle,
      peak,
      end,
      jsHeap: { idle: idleHeap, peak: peakHeap },
      heaps,
      growthBytesPerS: slope,
      rssSeriesMB: thin(sampler.series),
    };
  } finally {
    if (heapTimer) clearInterval(heapTimer);
    sampler?.stop();
    await ctx.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------

/**
 * Runs the figure: for each path, the small export then the big one. `o`: root, slide, port,
 * chromiumArgs, log, scratch (a folder for outputs and profiles, emptied after each run), paths,
 * small (tiles), big (tiles or null = every tile), totalTiles (the plan's tile count).
 */
export async function exportSizeFigure(o) {
  const runs = [];
  for (const p of o.paths) {
    for (const limit of [o.small, o.big]) {
      const label = `${p}, ${limit === null ? `every tile (${o.totalTiles.toLocaleString('en-US')})` : `${limit} tiles`}`;
      o.log(`export size: ${label}…`);
      const load = os.loadavg();
      try {
        const r = p.startsWith('cli-') ? await runCli(o, p.slice(4), limit) : await runApp(o, p.slice(4), limit);
        r.loadavg = [load, os.loadavg()];
        runs.push(r);
        o.log(`  ${r.saved} saved in ${r.wallS.toFixed(0)} s (${r.tilesPerS.toFixed(1)} tiles/s), ${MB(r.writtenBytes)} written; peak RSS ${MB(r.peak.rss)} (PSS ${MB(r.peak.pss)})` + (r.timeMaxRss ? `, time -v max RSS ${MB(r.timeMaxRss)}` : '') + (r.jsHeap ? `, JS heap ${MB(r.jsHeap.idle)} → peak ${MB(r.jsHeap.peak)}` : '') + (r.heaps ? `, wasm heaps ${r.heaps.map(MB).join(', ')}` : '') + `, RSS growth ${r.growthBytesPerS === null ? '—' : (r.growthBytesPerS / 1048576).toFixed(2) + ' MB/s'}`);
      } catch (e) {
        o.log(`  ${label} failed: ${e.message}`);
        runs.push({ path: p, limit, error: e.message, loadavg: [load, os.loadavg()] });
      }
      // (each run removes its own output and profile; this catches what a failure left)
      if (existsSync(o.scratch)) for (const f of readdirSync(o.scratch)) rmSync(path.join(o.scratch, f), { recursive: true, force: true });
    }
  }
  return { tile: TILE, level: 0, stdFilter: false, small: o.small, big: o.big, totalTiles: o.totalTiles, cliWorkers: CLI_WORKERS, flatWithin: FLAT, runs: summarize(runs) };
}

/** Per path: the small and big runs, the ratio of their peaks (RSS and PSS) and whether it is flat. */
export function summarize(runs) {
  const byPath = {};
  const sizes = [...new Set(runs.map((r) => r.limit))];
  const bigLimit = sizes.includes(null) ? null : Math.max(...sizes.filter((x) => x !== null));
  for (const r of runs) {
    const e = (byPath[r.path] ??= { small: null, big: null });
    e[r.limit === bigLimit ? 'big' : 'small'] = r;
  }
  for (const e of Object.values(byPath)) {
    // each path says which sizes it ran (runs of other sizes may be merged in from an earlier run)
    e.sizes = [e.small?.limit ?? null, e.big ? (e.big.limit ?? 'all') : null];
    if (e.small?.peak && e.big?.peak) {
      e.ratio = e.big.peak.rss / e.small.peak.rss;
      e.pssRatio = e.big.peak.pss / e.small.peak.pss;
      e.flat = e.ratio <= FLAT;
      e.heldPerByteWritten = heldPerByte(e);
    }
  }
  return byPath;
}

/** Extra peak RSS per extra byte written, small → big export (the issue's "bytes held per byte written"). */
export function heldPerByte(e) {
  if (!e.small?.peak || !e.big?.peak || !(e.big.writtenBytes > e.small.writtenBytes)) return null;
  return (e.big.peak.rss - e.small.peak.rss) / (e.big.writtenBytes - e.small.writtenBytes);
}

/** The figure as a table: path × {small, all} → peak RSS, and big/small. */
export function exportTable(fig) {
  const n = (limit) => (limit === null ? `all ${fig.totalTiles.toLocaleString('en-US')}` : limit.toLocaleString('en-US'));
  const head = ['path', 'tiles, small / big', 'peak RSS, small', 'peak RSS, big', 'ratio', `flat (≤ ${FLAT}×)`, 'held per byte written', 'peak PSS, small / big', 'JS heap peak, small / big', 'wasm heap per worker, big', 'RSS growth, big', 'written, big', 'tiles/s, big'];
  const cell = (r, f) => (r?.error ? 'failed' : r ? f(r) : '—');
  const rows = Object.entries(fig.runs).map(([p, e]) => [
    // a path merged in from an earlier --export-only run says when it ran
    p + ((e.big?.earlier ?? e.small?.earlier) ? ` (run ${String(e.big?.earlier ?? e.small?.earlier).slice(0, 16).replace('T', ' ')} UTC)` : ''),
    `${e.small ? n(e.small.limit) : '—'} / ${e.big ? n(e.big.limit) : '—'}`,
    cell(e.small, (r) => MB(r.peak.rss) + (r.timeMaxRss ? ` (time ${MB(r.timeMaxRss)})` : '')),
    cell(e.big, (r) => MB(r.peak.rss) + (r.timeMaxRss ? ` (time ${MB(r.timeMaxRss)})` : '')),
    e.ratio ? e.ratio.toFixed(2) + '×' : '—',
    e.ratio ? (e.flat ? 'PASS' : 'MISS') : '',
    heldPerByte(e) === null ? '—' : heldPerByte(e).toFixed(2),
    `${cell(e.small, (r) => MB(r.peak.pss))} / ${cell(e.big, (r) => MB(r.peak.pss))}`,
    e.small?.jsHeap || e.big?.jsHeap ? `${cell(e.small, (r) => MB(r.jsHeap.peak))} / ${cell(e.big, (r) => MB(r.jsHeap.peak))}` : '',
    e.big?.heaps ? e.big.heaps.map(MB).join(', ') : '',
    cell(e.big, (r) => (r.growthBytesPerS === null ? '—' : `${(r.growthBytesPerS / 1048576).toFixed(2)} MB/s`)),
    cell(e.big, (r) => `${MB(r.writtenBytes)}, ${r.saved} tiles`),
    cell(e.big, (r) => r.tilesPerS.toFixed(1)),
  ]);
  const cells = [head, ...rows];
  const w = head.map((_, i) => Math.max(...cells.map((c) => String(c[i]).length)));
  const line = (c) => '| ' + c.map((x, i) => String(x).padEnd(w[i])).join(' | ') + ' |';
  return [line(head), '|' + w.map((n) => '-'.repeat(n + 2)).join('|') + '|', ...rows.map(line)].join('\n');
}
