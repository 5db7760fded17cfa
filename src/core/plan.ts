// The tile plan: the grid at the chosen level plus one decision per tile, all in typed arrays so a
// million-tile plan costs a few tens of megabytes and no per-tile objects.
import { gridTiles, type Grid } from './grid.ts';
import { level0Rect } from './coords.ts';
import type { Rect } from './geometry/polygon.ts';
import { checkLevel, closestLevel, levelMpp, type Mpp, type MppOverride } from './levels.ts';
import { parsePlanParams, type PlanParams, type PlanParamsInput } from './params.ts';
import type { SlideInfo } from './slide.ts';
import type { AnnotationShape } from './annotations/types.ts';
import { CoverageIndex, coverageRejects } from './filters/coverage.ts';
import { tissueFraction, tissueRejects, tissueRuleOf, type TissueMask, type TissueRule } from './filters/tissue.ts';
import { MANUAL_EXCLUDE, MANUAL_INCLUDE, MANUAL_NONE, manualStates, type ManualState } from './filters/manual.ts';
import { stdRejects } from './filters/std.ts';

/** Reason codes stored in Plan.reason; REASONS[code] is the label used in tiles.csv and the UI. */
export const REASON = {
  none: 0,
  manual: 1,
  coverage: 2,
  tissue: 3,
  std: 4,
  readFailed: 5,
  limit: 6,
  notReached: 7,
} as const;
export type ReasonCode = (typeof REASON)[keyof typeof REASON];
export const REASONS: readonly string[] = ['', 'manual', 'coverage', 'tissue', 'std', 'read-failed', 'limit', 'not-reached'];

// per-tile flags behind the decision, so decisions can be recomputed after each new fact
const F_COVERAGE = 1; // coverage below min
const F_TISSUE = 2; // tissue below threshold
const F_STD = 4; // std <= threshold
const F_READ_FAILED = 8;
const F_LIMIT = 16; // not read: the limit was reached before this tile
const F_NOT_REACHED = 32; // not read: the export was cancelled (or stopped) before this tile
/** Bits of Plan.flags (stable values: the app copies plans and may clear the limit bit). */
export const PLAN_FLAGS = { coverage: F_COVERAGE, tissue: F_TISSUE, std: F_STD, readFailed: F_READ_FAILED, limit: F_LIMIT, notReached: F_NOT_REACHED } as const;

export interface Plan {
  params: PlanParams;
  level: number;
  downsample: number;
  /** µm/px at the chosen level, or null when neither the slide nor the user gave one. */
  mpp: Mpp | null;
  /** the level's [width, height]. */
  extent: [number, number];
  tile: [number, number];
  stride: [number, number];
  grid: Grid;
  /** 1 = the tile passes every filter known so far (std may still be unknown: NaN). */
  accepted: Uint8Array;
  /** REASON code of the filter that rejected it, 0 when accepted. */
  reason: Uint8Array;
  /** annotation coverage fraction, NaN when not computed. */
  coverage: Float32Array;
  /** tissue fraction, NaN when not computed. */
  tissue: Float32Array;
  /** pixel std as measured (float64, numpy's value to the last bit), NaN until measured. */
  std: Float64Array;
  /** ManualState per tile. */
  manual: Uint8Array;
  flags: Uint8Array;
  warnings: string[];
  /** what the geometric filters were computed from, for slide.json and the ratiopath recipe. */
  sources: PlanSources;
}

export interface PlanSources {
  /** the tissue mask's level-0 px per mask px, size and rule (mode, channel, Otsu threshold, morphology); null without a mask. */
  tissue: ({ downsample: number; width: number; height: number } & TissueRule) | null;
  /** number of annotation shapes offered to the coverage filter (before the class filter). */
  annotations: number;
  /** the µm/px the user typed for a slide whose file has none. */
  mppOverride: MppOverride | null;
}

export interface PlanOptions {
  annotations?: readonly AnnotationShape[];
  tissue?: TissueMask;
  manual?: ReadonlyMap<number, boolean>;
  mppOverride?: MppOverride;
}

/** The level the parameters choose and its µm/px, or why none could be chosen (for the controls). */
export interface ResolvedLevel {
  level: number | null;
  mpp: Mpp | null;
  error: string | null;
}

/** resolveLevel + levelMpp, never throwing: a failure is described in `error`. */
export function describeLevel(info: SlideInfo, params: Pick<PlanParams, 'resolution'>, mppOverride?: MppOverride): ResolvedLevel {
  try {
    const level = resolveLevel(info, params, mppOverride);
    return { level, mpp: levelMpp(info, level, mppOverride), error: null };
  } catch (e) {
    return { level: null, mpp: null, error: e instanceof Error ? e.message : String(e) };
  }
}

