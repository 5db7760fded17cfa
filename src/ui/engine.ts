// The UI's one door to the engine. Until src/engine/browser.ts lands, the glob below is empty and
// opening reports a clear error; no mock engine is ever substituted.
import { EngineError, type PooledSlide } from '../engine/types.ts';

export type SlideFileInput = File | { file: File; path: string };
export interface OpenOptions {
  workers?: number;
  signal?: AbortSignal;
}
type OpenSlideFn = (files: SlideFileInput[], opts?: OpenOptions) => Promise<PooledSlide>;

const entry = import.meta.glob<{ openSlide: OpenSlideFn }>('../engine/browser.ts');

export async function openSlide(files: SlideFileInput[], opts?: OpenOptions): Promise<PooledSlide> {
  const load = Object.values(entry)[0];
  if (!load) throw new EngineError('engine-crashed', 'the slide engine is not built into this page');
  const mod = await load();
  return mod.openSlide(files, opts);
}

/** A worker count that leaves a core for the page itself. */
export function defaultWorkers(): number {
  const n = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 2 : 2;
  return Math.max(1, Math.min(8, n - 1));
}

export function describeError(e: unknown): { code: string; message: string } {
  if (e instanceof EngineError) return { code: e.code, message: e.message };
  if (e && typeof e === 'object' && 'code' in e && 'message' in e)
    return { code: String((e as { code: unknown }).code), message: String((e as { message: unknown }).message) };
  if (e instanceof Error) return { code: e.name, message: e.message };
  return { code: 'error', message: String(e) };
}
