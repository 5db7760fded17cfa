// The bench page: what `bench/run.mjs` drives through Playwright. Everything here calls the real
// engine (worker pool + wasm OpenSlide), the real core and the real extractor; only the timing is
// the page's own. The slide comes from <input id=slide> (setInputFiles), i.e. real File objects that
// the workers read lazily through WORKERFS.
import { candidateIndices, closestLevel, gridTiles, makePlan, type SlideInfo } from '../../src/core/index.ts';
import { openSlide } from '../../src/engine/browser.ts';
import { level0, levelPx, type PooledSlide } from '../../src/engine/types.ts';
import { extractTiles } from '../../src/export/extract.ts';
import { ZipSink } from '../../src/export/sink.ts';

type BrowserPooledSlide = PooledSlide & { memory(): Promise<number[]> };

let current: BrowserPooledSlide | null = null;

function files(): File[] {
  const input = document.getElementById('slide') as HTMLInputElement;
  return Array.from(input.files ?? []);
}

async function closeCurrent() {
  if (current) await current.close();
  current = null;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function sha1(text: string): Promise<string> {
  const d = await crypto.subtle.digest('SHA-1', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, '0')).join('');
}

function levelsOf(info: SlideInfo) {
  return info.levels.map((l) => [l.width, l.height, l.downsample]);
}

/** The coarsest level that still fits the app's overview (useOverview's rule, repeated here). */
function overviewLevel(info: SlideInfo): number {
  for (let i = 0; i < info.levels.length; i++) if (Math.max(info.levels[i].width, info.levels[i].height) <= 2048) return i;
  return info.levels.length - 1;
}