/** Level chosen by the parameters: closestLevel for a µm/px target, else the level as given. */
export function resolveLevel(info: SlideInfo, params: Pick<PlanParams, 'resolution'>, mppOverride?: MppOverride): number {
  if (params.resolution.mode === 'mpp') return closestLevel(params.resolution.mpp, info, mppOverride);
  checkLevel(info, params.resolution.level);
  return params.resolution.level;
}

function decide(plan: Plan, i: number): void {
  const f = plan.flags[i];
  const m = plan.manual[i] as ManualState;
  let r: number = REASON.none;
  if (f & F_READ_FAILED) r = REASON.readFailed;
  else if (m === MANUAL_EXCLUDE) r = REASON.manual;
  else if (m === MANUAL_INCLUDE) r = REASON.none;
  else if (f & F_COVERAGE) r = REASON.coverage;
  else if (f & F_TISSUE) r = REASON.tissue;
  else if (f & F_STD) r = REASON.std;
  if (r === REASON.none && f & F_LIMIT) r = REASON.limit;
  else if (r === REASON.none && f & F_NOT_REACHED) r = REASON.notReached;
  plan.reason[i] = r;
  plan.accepted[i] = r === REASON.none ? 1 : 0;
}

/** Level-0 rectangle of tile i as tile_annotations sees it: origin × downsample, size × downsample. */
export function tileRectLevel0(plan: Plan, i: number): Rect {
  return level0Rect(plan.grid.origins[2 * i], plan.grid.origins[2 * i + 1], plan.tile[0], plan.tile[1], plan.downsample);
}

/**
 * Build the plan. Geometry-only filters (coverage, tissue, manual) are decided here; std needs
 * pixels and arrives later through applyStd. Throws MissingMppError / LevelError / GridError /
 * ParamsError on bad input.
 */
export function makePlan(info: SlideInfo, paramsIn: PlanParams | PlanParamsInput, opts: PlanOptions = {}): Plan {
  const params = parsePlanParams(paramsIn);
  const warnings: string[] = [];
  const level = resolveLevel(info, params, opts.mppOverride);
  const lv = info.levels[level];
  const extent: [number, number] = [lv.width, lv.height];
  const grid = gridTiles(extent, params.tile, params.stride, params.last);
  warnings.push(...grid.warnings);
  const n = grid.count;
  const mpp = levelMpp(info, level, opts.mppOverride);
  if (params.resolution.mode === 'mpp' && mpp) {
    const want = params.resolution.mpp;
    const off = Math.max(Math.abs(mpp.x - want), Math.abs(mpp.y - want)) / want;
    if (off > 0.25) warnings.push(`closest level ${level} is ${mpp.x.toFixed(3)} µm/px, ${Math.round(off * 100)}% from the ${want} asked for`);
  }
  const { states, outOfRange } = manualStates(opts.manual, n);
  if (outOfRange.length > 0) warnings.push(`${outOfRange.length} manual choice(s) refer to tiles outside this grid and were ignored`);
  const plan: Plan = {
    params,
    level,
    downsample: lv.downsample,
    mpp,
    extent,
    tile: [params.tile[0], params.tile[1]],
    stride: [params.stride[0], params.stride[1]],
    grid,
    accepted: new Uint8Array(n),
    reason: new Uint8Array(n),
    coverage: new Float32Array(n).fill(Number.NaN),
    tissue: new Float32Array(n).fill(Number.NaN),
    std: new Float64Array(n).fill(Number.NaN),
    manual: states,
    flags: new Uint8Array(n),
    warnings,
    sources: {
      tissue: opts.tissue
        ? { downsample: opts.tissue.downsample, width: opts.tissue.width, height: opts.tissue.height, ...tissueRuleOf(opts.tissue) }
        : null,
      annotations: opts.annotations?.length ?? 0,
      mppOverride: opts.mppOverride ?? null,
    },
  };

  if (opts.annotations && (params.coverage || opts.annotations.length > 0)) {
    const classes = params.coverage?.classes ?? [];
    const index = new CoverageIndex(opts.annotations, classes);
    if (params.coverage && index.size === 0) {
      warnings.push(classes.length > 0 ? `no annotation has class ${classes.join(' or ')}: every tile has coverage 0` : 'the annotations hold no polygon: every tile has coverage 0');
    }
    const min = params.coverage?.min;
    for (let i = 0; i < n; i++) {
      const c = index.fraction(tileRectLevel0(plan, i));
      plan.coverage[i] = c;
      if (min !== undefined && coverageRejects(c, min)) plan.flags[i] |= F_COVERAGE;
    }
  } else if (params.coverage) {
    warnings.push('a coverage filter is set but no annotations are loaded: the filter is not applied');
  }

  if (opts.tissue) {
    const t = params.tissueThreshold;
    for (let i = 0; i < n; i++) {
      const f = tissueFraction(opts.tissue, tileRectLevel0(plan, i));
      plan.tissue[i] = f;
      if (t !== null && tissueRejects(f, t)) plan.flags[i] |= F_TISSUE;
    }
  } else if (params.tissueThreshold !== null) {
    warnings.push('a tissue threshold is set but no tissue mask was computed: the filter is not applied');
  }

  for (let i = 0; i < n; i++) decide(plan, i);
  return plan;
}

