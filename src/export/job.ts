// The one adapter from a core Plan to the extraction loop's job: the app (useExtract) and the CLI
// (slidetile extract) both export through it, so a plan means the same reads, the same std rule and
// the same file names wherever it runs.
import { classFolder, MANUAL_INCLUDE, tileFileName, type ClassLabels, type Plan } from '../core/index.ts';
import type { ExtractJob } from './extract.ts';

export interface ExportJobOptions {
  /** the reader: the browser's worker pool or Node's */
  slide: ExtractJob['slide'];
  /** the slide's file name, for QuPath-style tile names */
  slideName: string;
  /** tiles to read in grid order (core candidateIndices of the plan with every known fact) */
  candidates: ArrayLike<number>;
  /** reads in flight; default 2 per worker */
  window?: number;
  /** file tiles under tiles/<label>/ (unlabelled ones under tiles/unlabelled/) */
  byClass?: ClassLabels;
}

/** Where tile i is written inside the export. */
export function tilePath(plan: Plan, i: number, slideName: string, byClass?: ClassLabels): string {
  if (!byClass) return `tiles/${tileFileName(i, plan, slideName)}`;
  const l = byClass.label[i];
  return `tiles/${classFolder(l < 0 ? null : byClass.classes[l])}/${tileFileName(i, plan, slideName)}`;
}

export function exportJobFor(plan: Plan, o: ExportJobOptions): Omit<ExtractJob, 'signal'> {
  return {
    slide: o.slide,
    level: plan.level,
    tileW: plan.tile[0],
    tileH: plan.tile[1],
    origins: plan.grid.origins,
    candidates: o.candidates,
    stdThreshold: plan.params.stdThreshold,
    // a tile the user included by hand is saved whatever its std (core: manual include wins)
    forceInclude: (i) => plan.manual[i] === MANUAL_INCLUDE,
    limit: plan.params.limit,
    format: plan.params.format,
    jpegQuality: plan.params.jpegQuality,
    background: plan.params.background,
    pathFor: (i) => tilePath(plan, i, o.slideName, o.byClass),
    window: o.window,
  };
}