const bench = {
  cores: () => navigator.hardwareConcurrency || 1,

  /**
   * Open the picked slide in a pool of `workers`; returns the open time. `overview`: also read the
   * app's overview picture and make the seed's plan, timed apart (the fallback first-preview figure).
   */
  async open(workers: number, overview = false) {
    await closeCurrent();
    const t0 = performance.now();
    const slide = (await openSlide(files(), { workers })) as BrowserPooledSlide;
    const openMs = performance.now() - t0;
    current = slide;
    const out: Record<string, unknown> = { openMs, vendor: slide.info.vendor, levels: levelsOf(slide.info), mpp: slide.info.properties['openslide.mpp-x'] ?? null };
    if (overview) {
      const lv = overviewLevel(slide.info);
      const l = slide.info.levels[lv];
      const t1 = performance.now();
      const rgba = await slide.readRegion(level0(0), level0(0), lv, levelPx(l.width), levelPx(l.height));
      const bitmap = await createImageBitmap(new ImageData(new Uint8ClampedArray(rgba.data.buffer as ArrayBuffer, rgba.data.byteOffset, rgba.data.byteLength), rgba.width, rgba.height));
      bitmap.close();
      const t2 = performance.now();
      const plan = makePlan(slide.info, { limit: 300 });
      const t3 = performance.now();
      Object.assign(out, { overviewLevel: lv, overviewMs: t2 - t1, planMs: t3 - t2, tiles: plan.grid.count, totalMs: t3 - t0 });
    }
    return out;
  },

  async close() {
    await closeCurrent();
  },

  /** gridTiles and makePlan (seed defaults) for a square level holding about `tiles` 512-px tiles. */
  plan(tiles: number, repeats = 5) {
    const side = Math.ceil(Math.sqrt(tiles)) * 512;
    const info: SlideInfo = {
      vendor: 'bench',
      levels: [{ width: side, height: side, downsample: 1 }],
      properties: { 'openslide.mpp-x': '0.5', 'openslide.mpp-y': '0.5' },
      associated: [],
    };
    const grid: number[] = [];
    const plan: number[] = [];
    let count = 0;
    for (let r = 0; r <= repeats; r++) {
      const t0 = performance.now();
      const g = gridTiles([side, side], [512, 512], [512, 512], 'shift');
      const t1 = performance.now();
      const p = makePlan(info, {});
      const t2 = performance.now();
      count = p.grid.count;
      if (g.count !== count) throw new Error('grid and plan disagree');
      grid.push(t1 - t0);
      plan.push(t2 - t1);
    }
    return { tiles: count, gridColdMs: grid[0], gridMs: median(grid.slice(1)), planColdMs: plan[0], planMs: median(plan.slice(1)) };
  },

  /**
   * The seed's recipe through the app's extractor: closestLevel(0.5), 512² stride 512 shift, skip
   * std <= 8, PNG, stop at `limit` saved; read+std+encode in the workers (readTileEncoded), committed
   * in grid order with a bounded window (2 per worker), written to the app's ZipSink (STORE).
   */
  async extract(workers: number, limit = 300) {
    await closeCurrent();
    const t0 = performance.now();
    const slide = (await openSlide(files(), { workers })) as BrowserPooledSlide;
    current = slide;
    const openMs = performance.now() - t0;
    const level = closestLevel(0.5, slide.info);
    const plan = makePlan(slide.info, { resolution: { mode: 'mpp', mpp: 0.5 }, tile: [512, 512], stride: [512, 512], last: 'shift', stdThreshold: 8, limit, format: 'png' });
    if (plan.level !== level) throw new Error('plan level differs from closestLevel');
    const candidates = candidateIndices(plan);
    const sink = new ZipSink('blob');
    const sizes: number[] = [];
    const saved: number[] = [];
    const t1 = performance.now();
    const r = await extractTiles(
      {
        slide,
        level: plan.level,
        tileW: 512,
        tileH: 512,
        origins: plan.grid.origins,
        candidates,
        stdThreshold: 8,
        limit,
        format: 'png',
        jpegQuality: 90,
        background: 255,
        pathFor: (i) => `tiles/tile_${String(i).padStart(5, '0')}.png`,
      },
      async (o, _p, bytes) => {
        if (o.status === 'saved' && bytes && o.path) {
          await sink.write(o.path, bytes);
          sizes.push(bytes.byteLength);
          saved.push(o.index);
        }
      },
    );
    const elapsedMs = performance.now() - t1;
    const t2 = performance.now();
    const zip = (await sink.close()) as Blob;
    const zipMs = performance.now() - t2;
    const heaps = await slide.memory();
    // left open: the bench reads the workers' CPU time from /proc, then calls close()
    const total = sizes.reduce((a, b) => a + b, 0);
    return {
      workers,
      openMs,
      level,
      extent: plan.extent,
      gridTiles: plan.grid.count,
      elapsedMs,
      saved: r.saved,
      examined: r.done,
      failed: r.failed,
      tilesPerS: (r.saved * 1000) / elapsedMs,
      examinedPerS: (r.done * 1000) / elapsedMs,
      meanPngBytes: sizes.length ? total / sizes.length : null,
      totalPngBytes: total,
      zipMs,
      zipBytes: zip.size,
      heaps,
      savedIndicesSha1: await sha1(saved.join(',')),
      savedFirst: saved.slice(0, 5),
    };
  },

  /**
   * The std scan's baseline (bench/scan.mjs): the picked slide opened fresh with `workers`, then
   * every tile the app's scan measures — the default plan's candidates (0.5 µm/px, 512², std on) —
   * read ONCE exactly as the scan reads them (read_tile + std in the worker, nothing encoded), the
   * pool kept full (its depth per worker). Nothing else competes: this is what the scan can at best do.
   * `withOverview`: the app's overview picture is read first, alongside, as the app does on opening
   * (the clock still stops when the last tile is read) — what the scan competes with in the app.
   */
  async plainScanReads(workers: number, withOverview = false) {
    await closeCurrent();
    const slide = (await openSlide(files(), { workers })) as BrowserPooledSlide;
    current = slide;
    const plan = makePlan(slide.info, { resolution: { mode: 'mpp', mpp: 0.5 }, tile: [512, 512], stride: [512, 512], last: 'shift', stdThreshold: 8 });
    const candidates = candidateIndices(plan);
    const o = plan.grid.origins;
    let next = 0;
    const t0 = performance.now();
    let overview: Promise<unknown> = Promise.resolve();
    if (withOverview) {
      const lv = overviewLevel(slide.info);
      const l = slide.info.levels[lv];
      overview = slide.readRegion(level0(0), level0(0), lv, levelPx(l.width), levelPx(l.height));
    }
    const lane = async () => {
      while (next < candidates.length) {
        const i = candidates[next++];
        await slide.readTileEncoded(levelPx(o[2 * i]), levelPx(o[2 * i + 1]), plan.level, levelPx(512), levelPx(512), { format: 'png', background: 255, skipStdAtOrBelow: Number.POSITIVE_INFINITY });
      }
    };
    await Promise.all(Array.from({ length: slide.workers * 2 }, lane));
    const elapsedMs = performance.now() - t0;
    await overview;
    return { workers: slide.workers, tiles: candidates.length, level: plan.level, elapsedMs };
  },

  /** `xy` level-0 origins read as size² regions at `level`, at most `inflight` at a time. */
  async reads(xy: [number, number][], level: number, size: number, inflight: number) {
    const slide = current;
    if (!slide) throw new Error('no slide is open');
    // one warm-up read per worker outside the clock (module and handle first-touch)
    await Promise.all(Array.from({ length: slide.workers }, () => slide.readRegion(level0(xy[0][0]), level0(xy[0][1]), level, levelPx(size), levelPx(size))));
    let next = 0;
    let bytes = 0;
    const t0 = performance.now();
    const lane = async () => {
      while (next < xy.length) {
        const [x, y] = xy[next++];
        const img = await slide.readRegion(level0(x), level0(y), level, levelPx(size), levelPx(size));
        bytes += img.data.byteLength;
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, inflight) }, lane));
    const elapsedMs = performance.now() - t0;
    return { reads: xy.length, workers: slide.workers, elapsedMs, readsPerS: (xy.length * 1000) / elapsedMs, bytes, heaps: await slide.memory() };
  },

  /** Diagnostics (the closing note's profile): one engine in bench/page/diag-worker.ts with clocks per phase. */
  diag: {
    worker: null as Worker | null,
    info: null as SlideInfo | null,
    call(msg: object): Promise<Record<string, unknown>> {
      const w = this.worker!;
      return new Promise((resolve, reject) => {
        w.onmessage = (ev) => (ev.data.ok ? resolve(ev.data) : reject(new Error(ev.data.error)));
        w.postMessage(msg);
      });
    },
    /** `block` > 0: serve file reads from an LRU of aligned blocks (the read-ahead experiment). */
    async open(block = 0, maxBytes = 16 << 20) {
      this.worker?.terminate();
      this.worker = new Worker(new URL('./diag-worker.ts', import.meta.url), { type: 'module' });
      const r = await this.call({ cmd: 'open', file: files()[0], block, maxBytes });
      this.info = r.info as SlideInfo;
      delete r.info;
      return r;
    },
    reads(xy: [number, number][], level = 0, size = 512) {
      return this.call({ cmd: 'reads', xy, level, size });
    },
    /** The seed's recipe, sequential, first `limit` saved tiles, each phase clocked. */
    async tiles(limit: number) {
      const info = this.info!;
      const level = closestLevel(0.5, info);
      const l = info.levels[level];
      const g = gridTiles([l.width, l.height], [512, 512], [512, 512], 'shift');
      const origins: [number, number][] = [];
      for (let i = 0; i < g.count; i++) origins.push([g.origins[2 * i], g.origins[2 * i + 1]]);
      const r = await this.call({ cmd: 'tiles', origins, level, size: 512, std: 8, limit });
      const sample = r.sample as Uint8Array;
      delete r.sample;
      // the browser encoder's zlib header and the row filters it chose
      r.browserPngHeader = await pngFacts(sample);
      return r;
    },
    close() {
      this.worker?.terminate();
      this.worker = null;
    },
  },

  async heaps() {
    return current ? current.memory() : [];
  },
};

