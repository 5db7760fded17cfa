// The seed's loop, parallel: candidate tiles in grid order are read, std-filtered and encoded in the
// worker pool a bounded window ahead, and committed strictly in grid order — skip std <= threshold,
// stop at the limit — so the saved set is exactly the sequential loop's. Failures are recorded.
import { stdRejects } from '../core/filters/std.ts';
import { errorCode } from '../core/errors.ts';
import { levelPx, type EncodedTile, type PooledSlide } from '../engine/types.ts';

export type TileStatus = 'saved' | 'std' | 'failed';

export interface TileOutcome {
  /** grid index */
  index: number;
  status: TileStatus;
  std: number | null;
  /** path inside the export, when saved */
  path: string | null;
  width: number;
  height: number;
  /** the reader's error message, when failed */
  error: string | null;
  /** its code (EngineErrorCode, or the error's own), when failed; null for a failure carried over from a journal */
  errorCode?: string | null;
  /** carried over from an earlier run (resume): not read, nothing written */
  carried?: true;
}

export interface ExtractJob {
  slide: Pick<PooledSlide, 'readTileEncoded' | 'workers'>;
  level: number;
  tileW: number;
  tileH: number;
  /** interleaved x,y origins in level px (core Grid.origins) */
  origins: Int32Array;
  /** grid indices that passed every filter but std, in grid order */
  candidates: ArrayLike<number>;
  stdThreshold: number | null;
  /** tiles the user included by hand: saved whatever their std (core: manual include wins) */
  forceInclude?(index: number): boolean;
  limit: number | null;
  format: 'png' | 'jpeg';
  /** 1..100 */
  jpegQuality: number;
  background: number;
  /** file path for a saved tile, e.g. "tiles/tile_00012.png" */
  pathFor(index: number): string;
  /** reads in flight; default 4 per worker (the pool's depth of 2 each, and as many ready behind it) */
  window?: number;
  signal?: AbortSignal;
  /**
   * What an earlier, interrupted run of the same plan already committed for a tile (resuming a
   * folder export): the tile is not read again; a 'saved' one's file is already there. Undefined =
   * read it.
   */
  known?(index: number): KnownOutcome | undefined;
}

/** An outcome carried over from an earlier run of the same plan. */
export interface KnownOutcome {
  status: TileStatus;
  std: number | null;
  error: string | null;
}

export interface ExtractProgress {
  /** candidates committed so far (saved + std + failed) */
  done: number;
  saved: number;
  skippedStd: number;
  failed: number;
  /** how many candidates there are at most */
  candidates: number;
  /** the target: min(limit, candidates) */
  target: number;
  /** of `done`, outcomes carried over from an earlier run (resume), not read again */
  resumed: number;
  elapsedMs: number;
}

export interface ExtractResult extends ExtractProgress {
  outcomes: TileOutcome[];
  cancelled: boolean;
  /** the limit was reached before the candidates ran out */
  reachedLimit: boolean;
}

/**
 * Runs the loop. `onTile` gets each committed outcome in grid order with the saved tile's bytes
 * (null unless saved): the bytes go there and nowhere else, so whoever writes them decides how long
 * they live. The result keeps per-tile metadata only.
 */
export async function extractTiles(
  job: ExtractJob,
  onTile: (o: TileOutcome, p: ExtractProgress, bytes: Uint8Array | null) => void | Promise<void>,
): Promise<ExtractResult> {
  const started = performance.now();
  const n = job.candidates.length;
  const limit = job.limit ?? Infinity;
  const window = Math.max(1, job.window ?? job.slide.workers * 4);
  const inner = new AbortController();
  const stop = () => inner.abort();
  job.signal?.addEventListener('abort', stop);
  const pending = new Map<number, Promise<EncodedTile | { error: string; errorCode: string } | { carried: KnownOutcome }>>();
  let next = 0;
  const launch = () => {
    while (next < n && pending.size < window) {
      const k = next++;
      const i = job.candidates[k];
      const carried = job.known?.(i);
      if (carried) {
        pending.set(k, Promise.resolve({ carried }));
        continue;
      }
      const p = job.slide
        .readTileEncoded(levelPx(job.origins[2 * i]), levelPx(job.origins[2 * i + 1]), job.level, levelPx(job.tileW), levelPx(job.tileH), {
          format: job.format,
          quality: job.jpegQuality / 100,
          background: job.background,
          skipStdAtOrBelow: job.stdThreshold === null || job.forceInclude?.(i) ? undefined : job.stdThreshold,
          signal: inner.signal,
        })
        .catch((e: unknown) => ({ error: e instanceof Error ? e.message : String(e), errorCode: errorCode(e) }));
      pending.set(k, p);
    }
  };
  const progress: ExtractProgress = { done: 0, saved: 0, skippedStd: 0, failed: 0, candidates: n, target: Math.min(limit, n), resumed: 0, elapsedMs: 0 };
  const outcomes: TileOutcome[] = [];
  let cancelled = false;
  try {
    for (let k = 0; k < n && progress.saved < limit; k++) {
      if (job.signal?.aborted) {
        cancelled = true;
        break;
      }
      launch();
      const r = await pending.get(k)!;
      pending.delete(k);
      if (job.signal?.aborted) {
        cancelled = true;
        break;
      }
      const index = job.candidates[k];
      let o: TileOutcome;
      let bytes: Uint8Array | null = null;
      if ('carried' in r) {
        // committed by an earlier run: counted as it was, nothing read or written again
        const c = r.carried;
        o = { index, status: c.status, std: c.std, path: c.status === 'saved' ? job.pathFor(index) : null, width: job.tileW, height: job.tileH, error: c.error, carried: true };
        if (c.status === 'saved') progress.saved++;
        else if (c.status === 'std') progress.skippedStd++;
        else progress.failed++;
        progress.resumed++;
      } else if ('error' in r) {
        o = { index, status: 'failed', std: null, path: null, width: job.tileW, height: job.tileH, error: r.error, errorCode: r.errorCode };
        progress.failed++;
      } else if (r.bytes === null || (job.stdThreshold !== null && stdRejects(r.std, job.stdThreshold) && !job.forceInclude?.(index))) {
        o = { index, status: 'std', std: r.std, path: null, width: r.width, height: r.height, error: null };
        progress.skippedStd++;
      } else {
        o = { index, status: 'saved', std: r.std, path: job.pathFor(index), width: r.width, height: r.height, error: null };
        bytes = r.bytes;
        progress.saved++;
      }
      progress.done++;
      progress.elapsedMs = performance.now() - started;
      outcomes.push(o);
      await onTile(o, { ...progress }, bytes);
    }
  } finally {
    // reads past the limit or after a cancel are not needed
    inner.abort();
    job.signal?.removeEventListener('abort', stop);
    await Promise.allSettled(pending.values());
  }
  progress.elapsedMs = performance.now() - started;
  return { ...progress, outcomes, cancelled, reachedLimit: progress.saved >= limit };
}

/** A failed tile's error as tiles.csv and the journal write it: "code: message" (the code when known). */
export function failureText(o: Pick<TileOutcome, 'error' | 'errorCode'>): string {
  return o.errorCode ? `${o.errorCode}: ${o.error ?? ''}` : (o.error ?? '');
}