function checkIndex(plan: Plan, i: number): void {
  if (!Number.isInteger(i) || i < 0 || i >= plan.grid.count) throw new RangeError(`tile index ${i} is outside 0..${plan.grid.count - 1}`);
}

/** Record a measured std (float64, kept as is) and re-decide the tile. Returns whether it is accepted. */
export function applyStd(plan: Plan, i: number, std: number): boolean {
  checkIndex(plan, i);
  plan.std[i] = std;
  const t = plan.params.stdThreshold;
  if (t !== null && stdRejects(std, t)) plan.flags[i] |= F_STD;
  else plan.flags[i] &= ~F_STD;
  decide(plan, i);
  return plan.accepted[i] === 1;
}

/** The tile could not be read (corrupt slide data): never accepted, reason 'read-failed'. */
export function applyReadFailure(plan: Plan, i: number): void {
  checkIndex(plan, i);
  plan.flags[i] |= F_READ_FAILED;
  decide(plan, i);
}

/** Set or clear a manual choice (true = include, false = exclude, null = none). */
export function setManual(plan: Plan, i: number, include: boolean | null): void {
  checkIndex(plan, i);
  plan.manual[i] = include === null ? MANUAL_NONE : include ? MANUAL_INCLUDE : MANUAL_EXCLUDE;
  decide(plan, i);
}

/**
 * The seed stops after `limit` saved tiles: every tile after `lastIndex` that is still accepted was
 * never read, and is marked 'limit'.
 */
export function applyLimit(plan: Plan, lastIndex: number): void {
  for (let i = Math.max(0, lastIndex + 1); i < plan.grid.count; i++) {
    plan.flags[i] |= F_LIMIT;
    decide(plan, i);
  }
}

/**
 * An export stopped early (cancelled, or its destination failed): every tile after `lastIndex` that
 * is still accepted was never reached, and is marked 'not-reached' (not 'limit': no limit stopped it).
 */
export function applyNotReached(plan: Plan, lastIndex: number): void {
  for (let i = Math.max(0, lastIndex + 1); i < plan.grid.count; i++) {
    plan.flags[i] |= F_NOT_REACHED;
    decide(plan, i);
  }
}

/** A copy whose per-tile decisions can change without touching the original. */
export function clonePlan(plan: Plan): Plan {
  return {
    ...plan,
    accepted: plan.accepted.slice(),
    reason: plan.reason.slice(),
    std: plan.std.slice(),
    manual: plan.manual.slice(),
    flags: plan.flags.slice(),
    warnings: [...plan.warnings],
  };
}

/** Forget earlier limit marks (before re-running an extraction with another limit). */
export function clearLimit(plan: Plan): void {
  for (let i = 0; i < plan.grid.count; i++) {
    if (plan.flags[i] & F_LIMIT) {
      plan.flags[i] &= ~F_LIMIT;
      decide(plan, i);
    }
  }
}

/** Tiles worth reading, in grid order: accepted so far (std may be unknown). */
export function candidateIndices(plan: Plan): Int32Array {
  let k = 0;
  for (let i = 0; i < plan.grid.count; i++) k += plan.accepted[i];
  const out = new Int32Array(k);
  k = 0;
  for (let i = 0; i < plan.grid.count; i++) if (plan.accepted[i]) out[k++] = i;
  return out;
}

export interface PlanCounts {
  total: number;
  accepted: number;
  /** accepted so far with std not yet measured (only when the std filter is on). */
  pending: number;
  /** rejected tiles per reason label. */
  byReason: Record<string, number>;
}

export function planCounts(plan: Plan): PlanCounts {
  const perCode = new Array<number>(REASONS.length).fill(0);
  let pending = 0;
  const stdOn = plan.params.stdThreshold !== null;
  for (let i = 0; i < plan.grid.count; i++) {
    perCode[plan.reason[i]]++;
    if (stdOn && plan.accepted[i] && Number.isNaN(plan.std[i])) pending++;
  }
  const byReason: Record<string, number> = {};
  for (let c = 1; c < REASONS.length; c++) byReason[REASONS[c]] = perCode[c];
  return { total: plan.grid.count, accepted: perCode[0], pending, byReason };
}
