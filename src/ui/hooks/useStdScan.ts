// Measures tile std in the background (read + std in the workers, nothing encoded) so the plan can
// show which tiles the std filter rejects and the histogram can be drawn. Grid order first: that is
// where the seed's limit bites.
import { useEffect, useRef, useState } from 'react';
import { levelPx, type PooledSlide } from '../../engine/types.ts';
import type { Plan, TileFacts } from '../../core/index.ts';

export const AUTO_SCAN_MAX = 4096;

export interface ScanState {
  measured: number;
  total: number;
  running: boolean;
}

export function useStdScan(slide: PooledSlide | null, plan: Plan | null, candidates: Int32Array, facts: TileFacts, bump: () => void, paused: boolean): ScanState {
  const [state, setState] = useState<ScanState>({ measured: 0, total: 0, running: false });
  const latest = useRef({ plan, candidates });
  latest.current = { plan, candidates };
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
    const todo: number[] = [];
    for (let k = 0; k < candidates.length && todo.length < AUTO_SCAN_MAX; k++) {
      const i = candidates[k];
      if (!fam.known(o[2 * i], o[2 * i + 1])) todo.push(i);
    }
    if (todo.length === 0) {
      setState({ measured: 0, total: 0, running: false });
      return;
    }
    const ac = new AbortController();
    let next = 0;
    let measured = 0;
    let dirty = false;
    const flush = setInterval(() => {
      if (dirty) {
        dirty = false;
        bump();
        setState({ measured, total: todo.length, running: measured < todo.length });
      }
    }, 200);
    setState({ measured: 0, total: todo.length, running: true });
    const worker = async () => {
      while (!ac.signal.aborted && next < todo.length) {
        const i = todo[next++];
        const x = o[2 * i];
        const y = o[2 * i + 1];
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
    // one read per worker, not the pool's two: the viewer's reads queue behind whatever the scan has
    // in flight, and a second read per worker made the first preview wait (bench: first preview)
    const lanes = Math.max(1, slide.workers);
    void Promise.all(Array.from({ length: lanes }, worker)).then(() => {
      if (ac.signal.aborted) return;
      bump();
      setState({ measured, total: todo.length, running: false });
    });
    return () => {
      ac.abort();
      clearInterval(flush);
    };
  }, [slide, key, paused, facts, bump]);
  return state;
}
