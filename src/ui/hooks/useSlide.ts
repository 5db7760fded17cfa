// File → engine: opens a set of files as a PooledSlide, closes the previous one, keeps errors in state.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { PooledSlide } from '../../engine/types.ts';
import type { Refusal } from '../../core/refusals.ts';
import { explainOpenFailure } from '../../engine/refusal.ts';
import { defaultWorkers, describeError, openSlide } from '../engine.ts';
import { toEngineInput, type PickedFile } from '../files.ts';

export interface OpenedSlide {
  slide: PooledSlide;
  /** Display name of the main file, e.g. "CMU-1.svs". */
  name: string;
  files: PickedFile[];
  openedMs: number;
}

export type SlideState =
  | { status: 'idle' }
  | { status: 'opening'; name: string; started: number }
  | { status: 'open'; opened: OpenedSlide }
  | { status: 'error'; name: string; code: string; message: string; refusal: Refusal };

export function useSlide() {
  const [state, setState] = useState<SlideState>({ status: 'idle' });
  // last good slide stays usable when a later open fails.
  const [current, setCurrent] = useState<OpenedSlide | null>(null);
  const seq = useRef(0);
  const abort = useRef<AbortController | null>(null);

  const open = useCallback(async (files: PickedFile[]) => {
    const main = files[0];
    if (!main) return;
    const my = ++seq.current;
    abort.current?.abort();
    const ac = new AbortController();
    abort.current = ac;
    const name = main.file.name;
    const started = performance.now();
    setState({ status: 'opening', name, started });
    try {
      const slide = await openSlide(toEngineInput(files), { workers: defaultWorkers(), signal: ac.signal });
      if (my !== seq.current) {
        void slide.close();
        return;
      }
      // the engine's word on which file it opened (files[0] follows the same rule: ui/files.ts)
      const opened: OpenedSlide = { slide, name: slide.name.split('/').pop() || name, files, openedMs: performance.now() - started };
      setCurrent((prev) => {
        if (prev) void prev.slide.close().catch(() => {});
        return opened;
      });
      setState({ status: 'open', opened });
    } catch (e) {
      if (my !== seq.current) return;
      const { code, message } = describeError(e);
      // the likely cause, from the main file's first bytes and the names given with it
      const refusal = await explainOpenFailure(e, { path: main.path, blob: main.file }, files.map((f) => f.path));
      if (my !== seq.current) return;
      setState({ status: 'error', name: refusal.file || name, code, message: refusal.openslideReason || message, refusal });
    }
  }, []);

  const dismissError = useCallback(() => {
    setState((s) => (s.status === 'error' ? (current ? { status: 'open', opened: current } : { status: 'idle' }) : s));
  }, [current]);

  useEffect(() => () => abort.current?.abort(), []);

  return { state, current, open, dismissError };
}
