// The UI's one door to the engine (src/engine/browser.ts): OpenSlide in wasm, in a worker pool.
import { openSlide as engineOpen } from '../engine/browser.ts';
import { pickMainFile } from '../engine/files.ts';
import { EngineError, type PooledSlide } from '../engine/types.ts';

export type SlideFileInput = File | { file: File; path: string };
export interface OpenOptions {
  workers?: number;
  signal?: AbortSignal;
}

export function openSlide(files: SlideFileInput[], opts?: OpenOptions): Promise<PooledSlide> {
  return engineOpen(files, opts);
}

/** The file of a drop the engine opens (its one rule; the UI names and orders a drop by it). */
export { pickMainFile };

/** A worker count that leaves a core for the page itself. */
export function defaultWorkers(): number {
  const n = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 2 : 2;
  return Math.max(2, Math.min(8, n - 1));
}

export function describeError(e: unknown): { code: string; message: string } {
  if (e instanceof EngineError) return { code: e.code, message: e.message };
  if (e && typeof e === 'object' && 'code' in e && 'message' in e)
    return { code: String((e as { code: unknown }).code), message: String((e as { message: unknown }).message) };
  if (e instanceof Error) return { code: e.name, message: e.message };
  return { code: 'error', message: String(e) };
}
