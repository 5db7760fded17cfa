// slide info + settings + annotations + tissue mask + clicks + measured std → the core's plan.
// Measured std values are remembered per (level, tile size, background) and tile origin, so
// changing `last`, stride or thresholds reuses every read already made.
import { useMemo } from 'react';
import {
  applyLimit,
  applyReadFailure,
  applyStd,
  candidateIndices,
  makePlan,
  planCounts,
  REASONS,
  resolveLevel,
  levelMpp,
  type AnnotationShape,
  type MppOverride,
  type Plan,
  type PlanCounts,
  type PlanParams,
  type SlideInfo,
  type TissueMask,
} from '../../core/index.ts';
import type { GridOverlay } from '../viewer/overlay.ts';
import type { ResolvedLevel } from '../components/Controls.tsx';
import { clonePlan } from '../../export/tables.ts';

/** What reading a tile taught us, keyed by origin within one (level, size, background) family. */
export class TileFacts {
  private families = new Map<string, { std: Map<number, number>; failed: Map<number, string> }>();
  version = 0;
  static family(level: number, w: number, h: number, background: number) {
    return `${level}:${w}x${h}:${background}`;
  }
  static key(x: number, y: number) {
    // origins are below 2^31 and may be negative (shift with a tile larger than the slide)
    return (x + 2 ** 31) * 2 ** 32 + (y + 2 ** 31);
  }
  get(family: string) {
    let f = this.families.get(family);
    if (!f) this.families.set(family, (f = { std: new Map(), failed: new Map() }));
    return f;
  }
  setStd(family: string, x: number, y: number, std: number) {
    this.get(family).std.set(TileFacts.key(x, y), std);
    this.version++;
  }
  setFailed(family: string, x: number, y: number, why: string) {
    this.get(family).failed.set(TileFacts.key(x, y), why);
    this.version++;
  }
  clear() {
    this.families.clear();
    this.version++;
  }
}

export function planFamily(plan: Plan): string {
  return TileFacts.family(plan.level, plan.tile[0], plan.tile[1], plan.params.background);
}

export interface PlanResult {
  /** the plan as shown: with the limit's "never read" marks */
  plan: Plan | null;
  /** the same plan before the limit preview: what the export starts from */
  base: Plan | null;
  error: string | null;
  /** tiles to read on extraction, grid order, before the limit */
  candidates: Int32Array;
  counts: PlanCounts | null;
  overlay: GridOverlay | null;
  resolved: ResolvedLevel;
  /** read failures per tile index (reason), for tiles.csv */
  failures: Map<number, string>;
}

const OVERLAY_REASONS = REASONS.map((r) => (r === '' ? 'accepted' : r));

/** Builds the plan with every known fact applied; `manual` and `facts.version` drive recomputation. */
export function buildPlan(
  info: SlideInfo,
  params: PlanParams,
  opts: { annotations?: readonly AnnotationShape[]; tissue?: TissueMask; manual: ReadonlyMap<number, boolean>; facts: TileFacts; mppOverride?: MppOverride },
): PlanResult {
  let resolved: ResolvedLevel = { level: null, mpp: null, error: null };
  try {
    const level = resolveLevel(info, params, opts.mppOverride);
    resolved = { level, mpp: levelMpp(info, level, opts.mppOverride), error: null };
  } catch (e) {
    resolved = { level: null, mpp: null, error: e instanceof Error ? e.message : String(e) };
  }
  try {
    const plan = makePlan(info, params, { annotations: opts.annotations, tissue: opts.tissue, manual: opts.manual, mppOverride: opts.mppOverride });
    const fam = opts.facts.get(planFamily(plan));
    const failures = new Map<number, string>();
    const o = plan.grid.origins;
    if (fam.std.size > 0 || fam.failed.size > 0) {
      for (let i = 0; i < plan.grid.count; i++) {
        const k = TileFacts.key(o[2 * i], o[2 * i + 1]);
        const s = fam.std.get(k);
        if (s !== undefined) applyStd(plan, i, s);
        const f = fam.failed.get(k);
        if (f !== undefined) {
          applyReadFailure(plan, i);
          failures.set(i, f);
        }
      }
    }
    const candidates = candidateIndices(plan);
    const base = clonePlan(plan);
    // preview the seed's stop: with the limit, tiles after the limit-th accepted one are never read
    const limit = plan.params.limit;
    if (limit !== null && candidates.length > limit) applyLimit(plan, candidates[limit - 1]);
    const overlay: GridOverlay = {
      origins: plan.grid.origins,
      columns: plan.grid.columns,
      rows: plan.grid.rows,
      tileW: plan.tile[0],
      tileH: plan.tile[1],
      downsample: plan.downsample,
      status: plan.reason,
      reasons: OVERLAY_REASONS,
    };
    return { plan, base, error: null, candidates, counts: planCounts(plan), overlay, resolved, failures };
  } catch (e) {
    return { plan: null, base: null, error: e instanceof Error ? e.message : String(e), candidates: new Int32Array(0), counts: null, overlay: null, resolved, failures: new Map() };
  }
}

export function usePlan(
  info: SlideInfo | null,
  params: PlanParams,
  annotations: readonly AnnotationShape[] | undefined,
  tissue: TissueMask | undefined,
  manual: ReadonlyMap<number, boolean>,
  facts: TileFacts,
  factsVersion: number,
  mppOverride?: number,
): PlanResult | null {
  return useMemo(
    () => (info ? buildPlan(info, params, { annotations, tissue, manual, facts, mppOverride }) : null),
    // factsVersion stands for the contents of `facts`
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [info, params, annotations, tissue, manual, facts, factsVersion, mppOverride],
  );
}
