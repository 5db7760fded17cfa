// OpenSlide's two coordinate spaces, kept apart by type: read_region takes x/y in level-0 pixels but
// width/height in the chosen level's pixels; ratiopath's read_tile and grid_tiles work in the level's
// pixels. The brands exist where a mix-up would read the wrong place (the engine's reads); inside the
// core, plans hold plain level-pixel numbers and cross to level 0 through the two conversions below,
// so every layer converts the same way.
import type { Rect } from './geometry/polygon.ts';

declare const space: unique symbol;
export type Level0Px = number & { readonly [space]: 'level0' };
export type LevelPx = number & { readonly [space]: 'level' };
export const level0 = (n: number) => n as Level0Px;
export const levelPx = (n: number) => n as LevelPx;

/**
 * Where a level-pixel origin is read in level 0: int(x × downsample), as ratiopath's read_tile
 * (read_region at the truncated product). tiles.csv's x0/y0, coords.h5 and QuPath names use it.
 */
export function readOrigin(x: number, downsample: number): Level0Px {
  return Math.trunc(x * downsample) as Level0Px;
}

/** The exact level-0 rectangle a level-pixel rectangle covers (coverage, tissue and drawing use it). */
export function level0Rect(x: number, y: number, w: number, h: number, downsample: number): Rect {
  return { x: x * downsample, y: y * downsample, w: w * downsample, h: h * downsample };
}
