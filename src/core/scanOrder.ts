// The order the background std scan measures tiles in: the tiles the user is looking at first, so
// the boxes on screen and the histogram turn from "unmeasured" to decided where the eye is; then the
// rest in grid order, which is where the seed's limit bites (the first accepted tiles in grid order
// are the ones an export with a limit saves).
import type { Plan } from './plan.ts';

/** A level-0 rectangle by its corners (the viewer's visible part of the slide). */
export interface ViewRect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * `tiles` (grid indices, grid order) reordered: those whose level-0 rectangle overlaps `view` first,
 * nearest the view's centre first (what the eye lands on), then every other one in the order given.
 * Without a view (or an empty one) the order is unchanged. Pure; returns a new array.
 */
export function scanOrder(plan: Pick<Plan, 'grid' | 'tile' | 'downsample'>, tiles: ArrayLike<number>, view: ViewRect | null): number[] {
  const all = Array.from(tiles);
  if (!view || !(view.x1 > view.x0) || !(view.y1 > view.y0)) return all;
  const o = plan.grid.origins;
  const ds = plan.downsample;
  const tw = plan.tile[0] * ds;
  const th = plan.tile[1] * ds;
  const cx = (view.x0 + view.x1) / 2;
  const cy = (view.y0 + view.y1) / 2;
  const inView: { i: number; d: number }[] = [];
  const rest: number[] = [];
  for (const i of all) {
    const x = o[2 * i] * ds;
    const y = o[2 * i + 1] * ds;
    if (x < view.x1 && x + tw > view.x0 && y < view.y1 && y + th > view.y0) inView.push({ i, d: Math.hypot(x + tw / 2 - cx, y + th / 2 - cy) });
    else rest.push(i);
  }
  // a stable sort: tiles equally far from the centre keep their grid order
  inView.sort((a, b) => a.d - b.d);
  return [...inView.map((t) => t.i), ...rest];
}
