// The per-tile facts of an export's selected tiles, laid out for the formats training pipelines read
// besides the zip of crops: CLAM/TRIDENT coordinate files (coords.h5), ratiopath's Ray table
// (tiles.parquet) and WebDataset samples (one JSON per tile). Pure: the writers live in src/export.
import { readOrigin } from '../coords.ts';
import type { Plan } from '../plan.ts';
import { slideStem } from '../naming.ts';
import type { SlideInfo } from '../slide.ts';
import { slideMpp } from '../slide.ts';

/** Column arrays over the selected tiles, in grid order. Level-0 origins are ratiopath's int(x·ds). */
export interface DatasetColumns {
  index: Int32Array;
  /** origin in the chosen level's pixels (ratiopath's tile_x / tile_y) */
  tileX: Int32Array;
  tileY: Int32Array;
  /** origin in level-0 pixels: what CLAM, TRIDENT and OpenSlide's read_region take */
  x0: Int32Array;
  y0: Int32Array;
  std: Float64Array;
  tissue: Float32Array;
  coverage: Float32Array;
  /** where the tile's bytes are in the export ('' when the export holds no pixels) */
  file: string[];
}

/**
 * The selected tiles' columns. `selected` are grid indices in ascending order (what the run saved);
 * `files` maps an index to its path in the export.
 */
export function datasetColumns(plan: Plan, selected: readonly number[], files: ReadonlyMap<number, string>): DatasetColumns {
  const n = selected.length;
  const c: DatasetColumns = {
    index: new Int32Array(n),
    tileX: new Int32Array(n),
    tileY: new Int32Array(n),
    x0: new Int32Array(n),
    y0: new Int32Array(n),
    std: new Float64Array(n),
    tissue: new Float32Array(n),
    coverage: new Float32Array(n),
    file: new Array<string>(n),
  };
  const d = plan.downsample;
  for (let k = 0; k < n; k++) {
    const i = selected[k];
    const x = plan.grid.origins[2 * i];
    const y = plan.grid.origins[2 * i + 1];
    c.index[k] = i;
    c.tileX[k] = x;
    c.tileY[k] = y;
    c.x0[k] = readOrigin(x, d);
    c.y0[k] = readOrigin(y, d);
    c.std[k] = plan.std[i];
    c.tissue[k] = plan.tissue[i];
    c.coverage[k] = plan.coverage[i];
    c.file[k] = files.get(i) ?? '';
  }
  return c;
}

export type H5Attribute = number | string | number[];

/** Attributes that are float64 even when their values happen to be whole (a downsample of 1, say). */
export const H5_FLOAT_ATTRIBUTES: ReadonlySet<string> = new Set(['downsample', 'target_mpp', 'level0_mpp']);

/**
 * The attributes of coords.h5's `coords` dataset: the ones CLAM reads (patch_level, patch_size at that
 * level, downsample, level_dim, downsampled_level_dim, name), the ones TRIDENT and the models built on
 * its files read (patch_size_level0, level0_magnification, target_magnification, overlap), and ours
 * (µm/px, stride, tile height for non-square tiles). CLAM and TRIDENT assume square patches:
 * patch_size is the tile's width, and `patch_size_wh` says both.
 */
export function coordsH5Attributes(plan: Plan, info: SlideInfo, slideName: string): Record<string, H5Attribute> {
  const [w, h] = plan.tile;
  const d = plan.downsample;
  const level = info.levels[plan.level];
  const attrs: Record<string, H5Attribute> = {
    patch_level: plan.level,
    patch_size: w,
    patch_size_wh: [w, h],
    patch_size_level0: Math.round(w * d),
    downsample: [d, d],
    level_dim: [level.width, level.height],
    downsampled_level_dim: [level.width, level.height],
    overlap: w - plan.stride[0],
    stride: [plan.stride[0], plan.stride[1]],
    name: slideStem(slideName),
    save_path: '',
    coords_space: 'level 0 pixels, top-left (OpenSlide read_region); x0 = int(tile_x * downsample)',
  };
  if (plan.mpp) attrs.target_mpp = [plan.mpp.x, plan.mpp.y];
  const mpp0 = slideMpp(info);
  if (mpp0) attrs.level0_mpp = [mpp0.x, mpp0.y];
  const objective = Number.parseFloat(info.properties['openslide.objective-power'] ?? '');
  if (Number.isFinite(objective) && objective > 0) {
    attrs.level0_magnification = objective;
    // TRIDENT's target magnification: the objective scaled by the level's downsample
    attrs.target_magnification = objective / d;
  }
  return attrs;
}

/** One WebDataset sample's JSON: tile i's row as in tiles.parquet, with the plan's constants. */
export function sampleJson(plan: Plan, i: number, std: number | null, slideName: string, label?: string): string {
  const x = plan.grid.origins[2 * i];
  const y = plan.grid.origins[2 * i + 1];
  return JSON.stringify({
    slide: slideName,
    index: i,
    tile_x: x,
    tile_y: y,
    x0: readOrigin(x, plan.downsample),
    y0: readOrigin(y, plan.downsample),
    level: plan.level,
    downsample: plan.downsample,
    tile_extent_x: plan.tile[0],
    tile_extent_y: plan.tile[1],
    mpp_x: plan.mpp?.x ?? null,
    mpp_y: plan.mpp?.y ?? null,
    std: std === null ? null : nanToNull(std),
    tissue: nanToNull(plan.tissue[i]),
    coverage: nanToNull(plan.coverage[i]),
    ...(label !== undefined ? { label } : {}),
  });
}

function nanToNull(v: number): number | null {
  return v !== v ? null : v;
}

/** WebDataset's key of tile i: the part of a member's name before its first dot, unique per slide. */
export function sampleKey(index: number): string {
  return `tile_${String(index).padStart(5, '0')}`;
}