/** Chunks, the zlib header's FLEVEL and the row filters of a PNG (to say what the encoder did). */
async function pngFacts(png: Uint8Array) {
  const v = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks: string[] = [];
  const idat: Uint8Array[] = [];
  let width = 0;
  for (let o = 8; o + 8 <= png.length; ) {
    const len = v.getUint32(o);
    const type = String.fromCharCode(...png.subarray(o + 4, o + 8));
    chunks.push(type);
    if (type === 'IHDR') width = v.getUint32(o + 8);
    if (type === 'IDAT') idat.push(png.subarray(o + 8, o + 8 + len));
    o += 12 + len;
  }
  const z = idat[0] ?? new Uint8Array(2);
  const raw = new Uint8Array(await new Response(new Blob(idat as Uint8Array<ArrayBuffer>[]).stream().pipeThrough(new DecompressionStream('deflate'))).arrayBuffer());
  // RGB or RGBA rows: find the row length that makes every filter byte valid
  const filters: Record<string, number> = {};
  for (const bpp of [3, 4]) {
    const row = width * bpp + 1;
    if (raw.length % row !== 0) continue;
    for (let o = 0; o < raw.length; o += row) filters[raw[o]] = (filters[raw[o]] ?? 0) + 1;
    break;
  }
  return { chunks: [...new Set(chunks)], zlibHeader: [z[0], z[1]], flevel: z[1] >> 6, rowFilters: filters };
}

declare global {
  interface Window {
    bench: typeof bench;
  }
}
window.bench = bench;
document.getElementById('log')!.textContent = 'bench page ready';
