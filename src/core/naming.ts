// Tile file names: the seed's `tile_{i:05d}.png`, or QuPath's TileExporter style
// `NAME [d=D,x=X,y=Y,w=W,h=H].png` with level-0 x, y, w, h.
import { readOrigin } from './coords.ts';
import type { Plan } from './plan.ts';

export type NamingStyle = 'index' | 'qupath';

export function tileExtension(format: 'png' | 'jpeg'): 'png' | 'jpg' {
  return format === 'png' ? 'png' : 'jpg';
}

/** Level-0 origin actually read for tile i: int(x × downsample), as ratiopath's read_region_relative. */
export function tileOriginLevel0(plan: Plan, i: number): [number, number] {
  return [readOrigin(plan.grid.origins[2 * i], plan.downsample), readOrigin(plan.grid.origins[2 * i + 1], plan.downsample)];
}

/** QuPath writes the downsample with up to 5 decimals and no trailing zeros (d=4, d=4.00035). */
export function formatDownsample(d: number): string {
  return String(Number(d.toFixed(5)));
}

/** Slide file name without its directory and last extension ("a/b/CMU-1.svs" → "CMU-1"). */
export function slideStem(slideName: string): string {
  const base = slideName.split(/[\\/]/).pop() ?? slideName;
  return base.includes('.') ? base.slice(0, base.lastIndexOf('.')) : base;
}

/**
 * File name of tile i (its grid index, so names stay stable whatever the filters drop).
 * `style` defaults to the plan's naming parameter; the extension follows its format.
 */
export function tileFileName(i: number, plan: Plan, slideName: string, style: NamingStyle = plan.params.naming): string {
  const ext = tileExtension(plan.params.format);
  if (style === 'index') return `tile_${String(i).padStart(5, '0')}.${ext}`;
  const [x0, y0] = tileOriginLevel0(plan, i);
  const d = plan.downsample;
  const w = Math.round(plan.tile[0] * d);
  const h = Math.round(plan.tile[1] * d);
  // characters that are unsafe in a zip entry or on Windows are replaced, the brackets kept
  const name = slideStem(slideName).replace(/[<>:"/\\|?*\u0000-\u001f]/g, '_');
  return `${name} [d=${formatDownsample(d)},x=${x0},y=${y0},w=${w},h=${h}].${ext}`;
}
