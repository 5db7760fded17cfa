// slide info + settings + annotations + tissue mask + clicks → the core's geometric plan (memoised on
// exactly those inputs), then what reading tiles taught (core TileFacts: std, failed reads, kept per
// tile family under an exact key) applied to a copy of it — a std arriving does not recompute
// coverage or tissue for every tile.
import { useMemo } from 'react';
import {
  applyFacts,
  applyLimit,
  candidateIndices,
  clonePlan,
  makePlan,
  planCounts,
  REASONS,
  describeLevel,
  type AnnotationShape,
  type MppOverride,
  type Plan,
  type PlanCounts,
  type PlanParams,
  type ResolvedLevel,
  type SlideInfo,
  type TileFacts,
  type TissueMask,
} from '../../core/index.ts';
import type { GridOverlay } from '../viewer/overlay.ts';

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

interface Geometric {
  plan: Plan | null;
  error: string | null;
  resolved: ResolvedLevel;
}

/** The plan from its true inputs: geometry, geometric filters and manual choices; no facts. */
export function geometricPlan(
  info: SlideInfo,
  params: PlanParams,
  opts: { annotations?: readonly AnnotationShape[]; tissue?: TissueMask; manual: ReadonlyMap<number, boolean>; mppOverride?: MppOverride },
): Geometric {
  const resolved = describeLevel(info, params, opts.mppOverride);
  try {
    const plan = makePlan(info, params, { annotations: opts.annotations, tissue: opts.tissue, manual: opts.manual, mppOverride: opts.mppOverride });
    return { plan, error: null, resolved };
  } catch (e) {
    return { plan: null, error: e instanceof Error ? e.message : String(e), resolved };
  }
}

/** The geometric plan with every known fact applied, the candidates to read and the limit preview. */
export function withFacts(g: Geometric, facts: TileFacts): PlanResult {
  if (!g.plan) return { plan: null, base: null, error: g.error, candidates: new Int32Array(0), counts: null, overlay: null, resolved: g.resolved, failures: new Map() };
  const base = clonePlan(g.plan);
  const failures = applyFacts(base, facts);
  const candidates = candidateIndices(base);
  // preview the seed's stop: with the limit, tiles after the limit-th accepted one are never read
  let plan = base;
  const limit = base.params.limit;
  if (limit !== null && candidates.length > limit) {
    plan = clonePlan(base);
    applyLimit(plan, candidates[limit - 1]);
  }
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
  return { plan, base, error: null, candidates, counts: planCounts(plan), overlay, resolved: g.resolved, failures };
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
  const geometric = useMemo(
    () => (info ? geometricPlan(info, params, { annotations, tissue, manual, mppOverride }) : null),
    [info, params, annotations, tissue, manual, mppOverride],
  );
  return useMemo(
    () => (geometric ? withFacts(geometric, facts) : null),
    // factsVersion stands for the contents of `facts` (a mutable store the scan and the export fill)
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [geometric, facts, factsVersion],
  );
}
