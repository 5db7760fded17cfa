// The export's tables and names come from the core; this adapter hands them the plan after the run
// (what the run learnt: std, failed reads, where the limit or a cancel stopped it).
import { ENGINE_BUILD } from '../engine/build.ts';
import {
  annotationsGeoJson,
  applyLimit,
  applyNotReached,
  applyReadFailure,
  applyStd,
  clonePlan,
  coordsH5Attributes,
  datasetColumns,
  ratiopathRecipe,
  sampleJson,
  SLIDETILE_VERSION,
  slideJson,
  tileFileName as coreTileFileName,
  tilesCsv,
  type AnnotationShape,
  type ClassLabels,
  type Plan,
  type SlideInfo,
} from '../core/index.ts';
import type { Tables } from './bundle.ts';
import { coordsH5 } from './formats/coordsH5.ts';
import { tilesParquet } from './formats/tilesParquet.ts';
import { failureText, type ExtractResult } from './extract.ts';

/** Applies what the run learnt to a copy of the plan (one without the preview's limit marks). */
export function finalPlan(plan: Plan, result: ExtractResult): Plan {
  const p = clonePlan(plan);
  let last = -1;
  for (const o of result.outcomes) {
    if (o.status === 'failed') applyReadFailure(p, o.index);
    else if (o.std !== null) applyStd(p, o.index, o.std);
    last = o.index;
  }
  // tiles after the last one the run committed were never read: because the limit was reached,
  // or because the run was cancelled ('not-reached', so a dataset never blames a limit it didn't have)
  if (result.reachedLimit) applyLimit(p, last);
  else if (result.cancelled) applyNotReached(p, last);
  return p;
}

export function tileFileName(plan: Plan, i: number, slideName: string): string {
  return coreTileFileName(i, plan, slideName);
}

const ANNOTATIONS_FILE = 'annotations.geojson';

export function makeTables(
  plan: Plan,
  info: SlideInfo,
  slideFiles: string[],
  failures: ReadonlyMap<number, string>,
  annotations: readonly AnnotationShape[] | null,
  opts: {
    /** keep identifying slide properties in slide.json (off by default: core/deid.ts) */
    identifying?: boolean;
    /** the annotation file the coverage came from, for slide.json: its name and sha256 */
    annotationFile?: { name: string; sha256: string };
    /** the tiles' class labels (core/export/labels.ts): tiles.csv gets label and coverage_<class> columns */
    labels?: ClassLabels;
    /** tiles are filed under tiles/<class>/ (the recipe does the same) */
    byClass?: boolean;
    /** slideFiles already carry a pseudonym: the original name is replaced inside property values too */
    pseudonym?: { original: string; pseudonym: string };
  } = {},
): Tables {
  const withAnnotations = annotations !== null && annotations.length > 0;
  const cache = new WeakMap<ExtractResult, Plan>();
  const final = (r: ExtractResult) => {
    let p = cache.get(r);
    if (!p) cache.set(r, (p = finalPlan(plan, r)));
    return p;
  };
  return {
    tilesCsv(result, files) {
      const errors = new Map(failures);
      for (const o of result.outcomes) if (o.error) errors.set(o.index, failureText(o));
      return tilesCsv(final(result), info, files, errors, opts.labels);
    },
    slideJson(result) {
      return slideJson(final(result), info, slideFiles, { saved: result.saved, failed: result.failed, cancelled: result.cancelled }, { engine: ENGINE_BUILD, ...(opts.annotationFile ? { annotationFile: opts.annotationFile } : {}), ...(opts.labels ? { labels: { rule: opts.labels.rule, classes: opts.labels.classes } } : {}) }, { identifying: opts.identifying, pseudonym: opts.pseudonym });
    },
    recipe() {
      const labels = opts.labels ? { labels: { rule: opts.labels.rule, byClass: opts.byClass === true } } : {};
      return ratiopathRecipe(plan, info, slideFiles[0], withAnnotations ? { annotationsFile: ANNOTATIONS_FILE, ...labels } : {});
    },
    extraFiles() {
      // labels need every class; the recipe's coverage filter picks its own classes from the file
      return withAnnotations ? [[ANNOTATIONS_FILE, annotationsGeoJson(annotations, opts.labels ? null : (plan.params.coverage?.classes ?? null))]] : [];
    },
    async datasetFiles(result, selected, files, formats) {
      const p = final(result);
      const c = datasetColumns(p, selected, files);
      const out: [string, Uint8Array][] = [];
      if (formats.h5) out.push(['coords.h5', await coordsH5(c.x0, c.y0, coordsH5Attributes(p, info, slideFiles[0]))]);
      if (formats.parquet) {
        const constants = { path: slideFiles[0], level: p.level, downsample: p.downsample, tileExtent: p.tile, mpp: p.mpp };
        const labels = opts.labels;
        const label = labels ? selected.map((i) => (labels.label[i] < 0 ? '' : labels.classes[labels.label[i]])) : undefined;
        out.push(['tiles.parquet', await tilesParquet(c, constants, SLIDETILE_VERSION, label)]);
      }
      return out;
    },
    sampleJson(o) {
      const l = opts.labels?.label[o.index] ?? -1;
      return sampleJson(plan, o.index, o.std, slideFiles[0], opts.labels ? (l < 0 ? '' : opts.labels.classes[l]) : undefined);
    },
  };
}
