// The export's tables and names, from the core. (A thin adapter: it only picks the core's builders
// and hands them the plan after the run; no table logic lives here.)
import * as core from '../core/index.ts';
import type { Plan, SlideInfo } from '../core/index.ts';
import type { Tables } from '../export/bundle.ts';
import type { ExtractResult } from '../export/extract.ts';

type AnyFn = (...a: unknown[]) => unknown;
const fn = (name: string): AnyFn | undefined => (core as unknown as Record<string, AnyFn | undefined>)[name];

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

/** Applies what the run learnt (std, failures, where it stopped) to a copy of the plan (one without the preview's limit marks). */
export function finalPlan(plan: Plan, result: ExtractResult): Plan {
  const p = clonePlan(plan);
  let last = -1;
  for (const o of result.outcomes) {
    if (o.status === 'failed') core.applyReadFailure(p, o.index);
    else if (o.std !== null) core.applyStd(p, o.index, o.std);
    last = o.index;
  }
  if (result.reachedLimit || result.cancelled) core.applyLimit(p, last);
  return p;
}

export function tileFileName(plan: Plan, i: number, slideName: string): string {
  const f = fn('tileFileName');
  const ext = plan.params.format === 'png' ? 'png' : 'jpg';
  if (f) return String(f(i, plan, slideName));
  const base = slideName.replace(/\.[^.]+$/, '');
  if (plan.params.naming === 'qupath') {
    const d = plan.downsample;
    const [x, y] = [plan.grid.origins[2 * i], plan.grid.origins[2 * i + 1]];
    return `${base} [d=${+d.toFixed(4)},x=${Math.round(x * d)},y=${Math.round(y * d)},w=${Math.round(plan.tile[0] * d)},h=${Math.round(plan.tile[1] * d)}].${ext}`;
  }
  return `tile_${String(i).padStart(5, '0')}.${ext}`;
}

export function makeTables(plan: Plan, info: SlideInfo, slideFiles: string[], failures: ReadonlyMap<number, string>): Tables {
  return {
    tilesCsv(result: ExtractResult, files: ReadonlyMap<number, string>) {
      const p = finalPlan(plan, result);
      const why = new Map(failures);
      for (const o of result.outcomes) if (o.error) why.set(o.index, o.error);
      const f = fn('tilesCsv');
      if (!f) throw new Error('tiles.csv builder missing from the core');
      return String(f(p, info, files, why));
    },
    slideJson(result: ExtractResult) {
      const f = fn('slideJson');
      if (!f) throw new Error('slide.json builder missing from the core');
      return String(f(finalPlan(plan, result), info, slideFiles, { saved: result.saved, failed: result.failed, cancelled: result.cancelled }));
    },
    recipe() {
      const f = fn('ratiopathRecipe');
      if (!f) throw new Error('ratiopath recipe builder missing from the core');
      return String(f(plan, info, slideFiles[0]));
    },
  };
}
