// tiles.csv: one row per planned tile, rejected ones included, so a dataset can be audited later.
import type { Plan } from '../plan.ts';
import { REASONS } from '../plan.ts';
import type { SlideInfo } from '../slide.ts';
import { readOrigin } from '../coords.ts';
import type { ClassLabels } from './labels.ts';

export const TILES_CSV_COLUMNS = [
  'index', 'x', 'y', 'x0', 'y0', 'level', 'downsample', 'width', 'height', 'mpp_x', 'mpp_y',
  'std', 'tissue', 'coverage', 'accepted', 'reason', 'file',
] as const;

/** RFC 4180 field quoting. */
export function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

// std is float64 as measured: printed in full (the shortest string that reads back as the same
// double), so a dataset's std column equals numpy's tile.std() to the last bit
function f64(v: number): string {
  return v !== v ? '' : String(v);
}

// Float32 values printed to the precision they hold; NaN (unknown) as an empty field
function f32(v: number): string {
  if (v !== v) return '';
  if (v === 0 || v === 1) return v === 0 ? '0' : '1';
  return String(Number(v.toPrecision(7)));
}

/**
 * The table. `fileNames` maps a tile index to the file it was saved as (absent = not saved);
 * `errors`, when given, adds an `error` column with each failed read's message; `labels` adds
 * `label` (by its rule) and one `coverage_<class>` column per annotation class.
 */
export function tilesCsv(
  plan: Plan,
  info: SlideInfo,
  fileNames: ReadonlyMap<number, string> | ((i: number) => string | null | undefined),
  errors?: ReadonlyMap<number, string>,
  labels?: ClassLabels,
): string {
  void info; // the slide's facts live in slide.json; kept in the signature for callers' symmetry
  const name = typeof fileNames === 'function' ? fileNames : (i: number) => fileNames.get(i);
  const withErrors = errors !== undefined;
  const labelColumns = labels ? ['label', ...labels.classes.map((c) => csvField(`coverage_${c}`))] : [];
  const header = [...TILES_CSV_COLUMNS, ...(withErrors ? ['error'] : []), ...labelColumns].join(',');
  const d = plan.downsample;
  const ds = String(d);
  const mx = plan.mpp ? String(plan.mpp.x) : '';
  const my = plan.mpp ? String(plan.mpp.y) : '';
  const w = String(plan.tile[0]);
  const h = String(plan.tile[1]);
  const lv = String(plan.level);
  const rows: string[] = new Array(plan.grid.count + 1);
  rows[0] = header;
  for (let i = 0; i < plan.grid.count; i++) {
    const x = plan.grid.origins[2 * i];
    const y = plan.grid.origins[2 * i + 1];
    const x0 = readOrigin(x, d);
    const y0 = readOrigin(y, d);
    const file = name(i) ?? '';
    let row =
      `${i},${x},${y},${x0},${y0},${lv},${ds},${w},${h},${mx},${my},` +
      `${f64(plan.std[i])},${f32(plan.tissue[i])},${f32(plan.coverage[i])},${plan.accepted[i]},${REASONS[plan.reason[i]]},${csvField(file)}`;
    if (withErrors) row += `,${csvField(errors.get(i) ?? '')}`;
    if (labels) {
      const l = labels.label[i];
      row += `,${l < 0 ? '' : csvField(labels.classes[l])}`;
      for (const c of labels.coverage) row += `,${f32(c[i])}`;
    }
    rows[i + 1] = row;
  }
  return rows.join('\n') + '\n';
}
