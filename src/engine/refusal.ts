// The engine's half of a refusal: the facts its likely cause is read from (core/refusals.ts) — the
// main file's bytes (core/sniff.ts, read lazily from the Blob: a few KiB, never the whole file), the
// file names given with it and the error's code and OpenSlide's words, with no internal path left.
import { explainRefusal, type Refusal } from '../core/refusals.ts';
import { sniffFile, type FileFacts } from '../core/sniff.ts';
import { withoutMounts } from './files.ts';
import { EngineError } from './types.ts';

/** Facts from a Blob's bytes, or null when it cannot be read (the File was moved or deleted). */
export async function sniffBlob(blob: Blob): Promise<FileFacts | null> {
  try {
    return await sniffFile(async (offset, length) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()), blob.size);
  } catch {
    return null;
  }
}

function codeAndReason(error: unknown): { code: string; reason: string } {
  if (error instanceof EngineError) return { code: error.code, reason: withoutMounts(error.message) };
  if (error && typeof error === 'object' && 'code' in error && 'message' in error) return { code: String(error.code), reason: withoutMounts(String(error.message)) };
  return { code: 'engine-crashed', reason: withoutMounts(error instanceof Error ? error.message : String(error)) };
}

/**
 * Why `main` (the user's path, `blob` its bytes) was refused with `error`, given every path that
 * came with it (a drop, a picked folder, or the files beside it on disk).
 */
export async function explainOpenFailure(error: unknown, main: { path: string; blob: Blob }, files: readonly string[]): Promise<Refusal> {
  const { code, reason } = codeAndReason(error);
  return explainRefusal({ main: main.path, files, code, reason, facts: await sniffBlob(main.blob) });
}
