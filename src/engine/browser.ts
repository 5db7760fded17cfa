// The browser's entry to the engine: open dropped files as a PooledSlide served by workers.
import { pickMainFile, toSlideFiles, type SlideFileInput } from './files.ts';
import { WorkerPool } from './pool.ts';
import { PoolSlide } from './pooled.ts';
import { hasWasmSimd, NO_SIMD_MESSAGE } from './simd.ts';
import { EngineError, type PooledSlide } from './types.ts';

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
  if (!hasWasmSimd()) throw new EngineError('unsupported-browser', NO_SIMD_MESSAGE, main);
  const size = Math.max(1, opts.workers ?? (navigator.hardwareConcurrency || 2));
  const pool = new WorkerPool(files, main, size);
  const onAbort = () => pool.terminate();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const info = await pool.start();
    if (opts.signal?.aborted) throw new EngineError('aborted', 'opening was cancelled', main);
    return new PoolSlide(pool, info, main);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
}
