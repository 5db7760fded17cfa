// A tile's label from the annotations' classes, the two rules users of CLAM, QuPath and slideflow ask
// for: the class covering the largest part of the tile, or the class at the tile's centre. Every
// class's coverage of every tile is kept too (tiles.csv's coverage_<class> columns), so a dataset can
// be relabelled later without the slide. The recipe redoes both rules with shapely (recipe.ts).
import type { AnnotationShape } from '../annotations/types.ts';
import { classNames } from '../annotations/colors.ts';
import { CoverageIndex } from '../filters/coverage.ts';
import type { Plan } from '../plan.ts';
import { tileRectLevel0 } from '../plan.ts';

export type LabelRule = 'largest' | 'centre';
export const LABEL_RULES: readonly LabelRule[] = ['largest', 'centre'];

export interface ClassLabels {
  rule: LabelRule;
  /** the classes, in the order of classNames (sorted); shapes without a class take no part */
  classes: string[];
  /** coverage[c][i]: fraction of tile i covered by class c (holes and negative regions respected) */
  coverage: Float32Array[];
  /** label[i]: index into classes, -1 when no class qualifies */
  label: Int16Array;
}

/**
 * Labels every planned tile. 'largest': the class with the largest coverage (> 0). 'centre': the
 * class covering more than half of the tile's centre pixel — the level-0 1×1 px square around the
 * tile's centre, so the rule is exact and reproducible with polygon areas, never a point exactly on
 * an outline. Ties go to the larger coverage of the whole tile, then to the first class by name.
 */
export function classLabels(plan: Plan, shapes: readonly AnnotationShape[], rule: LabelRule): ClassLabels {
  const classes = classNames(shapes);
  const n = plan.grid.count;
  const coverage = classes.map(() => new Float32Array(n));
  const label = new Int16Array(n).fill(-1);
  const indices = classes.map((c) => new CoverageIndex(shapes, [c]));
  // decisions in float64 (as shapely's areas); the table keeps float32
  const cov = new Float64Array(classes.length);
  const centre = new Float64Array(classes.length);
  for (let i = 0; i < n; i++) {
    const r = tileRectLevel0(plan, i);
    for (let c = 0; c < classes.length; c++) coverage[c][i] = cov[c] = indices[c].fraction(r);
    let best = -1;
    if (rule === 'largest') {
      for (let c = 0; c < classes.length; c++) if (cov[c] > 0 && (best < 0 || cov[c] > cov[best])) best = c;
    } else {
      const px = { x: r.x + r.w / 2 - 0.5, y: r.y + r.h / 2 - 0.5, w: 1, h: 1 };
      for (let c = 0; c < classes.length; c++) centre[c] = cov[c] > 0 ? indices[c].fraction(px) : 0;
      for (let c = 0; c < classes.length; c++) {
        if (!(centre[c] > 0.5)) continue;
        if (best < 0 || centre[c] > centre[best] || (centre[c] === centre[best] && cov[c] > cov[best])) best = c;
      }
    }
    label[i] = best;
  }
  return { rule, classes, coverage, label };
}

/** A class name as a folder name: characters unsafe in a zip entry or on Windows replaced. */
export function classFolder(name: string | null): string {
  if (name === null) return 'unlabelled';
  const safe = name.replace(/[<>:"/\\|?*\u0000-\u001f]/g, '_').replace(/^\.+$/, '_').trim();
  return safe === '' ? '_' : safe;
}
