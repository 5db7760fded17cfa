// Tissue mask from a low-resolution level, and each tile's tissue fraction.
//
// Variant: Otsu on the greyscale image (PIL's "L" weights), tissue = the darker class. That is
// ratiopath's default tissue_mask filter (grey → Otsu → closing/opening) and histolab's
// OtsuThreshold; CLAM thresholds saturation instead, which also works for faint stains but marks
// coloured pen and dust as tissue. A 'saturation' channel (tissue = the more saturated class) is
// offered for slides where grey fails, e.g. dark-background fluorescence. No morphology: a tile's
// fraction averages the mask over the tile, so isolated speckle barely moves it.

export type TissueChannel = 'grey' | 'saturation';

export interface TissueMask {
  width: number;
  height: number;
  /** level-0 pixels per mask pixel (the downsample of the level the mask was made from). */
  downsample: number;
  /** 1 = tissue, 0 = background; row-major, width × height. */
  data: Uint8Array;
  /** the Otsu threshold on the channel (0..255); tissue is <= it for grey, > it for saturation. */
  threshold: number;
  channel: TissueChannel;
  /** (width+1)·(height+1) summed-area table, built on first use. */
  integral?: Float64Array;
}

/** Otsu's threshold over a 256-bin histogram: t maximising between-class variance of [0..t] vs [t+1..255]. */
export function otsuThreshold(hist: ArrayLike<number>): number {
  let total = 0;
  let sumAll = 0;
  for (let v = 0; v < 256; v++) {
    total += hist[v];
    sumAll += v * hist[v];
  }
  if (total === 0) return 0;
  let w0 = 0;
  let sum0 = 0;
  let best = 0;
  let bestVar = -1;
  for (let t = 0; t < 255; t++) {
    w0 += hist[t];
    sum0 += t * hist[t];
    const w1 = total - w0;
    if (w0 === 0 || w1 === 0) continue;
    const m0 = sum0 / w0;
    const m1 = (sumAll - sum0) / w1;
    const between = w0 * w1 * (m0 - m1) * (m0 - m1);
    if (between > bestVar) {
      bestVar = between;
      best = t;
    }
  }
  return best;
}

/**
 * Mask from straight (un-premultiplied) RGBA pixels of a whole low-resolution level.
 * Transparent pixels are composited onto `background` first, as read_tile does.
 */
export function tissueMaskFromRGBA(
  rgba: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  downsample: number,
  opts: { channel?: TissueChannel; background?: number } = {},
): TissueMask {
  const n = width * height;
  if (rgba.length < n * 4) throw new RangeError(`expected ${n * 4} RGBA bytes for ${width}×${height}, got ${rgba.length}`);
  if (!(downsample > 0)) throw new RangeError(`downsample must be positive, got ${downsample}`);
  const channel = opts.channel ?? 'grey';
  const bg = opts.background ?? 255;
  const value = new Uint8Array(n);
  const hist = new Float64Array(256);
  for (let i = 0; i < n; i++) {
    const a = rgba[4 * i + 3];
    let r = rgba[4 * i];
    let g = rgba[4 * i + 1];
    let b = rgba[4 * i + 2];
    if (a !== 255) {
      r = Math.round((r * a + bg * (255 - a)) / 255);
      g = Math.round((g * a + bg * (255 - a)) / 255);
      b = Math.round((b * a + bg * (255 - a)) / 255);
    }
    let v: number;
    if (channel === 'grey') {
      // PIL's convert("L"): ITU-R 601-2 luma in 16-bit fixed point
      v = (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
    } else {
      const mx = Math.max(r, g, b);
      const mn = Math.min(r, g, b);
      v = mx === 0 ? 0 : Math.round(((mx - mn) * 255) / mx);
    }
    value[i] = v;
    hist[v]++;
  }
  const threshold = otsuThreshold(hist);
  const data = new Uint8Array(n);
  for (let i = 0; i < n; i++) data[i] = (channel === 'grey' ? value[i] <= threshold : value[i] > threshold) ? 1 : 0;
  return { width, height, downsample, data, threshold, channel };
}

function integralOf(mask: TissueMask): Float64Array {
  if (mask.integral) return mask.integral;
  const W = mask.width + 1;
  const s = new Float64Array(W * (mask.height + 1));
  for (let y = 0; y < mask.height; y++) {
    let row = 0;
    for (let x = 0; x < mask.width; x++) {
      row += mask.data[y * mask.width + x];
      s[(y + 1) * W + x + 1] = s[y * W + x + 1] + row;
    }
  }
  mask.integral = s;
  return s;
}

// ∫∫ mask over [0,X]×[0,Y] in mask pixels: the summed-area table interpolated bilinearly, which is
// exact for a piecewise-constant image.
function cumulative(mask: TissueMask, s: Float64Array, X: number, Y: number): number {
  const x = Math.min(Math.max(X, 0), mask.width);
  const y = Math.min(Math.max(Y, 0), mask.height);
  const W = mask.width + 1;
  const i = Math.min(Math.floor(x), mask.width - 1);
  const j = Math.min(Math.floor(y), mask.height - 1);
  if (i < 0 || j < 0) return 0;
  const fx = x - i;
  const fy = y - j;
  const s00 = s[j * W + i];
  const s10 = s[j * W + i + 1];
  const s01 = s[(j + 1) * W + i];
  const s11 = s[(j + 1) * W + i + 1];
  return s00 + fx * (s10 - s00) + fy * (s01 - s00) + fx * fy * (s11 - s10 - s01 + s00);
}

/**
 * Fraction of a level-0 rectangle that is tissue, each mask pixel weighted by its exact overlap.
 * Parts of the rectangle outside the mask count as background. O(1) per tile.
 */
export function tissueFraction(mask: TissueMask, rect: { x: number; y: number; w: number; h: number }): number {
  if (!(rect.w > 0 && rect.h > 0) || mask.width === 0 || mask.height === 0) return 0;
  const s = integralOf(mask);
  const d = mask.downsample;
  const x0 = rect.x / d;
  const y0 = rect.y / d;
  const x1 = (rect.x + rect.w) / d;
  const y1 = (rect.y + rect.h) / d;
  const a = cumulative(mask, s, x1, y1) - cumulative(mask, s, x0, y1) - cumulative(mask, s, x1, y0) + cumulative(mask, s, x0, y0);
  const f = a / ((x1 - x0) * (y1 - y0));
  return f > 1 ? 1 : f < 0 ? 0 : f;
}

/** The rule: reject when the tissue fraction < threshold. */
export function tissueRejects(fraction: number, threshold: number): boolean {
  return !(fraction >= threshold);
}
