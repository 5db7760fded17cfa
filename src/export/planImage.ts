// plan.png, like ratiopath's example figure: the slide overview, the annotation outline and the tile
// boxes. Pure raster drawing into an RGBA buffer (no canvas), so the CLI can make the same picture;
// encoding is injected (OffscreenCanvas in the browser, pngjs in Node).
import type { RGBAImage } from '../engine/types.ts';

export interface PlanBox {
  /** level-0 rectangle */
  x: number;
  y: number;
  w: number;
  h: number;
  rgb: [number, number, number];
  /** outline thickness in picture px */
  width: number;
}

export interface PlanRing {
  /** level-0 x,y pairs */
  points: ArrayLike<number>;
  rgb: [number, number, number];
}

export type PngEncoder = (img: RGBAImage) => Promise<Uint8Array>;

export function hexRgb(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(hex);
  return m ? [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)] : [46, 160, 67];
}

/** The overview composited onto white, boxes and rings drawn on top; `downsample` = level-0 px per picture px. */
export function renderPlan(overview: RGBAImage, downsample: number, boxes: PlanBox[], rings: PlanRing[]): RGBAImage {
  const { width: W, height: H } = overview;
  const out = new Uint8Array(W * H * 4);
  const src = overview.data;
  for (let p = 0; p < W * H * 4; p += 4) {
    const a = src[p + 3] / 255;
    out[p] = Math.round(src[p] * a + 255 * (1 - a));
    out[p + 1] = Math.round(src[p + 1] * a + 255 * (1 - a));
    out[p + 2] = Math.round(src[p + 2] * a + 255 * (1 - a));
    out[p + 3] = 255;
  }
  const put = (x: number, y: number, c: [number, number, number], alpha = 1) => {
    if (x < 0 || y < 0 || x >= W || y >= H) return;
    const p = (y * W + x) * 4;
    out[p] = Math.round(out[p] * (1 - alpha) + c[0] * alpha);
    out[p + 1] = Math.round(out[p + 1] * (1 - alpha) + c[1] * alpha);
    out[p + 2] = Math.round(out[p + 2] * (1 - alpha) + c[2] * alpha);
  };
  const hline = (x0: number, x1: number, y: number, c: [number, number, number]) => {
    for (let x = Math.max(0, x0); x <= Math.min(W - 1, x1); x++) put(x, y, c);
  };
  const vline = (x: number, y0: number, y1: number, c: [number, number, number]) => {
    for (let y = Math.max(0, y0); y <= Math.min(H - 1, y1); y++) put(x, y, c);
  };
  const line = (ax: number, ay: number, bx: number, by: number, c: [number, number, number], t: number) => {
    const n = Math.max(1, Math.ceil(Math.hypot(bx - ax, by - ay)));
    const r = Math.floor(t / 2);
    for (let k = 0; k <= n; k++) {
      const x = Math.round(ax + ((bx - ax) * k) / n);
      const y = Math.round(ay + ((by - ay) * k) / n);
      for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) put(x + dx, y + dy, c);
    }
  };
  const t = Math.max(2, Math.round(Math.max(W, H) / 500));
  for (const ring of rings) {
    const p = ring.points;
    for (let k = 0; k + 3 < p.length; k += 2) line(p[k] / downsample, p[k + 1] / downsample, p[k + 2] / downsample, p[k + 3] / downsample, ring.rgb, t);
    if (p.length >= 4) line(p[p.length - 2] / downsample, p[p.length - 1] / downsample, p[0] / downsample, p[1] / downsample, ring.rgb, t);
  }
  for (const b of boxes) {
    const x0 = Math.round(b.x / downsample);
    const y0 = Math.round(b.y / downsample);
    const x1 = Math.round((b.x + b.w) / downsample) - 1;
    const y1 = Math.round((b.y + b.h) / downsample) - 1;
    for (let k = 0; k < b.width; k++) {
      hline(x0, x1, y0 + k, b.rgb);
      hline(x0, x1, y1 - k, b.rgb);
      vline(x0 + k, y0, y1, b.rgb);
      vline(x1 - k, y0, y1, b.rgb);
    }
  }
  return { width: W, height: H, data: out };
}

/** An RGBAImage as the DOM's ImageData (copies only when the bytes sit in a shared buffer). */
export function toImageData(img: RGBAImage): ImageData {
  const n = img.width * img.height * 4;
  const src = img.data;
  const arr = src.buffer instanceof ArrayBuffer ? new Uint8ClampedArray(src.buffer, src.byteOffset, n) : new Uint8ClampedArray(src.subarray(0, n));
  return new ImageData(arr as Uint8ClampedArray<ArrayBuffer>, img.width, img.height);
}

/** The browser's own PNG encoder. */
export const browserPngEncoder: PngEncoder = async (img) => {
  const c = new OffscreenCanvas(img.width, img.height);
  const ctx = c.getContext('2d')!;
  ctx.putImageData(toImageData(img), 0, 0);
  const blob = await c.convertToBlob({ type: 'image/png' });
  return new Uint8Array(await blob.arrayBuffer());
};
