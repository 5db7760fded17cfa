// slide.json: what was tiled and how — the slide's facts, every OpenSlide property, the parameters
// and the resolved level — so a dataset says where it came from.
import { planCounts, type Plan } from '../plan.ts';
import { slideMpp, type SlideInfo } from '../slide.ts';
import { SLIDETILE_VERSION } from '../version.ts';

export interface RunSummary {
  saved: number;
  failed: number;
  cancelled: boolean;
}

export function slideJson(plan: Plan, info: SlideInfo, slideFiles: readonly string[], run?: RunSummary, extra?: Record<string, unknown>): string {
  const doc = {
    slidetile: { version: SLIDETILE_VERSION },
    files: [...slideFiles],
    vendor: info.vendor,
    mpp: slideMpp(info),
    levels: info.levels.map((l, i) => ({ level: i, width: l.width, height: l.height, downsample: l.downsample })),
    associated: info.associated.map((a) => ({ name: a.name, width: a.width, height: a.height })),
    properties: info.properties,
    parameters: plan.params,
    plan: {
      level: plan.level,
      downsample: plan.downsample,
      mpp: plan.mpp,
      extent: plan.extent,
      tile_extent: plan.tile,
      stride: plan.stride,
      last: plan.params.last,
      tiles: plan.grid.count,
      columns: plan.grid.columns,
      rows: plan.grid.rows,
    },
    counts: planCounts(plan),
    ...(run ? { run } : {}),
    warnings: plan.warnings,
    ...(extra ?? {}),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
