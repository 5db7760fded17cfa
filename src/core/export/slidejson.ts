// slide.json: what was tiled and how — the slide's facts, its OpenSlide properties, the parameters
// and the resolved level — so a dataset says where it came from. De-identified unless asked: the
// properties that identify a patient, a person, a date, a scanner or the original file are left
// out (core/deid.ts), and slide.json lists which were (names and why, never the values).
import { planCounts, type Plan } from '../plan.ts';
import { slideMpp, type SlideInfo } from '../slide.ts';
import { SLIDETILE_VERSION } from '../version.ts';
import { deidentifyProperties } from '../deid.ts';
import { MANUAL_EXCLUDE, MANUAL_INCLUDE } from '../filters/manual.ts';
import { pseudonymNote, renameInValue } from '../pseudonym.ts';

export interface RunSummary {
  saved: number;
  failed: number;
  cancelled: boolean;
}

export interface SlideJsonOptions {
  /** keep every property, identifying ones included (off by default) */
  identifying?: boolean;
  /** the slide's file name was replaced by a pseudonym (core/pseudonym.ts): also inside property values */
  pseudonym?: { original: string; pseudonym: string };
}

/** Grid indices the user included and excluded by hand. */
export function manualLists(plan: Plan): { include: number[]; exclude: number[] } {
  const include: number[] = [];
  const exclude: number[] = [];
  for (let i = 0; i < plan.manual.length; i++) {
    if (plan.manual[i] === MANUAL_INCLUDE) include.push(i);
    else if (plan.manual[i] === MANUAL_EXCLUDE) exclude.push(i);
  }
  return { include, exclude };
}

export function slideJson(plan: Plan, info: SlideInfo, slideFiles: readonly string[], run?: RunSummary, extra?: Record<string, unknown>, opts: SlideJsonOptions = {}): string {
  const d = opts.identifying ? null : deidentifyProperties(info.properties);
  let properties = d ? d.properties : info.properties;
  const ps = opts.pseudonym;
  if (ps) properties = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, renameInValue(v, ps.original, ps.pseudonym)]));
  const doc = {
    slidetile: { version: SLIDETILE_VERSION },
    files: [...slideFiles],
    vendor: info.vendor,
    mpp: slideMpp(info),
    levels: info.levels.map((l, i) => ({ level: i, width: l.width, height: l.height, downsample: l.downsample })),
    associated: info.associated.map((a) => ({ name: a.name, width: a.width, height: a.height })),
    properties,
    ...(ps ? { pseudonym: pseudonymNote() } : {}),
    deidentified: d
      ? { removed: d.removed.map((r) => ({ property: r.key, kind: r.kind, why: r.why })), note: 'identifying properties were left out; export with identifiers on to keep them' }
      : { removed: [], note: 'identifiers were kept on request: this file may identify the patient, people, dates and the scanner' },
    // the slide's content hash: a re-opened slide.json checks it is the same slide (core/export/reopen.ts)
    content: { quickhash: info.properties['openslide.quickhash-1'] ?? null },
    parameters: plan.params,
    // what the geometric filters were computed from: the typed µm/px, the tissue mask's rule
    sources: plan.sources,
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
    // the user's clicks, by grid index: with the parameters they make the plan again exactly
    manual: manualLists(plan),
    counts: planCounts(plan),
    ...(run ? { run } : {}),
    warnings: plan.warnings,
    ...(extra ?? {}),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
