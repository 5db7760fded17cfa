// The navigator's geometry: the whole slide shrunk into a box, the current view as a rectangle in it,
// and a point in it back to the view that centres there. Pure, so the tests need no canvas.
import { visibleWorld, type Viewport } from './viewport.ts';

export interface MinimapLayout {
  /** minimap size, CSS px */
  width: number;
  height: number;
  /** minimap px per level-0 px */
  k: number;
}

/** The slide (worldW × worldH level-0 px) fitted inside maxW × maxH, aspect kept. */
export function minimapLayout(worldW: number, worldH: number, maxW: number, maxH: number): MinimapLayout {
  const k = Math.min(maxW / worldW, maxH / worldH);
  const s = Number.isFinite(k) && k > 0 ? k : 0;
  return { width: Math.max(1, Math.round(worldW * s)), height: Math.max(1, Math.round(worldH * s)), k: s };
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Smallest side of the view rectangle: zoomed far in, the view still shows as a visible mark. */
export const MIN_RECT = 4;

/**
 * What the viewer (screenW × screenH) shows, in minimap px, clipped to the minimap; null when the
 * view is entirely off the slide. A rectangle thinner than MIN_RECT grows about its centre.
 */
export function viewRect(view: Viewport, screenW: number, screenH: number, map: MinimapLayout): Rect | null {
  const v = visibleWorld(view, screenW, screenH);
  const x0 = Math.max(0, v.x0 * map.k);
  const y0 = Math.max(0, v.y0 * map.k);
  const x1 = Math.min(map.width, v.x1 * map.k);
  const y1 = Math.min(map.height, v.y1 * map.k);
  if (x1 <= x0 || y1 <= y0) return null;
  const grow = (a: number, b: number, max: number): [number, number] => {
    if (b - a >= MIN_RECT) return [a, b - a];
    const c = Math.min(max - MIN_RECT / 2, Math.max(MIN_RECT / 2, (a + b) / 2));
    return [c - MIN_RECT / 2, MIN_RECT];
  };
  const [x, w] = grow(x0, x1, map.width);
  const [y, h] = grow(y0, y1, map.height);
  return { x, y, w, h };
}

/** The level-0 point under minimap px (mx, my), kept on the slide. */
export function minimapToWorld(map: MinimapLayout, mx: number, my: number, worldW: number, worldH: number) {
  if (!(map.k > 0)) return { x: worldW / 2, y: worldH / 2 };
  return { x: Math.min(worldW, Math.max(0, mx / map.k)), y: Math.min(worldH, Math.max(0, my / map.k)) };
}

/** The same zoom, moved so the level-0 point (wx, wy) is at the screen's centre. */
export function centreOn(view: Viewport, wx: number, wy: number, screenW: number, screenH: number): Viewport {
  return { scale: view.scale, x: screenW / 2 - wx * view.scale, y: screenH / 2 - wy * view.scale };
}

/** The level-0 point at the screen's centre. */
export function viewCentre(view: Viewport, screenW: number, screenH: number) {
  return { x: (screenW / 2 - view.x) / view.scale, y: (screenH / 2 - view.y) / view.scale };
}

/**
 * How a navigator drag that starts at minimap px `start` moves the view: the minimap-px offset from
 * the pointer to the view centre, kept for the whole drag (centre = minimapToWorld(pointer + offset)).
 * Grabbed inside the view rectangle, the rectangle follows the pointer without a jump; grabbed
 * elsewhere, the offset is 0: the view centres under the pointer, then follows it.
 */
export function dragGrab(rect: Rect | null, centre: { x: number; y: number }, start: { x: number; y: number }, map: MinimapLayout) {
  const inside = rect !== null && start.x >= rect.x && start.x <= rect.x + rect.w && start.y >= rect.y && start.y <= rect.y + rect.h;
  if (!inside) return { dx: 0, dy: 0 };
  return { dx: centre.x * map.k - start.x, dy: centre.y * map.k - start.y };
}
