// A slide served by a WorkerPool: the PooledSlide the browser (browser.ts) and Node (node-pool.ts)
// both hand out, so the app and the CLI read tiles through the same calls.
import type { SlideInfo } from '../core/slide.ts';
import type { WorkerPool } from './pool.ts';
import type { EncodeOptions, Level0Px, LevelPx, PooledSlide, ReadOptions } from './types.ts';

export class PoolSlide implements PooledSlide {
  constructor(
    /** the pool itself, for its memory figures and its test hooks */
    readonly pool: WorkerPool,
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
