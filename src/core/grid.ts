// The tile grid, origin for origin equal to ratiopath's `grid_tiles` (ratiopath/tiling/tilers.py).
// Everything here is in the chosen level's pixels.
import { SlidetileError } from './errors.ts';

export type LastPolicy = 'drop' | 'keep' | 'shift';
export const LAST_POLICIES: readonly LastPolicy[] = ['drop', 'keep', 'shift'];

export type Extent = readonly [number, number];

export interface Grid {
  /** interleaved top-left origins x0,y0,x1,y1,… in level pixels, row-major with x fastest. */
  origins: Int32Array;
  count: number;
  columns: number;
  rows: number;
  /** human-readable notes on edge cases (tile larger than slide, empty grid). */
  warnings: string[];
}

/** a guard, not a ratiopath rule: 25 M tiles is 200 MB of origins, beyond any sane plan. */
export const MAX_GRID_TILES = 25_000_000;

export class GridError extends SlidetileError<'invalid-grid'> {
  override name = 'GridError';
  readonly code = 'invalid-grid';
}

function checkPositiveInt(what: string, v: readonly number[]): void {
  for (const n of v) {
    if (!Number.isInteger(n) || n <= 0 || n > 0x7fffffff) {
      throw new GridError(`${what} must be positive integers, got [${v.join(', ')}]`);
    }
  }
}

/**
 * Origins on one axis, as ratiopath computes them: n = (slide - tile) / stride in float64,
 * floored for 'drop', ceiled otherwise; n + 1 origins at i * stride (none when n < 0);
 * 'shift' clamps each to slide - tile (negative when the tile is larger than the slide).
 */
export function axisOrigins(slide: number, tile: number, stride: number, last: LastPolicy): Int32Array {
  const q = (slide - tile) / stride;
  const n = last === 'drop' ? Math.floor(q) : Math.ceil(q);
  const count = Math.max(0, n + 1);
  const out = new Int32Array(count);
  const limit = slide - tile;
  for (let i = 0; i < count; i++) {
    const o = i * stride;
    out[i] = last === 'shift' && o > limit ? limit : o;
  }
  return out;
}

/** Number of tiles a grid would have, without allocating it (for "too many tiles" checks in the UI). */
export function gridCount(slideExtent: Extent, tileExtent: Extent, stride: Extent, last: LastPolicy): number {
  validate(slideExtent, tileExtent, stride, last);
  const nx = (q: number) => Math.max(0, (last === 'drop' ? Math.floor(q) : Math.ceil(q)) + 1);
  return (
    nx((slideExtent[0] - tileExtent[0]) / stride[0]) * nx((slideExtent[1] - tileExtent[1]) / stride[1])
  );
}

function validate(slideExtent: Extent, tileExtent: Extent, stride: Extent, last: string): void {
  // ratiopath silently yields nothing for an unknown `last`; a typo should not give an empty dataset.
  if (!(LAST_POLICIES as readonly string[]).includes(last)) {
    throw new GridError(`last must be one of ${LAST_POLICIES.join(', ')}, got ${JSON.stringify(last)}`);
  }
  checkPositiveInt('slide extent', slideExtent);
  checkPositiveInt('tile extent', tileExtent);
  checkPositiveInt('stride', stride);
}

/**
 * ratiopath's grid_tiles as a flat typed array. Throws GridError on an unknown `last`,
 * non-positive or non-integer sizes, or a grid beyond MAX_GRID_TILES.
 */
export function gridTiles(slideExtent: Extent, tileExtent: Extent, stride: Extent, last: LastPolicy): Grid {
  validate(slideExtent, tileExtent, stride, last);
  const warnings: string[] = [];
  const [sw, sh] = slideExtent;
  const [tw, th] = tileExtent;
  if (tw > sw || th > sh) {
    // same condition as ratiopath's UserWarning; the origins below are still ratiopath's own.
    warnings.push(
      `tile ${tw}×${th} is larger than the slide level ${sw}×${sh}: ` +
        (last === 'drop'
          ? 'drop leaves no tile on that axis'
          : last === 'keep'
            ? 'keep reads past the slide edge (background)'
            : 'shift moves the origin to a negative coordinate (background on the far side)'),
    );
  }
  const xs = axisOrigins(sw, tw, stride[0], last);
  const ys = axisOrigins(sh, th, stride[1], last);
  const columns = xs.length;
  const rows = ys.length;
  const count = columns * rows;
  if (count > MAX_GRID_TILES) {
    throw new GridError(`${count} tiles is more than the ${MAX_GRID_TILES} a plan may hold; use a larger stride or a coarser level`);
  }
  if (last === 'keep' && count > 0 && (xs[columns - 1] >= sw || ys[rows - 1] >= sh)) {
    // ratiopath does this silently when stride > tile; those tiles are pure background.
    warnings.push('keep with a stride larger than the tile puts the last column or row wholly outside the slide');
  }
  if (count === 0) warnings.push('the grid is empty: no tile fits the slide level');
  const origins = new Int32Array(count * 2);
  let k = 0;
  for (let r = 0; r < rows; r++) {
    const y = ys[r];
    for (let c = 0; c < columns; c++) {
      origins[k++] = xs[c];
      origins[k++] = y;
    }
  }
  return { origins, count, columns, rows, warnings };
}

