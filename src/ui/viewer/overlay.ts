// What the preview draws over the slide, in plain arrays: the planned grid with one status per tile,
// and annotation rings. Drawing loops over visible origins only.

export interface GridOverlay {
  /** interleaved x,y tile origins in the plan level's pixels (core Grid.origins) */
  origins: Int32Array;
  columns: number;
  rows: number;
  tileW: number;
  tileH: number;
  /** level-0 px per level px */
  downsample: number;
  /** per tile: index into `reasons` (0 = accepted) */
  status: Uint8Array;
  reasons: readonly string[];
}

export interface AnnotationRing {
  /** level-0 x,y pairs */
  points: ArrayLike<number>;
  color: string;
  hole: boolean;
}

// the decision colours live in the core: plan.png (src/export) draws with the very same ones
import { styleFor } from '../../core/decisionStyles.ts';
export { styleFor, type BoxStyle } from '../../core/decisionStyles.ts';

/** First index i in the sorted axis with origin[i] + extent > lo. */
function firstAfter(axis: (i: number) => number, n: number, extent: number, lo: number): number {
  let a = 0;
  let b = n;
  while (a < b) {
    const m = (a + b) >> 1;
    if (axis(m) + extent > lo) b = m;
    else a = m + 1;
  }
  return a;
}
/** Last index i with origin[i] < hi, or -1. */
function lastBefore(axis: (i: number) => number, n: number, hi: number): number {
  let a = 0;
  let b = n;
  while (a < b) {
    const m = (a + b) >> 1;
    if (axis(m) < hi) a = m + 1;
    else b = m;
  }
  return a - 1;
}

/** Column/row ranges of tiles intersecting a level-0 rectangle. */
export function visibleRange(g: GridOverlay, x0: number, y0: number, x1: number, y1: number) {
  const ds = g.downsample;
  const colX = (c: number) => g.origins[2 * c];
  const rowY = (r: number) => g.origins[2 * r * g.columns + 1];
  return {
    c0: firstAfter(colX, g.columns, g.tileW, x0 / ds),
    c1: lastBefore(colX, g.columns, x1 / ds),
    r0: firstAfter(rowY, g.rows, g.tileH, y0 / ds),
    r1: lastBefore(rowY, g.rows, y1 / ds),
  };
}

/** The tile under a level-0 point (the last one in grid order, as drawn on top), or -1. */
export function hitTile(g: GridOverlay, x: number, y: number): number {
  if (g.columns === 0 || g.rows === 0) return -1;
  const { c0, c1, r0, r1 } = visibleRange(g, x, y, x + 1e-9, y + 1e-9);
  if (c0 > c1 || r0 > r1) return -1;
  return r1 * g.columns + c1;
}

/** Draws every visible box, batched into one path per status; returns how many. `ctx` is in level-0 coordinates. */
export function drawGrid(ctx: CanvasRenderingContext2D, g: GridOverlay, view: { x0: number; y0: number; x1: number; y1: number; scale: number }, highlight: number): number {
  const { c0, c1, r0, r1 } = visibleRange(g, view.x0, view.y0, view.x1, view.y1);
  if (c0 > c1 || r0 > r1) return 0;
  let drawn = 0;
  const ds = g.downsample;
  const w = g.tileW * ds;
  const h = g.tileH * ds;
  const tiny = w * view.scale < 3;
  for (let s = 0; s < g.reasons.length; s++) {
    const st = styleFor(g.reasons[s]);
    ctx.beginPath();
    let any = false;
    for (let r = r0; r <= r1; r++) {
      const base = r * g.columns;
      for (let c = c0; c <= c1; c++) {
        const i = base + c;
        if (g.status[i] !== s) continue;
        ctx.rect(g.origins[2 * i] * ds, g.origins[2 * i + 1] * ds, w, h);
        any = true;
        drawn++;
      }
    }
    if (!any) continue;
    if (st.fill && !tiny) {
      ctx.fillStyle = st.fill;
      ctx.fill();
    }
    ctx.strokeStyle = st.stroke;
    // boxes a few screen px wide: hairlines, so the slide still shows through a dense plan
    ctx.globalAlpha = tiny ? 0.45 : 1;
    ctx.lineWidth = (tiny ? 0.5 : st.width) / view.scale;
    ctx.setLineDash(tiny || !st.dash ? [] : st.dash.map((d) => d / view.scale));
    ctx.stroke();
    if (g.reasons[s] === 'manual' && !tiny) {
      // a cross marks tiles the user took out, so the reason reads without colour
      ctx.beginPath();
      for (let r = r0; r <= r1; r++)
        for (let c = c0; c <= c1; c++) {
          const i = r * g.columns + c;
          if (g.status[i] !== s) continue;
          const x = g.origins[2 * i] * ds;
          const y = g.origins[2 * i + 1] * ds;
          ctx.moveTo(x, y);
          ctx.lineTo(x + w, y + h);
          ctx.moveTo(x + w, y);
          ctx.lineTo(x, y + h);
        }
      ctx.stroke();
    }
  }
  ctx.setLineDash([]);
  ctx.globalAlpha = 1;
  if (highlight >= 0 && highlight < g.status.length) {
    ctx.strokeStyle = '#f0883e';
    ctx.lineWidth = 3 / view.scale;
    ctx.strokeRect(g.origins[2 * highlight] * ds, g.origins[2 * highlight + 1] * ds, w, h);
  }
  return drawn;
}

export function drawAnnotations(ctx: CanvasRenderingContext2D, rings: AnnotationRing[], scale: number) {
  for (const ring of rings) {
    const p = ring.points;
    if (p.length < 4) continue;
    ctx.beginPath();
    ctx.moveTo(p[0], p[1]);
    for (let k = 2; k < p.length; k += 2) ctx.lineTo(p[k], p[k + 1]);
    ctx.closePath();
    ctx.strokeStyle = ring.color;
    ctx.lineWidth = (ring.hole ? 1.5 : 2.5) / scale;
    ctx.setLineDash(ring.hole ? [5 / scale, 4 / scale] : []);
    ctx.stroke();
  }
  ctx.setLineDash([]);
}
