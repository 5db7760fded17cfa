// Multi-resolution pixels for the preview: 512-px regions of a pyramid level, read from the engine on
// demand, kept as ImageBitmaps in a small LRU keyed by level/col/row.
import { level0, levelPx, type PooledSlide, type RGBAImage } from '../../engine/types.ts';
import type { LevelInfo } from '../../core/slide.ts';
import { toImageData } from '../../export/planImage.ts';

export const REGION = 512;

export interface RegionKey {
  level: number;
  col: number;
  row: number;
}
const keyOf = (k: RegionKey) => `${k.level}/${k.col}/${k.row}`;

/** The coarsest level whose pixels are still at least as fine as the screen's at this scale. */
export function pickLevel(levels: LevelInfo[], screenPerLevel0: number): number {
  const want = 1 / screenPerLevel0;
  let best = 0;
  for (let i = 0; i < levels.length; i++) if (levels[i].downsample <= want * 1.05) best = i;
  return best;
}

/** Regions of `level` overlapping a level-0 rectangle. */
export function regionsIn(levels: LevelInfo[], level: number, x0: number, y0: number, x1: number, y1: number): RegionKey[] {
  const l = levels[level];
  const ds = l.downsample;
  const cols = Math.ceil(l.width / REGION);
  const rows = Math.ceil(l.height / REGION);
  const c0 = Math.max(0, Math.floor(x0 / ds / REGION));
  const c1 = Math.min(cols - 1, Math.floor(x1 / ds / REGION));
  const r0 = Math.max(0, Math.floor(y0 / ds / REGION));
  const r1 = Math.min(rows - 1, Math.floor(y1 / ds / REGION));
  const out: RegionKey[] = [];
  // centre-out order: the middle of the view arrives first
  const cc = (c0 + c1) / 2;
  const rc = (r0 + r1) / 2;
  for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) out.push({ level, col: c, row: r });
  out.sort((a, b) => Math.hypot(a.col - cc, a.row - rc) - Math.hypot(b.col - cc, b.row - rc));
  return out;
}

export async function rgbaToBitmap(img: RGBAImage): Promise<ImageBitmap> {
  return createImageBitmap(toImageData(img));
}

export interface CachedRegion {
  key: RegionKey;
  bitmap: ImageBitmap;
  /** level-0 rectangle the bitmap covers */
  x: number;
  y: number;
  w: number;
  h: number;
}

export class PyramidCache {
  private cache = new Map<string, CachedRegion>();
  private queue: RegionKey[] = [];
  private inflight = new Map<string, AbortController>();
  private failed = new Set<string>();
  private disposed = false;

  constructor(
    private slide: PooledSlide,
    private onArrive: () => void,
    private maxEntries = 384,
  ) {}

  get(k: RegionKey): CachedRegion | undefined {
    const hit = this.cache.get(keyOf(k));
    if (hit) {
      // refresh LRU position
      this.cache.delete(keyOf(k));
      this.cache.set(keyOf(k), hit);
    }
    return hit;
  }

  peek(k: RegionKey): CachedRegion | undefined {
    return this.cache.get(keyOf(k));
  }

  /** Replace the wish list: what is not cached is fetched, stale queued work is dropped. */
  want(keys: RegionKey[]): void {
    const wanted = new Set(keys.map(keyOf));
    for (const [k, ac] of this.inflight) if (!wanted.has(k)) ac.abort();
    this.queue = keys.filter((k) => !this.cache.has(keyOf(k)) && !this.inflight.has(keyOf(k)) && !this.failed.has(keyOf(k)));
    this.pump();
  }

  private pump(): void {
    const limit = Math.max(2, this.slide.workers * 2);
    while (!this.disposed && this.inflight.size < limit && this.queue.length > 0) {
      const k = this.queue.shift()!;
      void this.fetch(k);
    }
  }

  private async fetch(k: RegionKey): Promise<void> {
    const id = keyOf(k);
    const ac = new AbortController();
    this.inflight.set(id, ac);
    try {
      const l = this.slide.info.levels[k.level];
      const w = Math.min(REGION, l.width - k.col * REGION);
      const h = Math.min(REGION, l.height - k.row * REGION);
      const x0 = Math.round(k.col * REGION * l.downsample);
      const y0 = Math.round(k.row * REGION * l.downsample);
      const img = await this.slide.readRegion(level0(x0), level0(y0), k.level, levelPx(w), levelPx(h), { signal: ac.signal });
      if (this.disposed) return;
      const bitmap = await rgbaToBitmap(img);
      if (this.disposed) {
        bitmap.close();
        return;
      }
      this.cache.set(id, { key: k, bitmap, x: x0, y: y0, w: w * l.downsample, h: h * l.downsample });
      this.evict();
      this.onArrive();
    } catch {
      // an aborted read is simply re-requested when visible again; a failing one is not retried forever
      if (!ac.signal.aborted) this.failed.add(id);
    } finally {
      this.inflight.delete(id);
      this.pump();
    }
  }

  private evict(): void {
    while (this.cache.size > this.maxEntries) {
      const oldest = this.cache.keys().next().value as string;
      this.cache.get(oldest)?.bitmap.close();
      this.cache.delete(oldest);
    }
  }

  get pending(): number {
    return this.queue.length + this.inflight.size;
  }

  dispose(): void {
    this.disposed = true;
    for (const ac of this.inflight.values()) ac.abort();
    for (const c of this.cache.values()) c.bitmap.close();
    this.cache.clear();
    this.queue = [];
  }
}
