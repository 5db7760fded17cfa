// Pure view arithmetic: level-0 world ↔ screen. screen = world * scale + (x, y).

export interface Viewport {
  scale: number;
  x: number;
  y: number;
}

export const MAX_SCALE = 16; // 16 screen px per level-0 px: individual pixels are plainly visible

export function fitViewport(worldW: number, worldH: number, screenW: number, screenH: number, margin = 16): Viewport {
  const scale = Math.min((screenW - 2 * margin) / worldW, (screenH - 2 * margin) / worldH);
  const s = Number.isFinite(scale) && scale > 0 ? scale : 1;
  return { scale: s, x: (screenW - worldW * s) / 2, y: (screenH - worldH * s) / 2 };
}

/** Zoom by `factor` keeping the screen point (px, py) fixed. */
export function zoomAt(v: Viewport, factor: number, px: number, py: number, minScale: number): Viewport {
  const scale = Math.min(MAX_SCALE, Math.max(minScale, v.scale * factor));
  const wx = (px - v.x) / v.scale;
  const wy = (py - v.y) / v.scale;
  return { scale, x: px - wx * scale, y: py - wy * scale };
}

export function toWorld(v: Viewport, sx: number, sy: number) {
  return { x: (sx - v.x) / v.scale, y: (sy - v.y) / v.scale };
}

export function visibleWorld(v: Viewport, w: number, h: number) {
  return { x0: -v.x / v.scale, y0: -v.y / v.scale, x1: (w - v.x) / v.scale, y1: (h - v.y) / v.scale };
}
