// Measures tile std in the background (read + std in the workers, nothing encoded) so the counts can
// say how many tiles the std filter drops and the histogram can be drawn. Tiles in view first (core
// scanOrder: the viewer reports what it shows through onView, and a pan re-orders what is left),
// then grid order: that is where the seed's limit bites.
//
// One read per worker, not the pool's two: the viewer's reads queue behind whatever the scan has in
// flight, and a second read per worker made the first preview wait (commit 899243b, bench: first
// preview). The scan asks for its next tile only when one of its reads returns, so a read the viewer
// queued meanwhile is ahead of it in the pool's queue.
//
// The scan marks `slidetile:std-scan:start` and measures `slidetile:std-scan` when it completes
// (performance timeline): the bench's std-scan figure (bench/scan.mjs) reads it.
import { useCallback, useEffect, useRef, useState } from 'react';
import { levelPx, type PooledSlide } from '../../engine/types.ts';
import { levelImageServes, stdFromLevelImage, type Plan, type TileFacts } from '../../core/index.ts';
import type { OverviewImage } from './useOverview.ts';
import { scanOrder, type ViewRect } from '../../core/scanOrder.ts';

export const AUTO_SCAN_MAX = 4096;

export interface ScanState {
  measured: number;
  total: number;
  running: boolean;
}

export interface StdScan extends ScanState {
  /** the viewer's visible level-0 rectangle: the scan measures what is in it first */
  onView(view: ViewRect): void;
}

/** Tiles measured from the overview between two yields to the page (a few ms of work each). */
const FROM_OVERVIEW_BATCH = 16;

/**
 * `overview`: when it is the plan's whole level (a small slide), tiles are measured from its pixels —
 * the engine's own std to the last bit (core stdFromLevelImage; src/engine/std-from-level.test.ts) —
 * and only the tiles it cannot vouch for are read.
 */
export function useStdScan(slide: PooledSlide | null, plan: Plan | null, candidates: Int32Array, facts: TileFacts, bump: () => void, paused: boolean, overview: OverviewImage | null = null): StdScan {
  const [state, setState] = useState<ScanState>({ measured: 0, total: 0, running: false });
  const latest = useRef({ plan, candidates });
  latest.current = { plan, candidates };
  // a ref, not state: a pan must neither re-render the app nor restart the scan
  const view = useRef<ViewRect | null>(null);
  const onView = useCallback((v: ViewRect) => {
    view.current = v;
  }, []);
  // restart only when the geometry or the geometric filters change, not on every std that arrives
  const key = plan
    ? [plan.level, plan.tile.join('x'), plan.params.background, plan.stride.join('x'), plan.params.last, plan.grid.count, JSON.stringify(plan.params.coverage), plan.params.tissueThreshold, plan.params.stdThreshold === null].join('|')
    : '';
  useEffect(() => {
    const { plan, candidates } = latest.current;
    if (!slide || !plan || paused || plan.params.stdThreshold === null) {
      setState({ measured: 0, total: 0, running: false });
      return;
    }
    const fam = facts.of(plan);
    const o = plan.grid.origins;
    const unknown: number[] = [];
    for (let k = 0; k < candidates.length; k++) {
      const i = candidates[k];
      if (!fam.known(o[2 * i], o[2 * i + 1])) unknown.push(i);
    }
    // the tiles in view first, then grid order; the cap keeps a huge plan's scan bounded
    let orderedFor = view.current;
    const todo = scanOrder(plan, unknown, orderedFor).slice(0, AUTO_SCAN_MAX);
    if (todo.length === 0) {
      setState({ measured: 0, total: 0, running: false });
      return;
    }
    const ac = new AbortController();
    let next = 0;
    let measured = 0;
    let dirty = false;
    const fromOverview = overview && levelImageServes(plan, overview.level) ? overview.rgba : null;
    const flush = setInterval(() => {
      if (dirty) {
        dirty = false;
        bump();
        setState({ measured, total: todo.length, running: measured < todo.length });
      }
    }, 200);
    setState({ measured: 0, total: todo.length, running: true });
    const startMark = performance.mark('slidetile:std-scan:start');
    /** the next tile to read; the rest is re-ordered first when the view moved since the last pick */
    const pick = () => {
      if (view.current !== orderedFor) {
        orderedFor = view.current;
        const rest = scanOrder(plan, todo.slice(next), orderedFor);
        for (let k = 0; k < rest.length; k++) todo[next + k] = rest[k];
      }
      return todo[next++];
    };
    const lane = async () => {
      let sinceYield = 0;
      while (!ac.signal.aborted && next < todo.length) {
        const i = pick();
        const x = o[2 * i];
        const y = o[2 * i + 1];
        const known = fromOverview ? stdFromLevelImage(fromOverview.data, fromOverview.width, fromOverview.height, x, y, plan.tile[0], plan.tile[1], plan.params.background) : null;
        if (known !== null) {
          facts.setStd(fam, x, y, known);
          measured++;
          dirty = true;
          // let the page paint between batches: this runs on the main thread
          if (++sinceYield >= FROM_OVERVIEW_BATCH) {
            sinceYield = 0;
            await new Promise((r) => setTimeout(r, 0));
          }
          continue;
        }
        try {
          const r = await slide.readTileEncoded(levelPx(x), levelPx(y), plan.level, levelPx(plan.tile[0]), levelPx(plan.tile[1]), {
            format: 'png',
            background: plan.params.background,
            skipStdAtOrBelow: Number.POSITIVE_INFINITY,
            signal: ac.signal,
          });
          facts.setStd(fam, x, y, r.std);
        } catch (e) {
          if (ac.signal.aborted) return;
          facts.setFailed(fam, x, y, e instanceof Error ? `${(e as { code?: string }).code ?? e.name}: ${e.message}` : String(e));
        }
        measured++;
        dirty = true;
      }
    };
    const lanes = Math.max(1, slide.workers);
    void Promise.all(Array.from({ length: lanes }, lane)).then(() => {
      if (ac.signal.aborted) return;
      performance.measure('slidetile:std-scan', { start: startMark.startTime, detail: { tiles: todo.length, workers: slide.workers } });
      clearInterval(flush);
      bump();
      setState({ measured, total: todo.length, running: false });
    });
    return () => {
      ac.abort();
      clearInterval(flush);
    };
  }, [slide, key, paused, facts, bump, overview]);
  return { ...state, onView };
}
