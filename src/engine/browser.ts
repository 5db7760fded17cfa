// The browser's entry to the engine: open dropped files as a PooledSlide served by workers.
import type { SlideInfo } from '../core/slide.ts';
import { pickMainFile, toSlideFiles, type SlideFileInput } from './files.ts';
import { WorkerPool } from './pool.ts';
import { EngineError, type EncodeOptions, type Level0Px, type LevelPx, type PooledSlide, type ReadOptions } from './types.ts';

export type { SlideFileInput };

export interface OpenOptions {
  /** default: the machine's cores */
  workers?: number;
  signal?: AbortSignal;
}

export async function openSlide(inputs: SlideFileInput[], opts: OpenOptions = {}): Promise<PooledSlide> {
  const files = toSlideFiles(inputs);
  if (files.length === 0) throw new EngineError('unsupported-format', 'no files were dropped');
  const main = pickMainFile(files);
  const size = Math.max(1, opts.workers ?? (navigator.hardwareConcurrency || 2));
  const pool = new WorkerPool(files, main, size);
  const onAbort = () => pool.terminate();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const info = await pool.start();
    if (opts.signal?.aborted) throw new EngineError('aborted', 'opening was cancelled', main);
    return new BrowserSlide(pool, info, main);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

class BrowserSlide implements PooledSlide {
  constructor(
    private readonly pool: WorkerPool,
    readonly info: SlideInfo,
    readonly name: string,
  ) {}

  get workers() {
    return this.pool.size;
  }

  readRegion(x0: Level0Px, y0: Level0Px, level: number, width: LevelPx, height: LevelPx, opts?: ReadOptions) {
    return this.pool.run((api) => api.readRegion(x0, y0, level, width, height), opts?.signal);
  }

  readTile(x: LevelPx, y: LevelPx, level: number, width: LevelPx, height: LevelPx, background = 255, opts?: ReadOptions) {
    return this.pool.run((api) => api.readTile(x, y, level, width, height, background), opts?.signal);
  }

  readTileEncoded(x: LevelPx, y: LevelPx, level: number, width: LevelPx, height: LevelPx, opts: EncodeOptions) {
    const { signal, background = 255, format, quality, skipStdAtOrBelow } = opts;
    return this.pool.run((api) => api.readTileEncoded(x, y, level, width, height, { background, format, quality, skipStdAtOrBelow }), signal);
  }

  associatedImage(name: string, opts?: ReadOptions) {
    return this.pool.run((api) => api.associatedImage(name), opts?.signal);
  }

  /** Each worker's wasm heap size in bytes. */
  memory() {
    return this.pool.memory();
  }

  async close() {
    this.pool.terminate();
  }
}
