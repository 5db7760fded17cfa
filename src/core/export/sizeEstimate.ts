// How big an export's zip will be, from what has been measured: the mean encoded size of this
// plan's tiles (same format, quality, level, tile size and background) over the tiles read so far —
// a few read for the estimate, then every tile an export saved — plus plan.png as rendered for this
// slide, the tables and the zip's own headers. Before anything is measured it falls back to typical
// H&E bytes per pixel and says so.
import type { Plan } from '../plan.ts';

/** Local header + central directory record of one stored entry, without its name (zipStream.ts). */
export const ZIP_ENTRY_BYTES = 30 + 46;
/** tiles.csv deflated, per planned row (measured: 9–12 B unmeasured rows, ~25 B with a std value). */
export const CSV_ROW_BYTES = 25;
/** slide.json + ratiopath_recipe.py deflated, with their entries (measured ~5.2 KB). */
export const TABLES_BYTES = 6 * 1024;

/** Tiles of one family encode alike: the key under which their sizes are pooled. */
export function tileSizeFamily(plan: Pick<Plan, 'level' | 'tile' | 'params'>): string {
  const p = plan.params;
  return [p.format, p.format === 'jpeg' ? p.jpegQuality : '', plan.level, plan.tile.join('x'), p.background].join('|');
}

/** Encoded tile sizes seen so far, per family and tile origin (a tile measured twice counts once). */
export class TileSizeLog {
  private families = new Map<string, { sizes: Map<string, number>; sum: number }>();
  version = 0;
  record(family: string, x: number, y: number, bytes: number): void {
    let f = this.families.get(family);
    if (!f) this.families.set(family, (f = { sizes: new Map(), sum: 0 }));
    const key = `${x},${y}`;
    f.sum += bytes - (f.sizes.get(key) ?? 0);
    f.sizes.set(key, bytes);
    this.version++;
  }
  has(family: string, x: number, y: number): boolean {
    return this.families.get(family)?.sizes.has(`${x},${y}`) ?? false;
  }
  /** the mean encoded bytes per tile and how many tiles it is over; null before the first */
  mean(family: string): { bytes: number; n: number } | null {
    const f = this.families.get(family);
    return f && f.sizes.size > 0 ? { bytes: f.sum / f.sizes.size, n: f.sizes.size } : null;
  }
}

/** Typical bytes per tile pixel when nothing is measured: H&E PNG ~2 B/px, JPEG 0.1–0.5 B/px. */
export function typicalBytesPerPixel(format: 'png' | 'jpeg', jpegQuality: number): number {
  if (format === 'png') return 2;
  const q = Math.min(100, Math.max(1, jpegQuality)) / 100;
  return 0.08 + 0.45 * q ** 3;
}

export interface SizeEstimate {
  total: number;
  tiles: number;
  planPng: number;
  tables: number;
  /** mean bytes per tile used, and over how many measured tiles (0 = the typical guess) */
  perTile: number;
  measured: number;
}

export function estimateExportSize(o: {
  /** tiles the export will save (at most) */
  tiles: number;
  /** rows of tiles.csv: every planned tile */
  planned: number;
  tileW: number;
  tileH: number;
  format: 'png' | 'jpeg';
  jpegQuality: number;
  /** TileSizeLog.mean for this plan's family */
  measured: { bytes: number; n: number } | null;
  /** a saved tile's path in the zip, e.g. "tiles/tile_00012.png" */
  tilePath: string;
  /** plan.png's bytes as rendered for this slide; null: about a few hundred KB */
  planPng: number | null;
  /** other files, e.g. annotations.geojson */
  extraBytes?: number;
}): SizeEstimate {
  const perTile = o.measured ? o.measured.bytes : o.tileW * o.tileH * typicalBytesPerPixel(o.format, o.jpegQuality);
  const tiles = o.tiles * (perTile + ZIP_ENTRY_BYTES + 2 * new TextEncoder().encode(o.tilePath).length);
  const planPng = o.planPng ?? 400 * 1024;
  const tables = o.planned * CSV_ROW_BYTES + TABLES_BYTES + (o.extraBytes ?? 0);
  return { total: Math.round(tiles + planPng + tables), tiles: Math.round(tiles), planPng, tables, perTile: Math.round(perTile), measured: o.measured?.n ?? 0 };
}

/** Up to `n` indices spread evenly over the first `within` entries of `list` (grid order). */
export function spreadSample(list: ArrayLike<number>, within: number, n: number): number[] {
  const m = Math.min(within, list.length);
  if (m <= n) return Array.from({ length: m }, (_, k) => list[k]);
  const out: number[] = [];
  for (let k = 0; k < n; k++) out.push(list[Math.floor(((k + 0.5) * m) / n)]);
  return out;
}
