// Tissue mask from a low-resolution level, and each tile's tissue fraction.
//
// Channels (tissue = one class of Otsu's threshold on that channel of the overview):
// - grey: PIL's "L" weights, tissue = the darker class. ratiopath's default tissue_mask filter and
//   histolab's OtsuThreshold; right for brightfield (H&E, IHC), where tissue is darker than the glass.
// - saturation: tissue = the more saturated class (CLAM's choice); for faint brightfield stains. It
//   also marks coloured pen and dust as tissue, and on a fluorescence slide every lit pixel of a
//   one-colour channel is fully saturated, so there it passes everything.
// - fluorescence: max(R, G, B) — a pixel is lit if any channel is — on a log scale,
//   v = round(255 · ln(1 + m) / ln 256), tissue = the brighter class. The log matters: dark
//   background sits at 0–5 while tissue spans 8–200 and most of it is dim, so plain Otsu on m splits
//   bright nuclei from dim tissue (30 % of test3-TRITC's overview, holes everywhere) instead of tissue
//   from background (76 %); on the log scale the dim tissue is far from the background.
// Auto (the default) picks the channel from the slide: the median of max(R, G, B) over a frame along
// the overview's edge (2 % of the shorter side, at least 1 px), where there is usually no tissue. Below
// 128 (a dark background) → fluorescence, otherwise grey. Saturation is only ever a manual choice.
// Transparent pixels are composited onto the background colour first, as read_tile does, so a slide
// whose missing areas are transparent reads as bright there.
//
// Morphology (optional, filters/morphology.ts): closing then opening with a disk, then holes smaller
// than an area filled, as ratiopath's and histolab's tissue masks clean the threshold up. Sizes are
// stated in µm and turned into overview pixels with the slide's µm/px (tissueMorphologyFor), so the
// same physical specks and gaps go whatever the overview's downsample; ratiopath sizes its disk the
// same way (10 µm over the mask's µm/px).

import { close, fillSmallHoles, open } from './morphology.ts';

export type TissueChannel = 'grey' | 'saturation' | 'fluorescence';
/** What the user chose: a channel, or 'auto' (the slide's background decides). */
export type TissueMode = 'auto' | TissueChannel;
export const TISSUE_MODES: readonly TissueMode[] = ['auto', 'grey', 'saturation', 'fluorescence'];

export interface TissueMorphology {
  /** disk radius in overview pixels (skimage disk(r): dx² + dy² ≤ r²); 0 = no closing/opening. */
  radiusPx: number;
  /** enclosed background regions with fewer pixels than this become tissue; 0 = none. */
  holeAreaPx: number;
  /** the physical sizes they came from; null when the slide has no µm/px (pixel defaults used). */
  radiusUm: number | null;
  holeAreaUm2: number | null;
}

/** Disk radius and largest filled hole, in µm: ratiopath's disk (10 µm) and a hole under a 100 µm square. */
export const TISSUE_DISK_UM = 10;
export const TISSUE_HOLE_UM2 = 100 * 100;
/** Without a µm/px: a 2-px disk and holes under 10 × 10 overview pixels. */
export const TISSUE_DISK_PX_DEFAULT = 2;
export const TISSUE_HOLE_PX_DEFAULT = 100;
/** A disk never wider than this (an overview of a very fine scan); keeps the cost bounded. */
const MAX_RADIUS_PX = 32;

/** The morphology for an overview whose pixels are `overviewMpp` µm wide (level-0 µm/px × downsample). */
export function tissueMorphologyFor(overviewMpp: number | null | undefined): TissueMorphology {
  if (!(overviewMpp !== null && overviewMpp !== undefined && overviewMpp > 0 && Number.isFinite(overviewMpp))) {
    return { radiusPx: TISSUE_DISK_PX_DEFAULT, holeAreaPx: TISSUE_HOLE_PX_DEFAULT, radiusUm: null, holeAreaUm2: null };
  }
  return {
    radiusPx: Math.min(MAX_RADIUS_PX, Math.round(TISSUE_DISK_UM / overviewMpp)),
    holeAreaPx: Math.round(TISSUE_HOLE_UM2 / (overviewMpp * overviewMpp)),
    radiusUm: TISSUE_DISK_UM,
    holeAreaUm2: TISSUE_HOLE_UM2,
  };
}

/** The auto rule's reading of the slide. */
export interface TissueBackground {
  /** median of max(R, G, B) over the edge frame, 0..255 */
  median: number;
  /** frame width in overview pixels */
  frame: number;
  /** what auto picks from it */
  picks: 'grey' | 'fluorescence';
}

/** Below this edge median the background is dark: fluorescence. */
export const DARK_BACKGROUND_BELOW = 128;

export interface TissueMask {
  width: number;
  height: number;
  /** level-0 pixels per mask pixel (the downsample of the level the mask was made from). */
  downsample: number;
  /** 1 = tissue, 0 = background; row-major, width × height; after the morphology, if any. */
  data: Uint8Array;
  /** the Otsu threshold on the channel (0..255); tissue is <= it for grey, > it for saturation and fluorescence. */
  threshold: number;
  /** the channel used (what auto resolved to, when mode is 'auto'). */
  channel: TissueChannel;
  /** absent on a mask made by hand (tests): read as the channel itself, no morphology */
  mode?: TissueMode;
  background?: TissueBackground;
  morphology?: TissueMorphology | null;
  /** (width+1)·(height+1) summed-area table, built on first use. */
  integral?: Float64Array;
}

/** What slide.json, the recipe and the UI record of a mask's rule. */
export function tissueRuleOf(m: TissueMask) {
  return {
    mode: m.mode ?? m.channel,
    channel: m.channel,
    threshold: m.threshold,
    tissueIs: m.channel === 'grey' ? ('<= threshold' as const) : ('> threshold' as const),
    background: m.background ?? null,
    morphology: m.morphology ?? null,
  };
}
export type TissueRule = ReturnType<typeof tissueRuleOf>;

/** Share of tissue pixels in a mask. */
export function maskFraction(m: Pick<TissueMask, 'data'>): number {
  let n = 0;
  for (let i = 0; i < m.data.length; i++) n += m.data[i];
  return m.data.length ? n / m.data.length : 0;
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

// fluorescence's log scale as a table: v = round(255 · ln(1 + m) / ln 256) for m = 0..255
const LOG_SCALE = (() => {
  const t = new Uint8Array(256);
  for (let m = 0; m < 256; m++) t[m] = Math.floor((255 * Math.log1p(m)) / Math.log(256) + 0.5);
  return t;
})();

/** Composites straight RGBA onto a grey background (read_tile's rule) into RGB. */
function composite(rgba: Uint8Array | Uint8ClampedArray, n: number, bg: number): Uint8Array {
  const rgb = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    const a = rgba[4 * i + 3];
    for (let c = 0; c < 3; c++) {
      const v = rgba[4 * i + c];
      rgb[3 * i + c] = a === 255 ? v : Math.round((v * a + bg * (255 - a)) / 255);
    }
  }
  return rgb;
}

/** The auto rule: median of max(R, G, B) over the edge frame; dark → fluorescence. */
export function backgroundOf(rgb: Uint8Array, width: number, height: number): TissueBackground {
  const frame = Math.max(1, Math.round(0.02 * Math.min(width, height)));
  const hist = new Float64Array(256);
  let count = 0;
  for (let y = 0; y < height; y++) {
    const inner = y >= frame && y < height - frame;
    for (let x = 0; x < width; x++) {
      if (inner && x >= frame && x < width - frame) {
        x = width - frame - 1; // skip the interior of this row
        continue;
      }
      const i = 3 * (y * width + x);
      hist[Math.max(rgb[i], rgb[i + 1], rgb[i + 2])]++;
      count++;
    }
  }
  // the lower median (numpy's median would average the two middle values; the rule only compares it with 128)
  let median = 0;
  for (let v = 0, seen = 0; v < 256; v++) {
    seen += hist[v];
    if (seen * 2 >= count) {
      median = v;
      break;
    }
  }
  return { median, frame, picks: count > 0 && median < DARK_BACKGROUND_BELOW ? 'fluorescence' : 'grey' };
}

/**
 * Mask from straight (un-premultiplied) RGBA pixels of a whole low-resolution level.
 * Transparent pixels are composited onto `background` first, as read_tile does.
 * `channel` is the mode: a channel, or 'auto' (the default). `morphology` cleans the threshold up
 * (closing, opening, small holes filled); none when absent.
 */
export function tissueMaskFromRGBA(
  rgba: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  downsample: number,
  opts: { channel?: TissueMode; background?: number; morphology?: TissueMorphology | null } = {},
): TissueMask {
  const n = width * height;
  if (rgba.length < n * 4) throw new RangeError(`expected ${n * 4} RGBA bytes for ${width}×${height}, got ${rgba.length}`);
  if (!(downsample > 0)) throw new RangeError(`downsample must be positive, got ${downsample}`);
  const mode = opts.channel ?? 'auto';
  const rgb = composite(rgba, n, opts.background ?? 255);
  const background = backgroundOf(rgb, width, height);
  const channel: TissueChannel = mode === 'auto' ? background.picks : mode;
  const value = new Uint8Array(n);
  const hist = new Float64Array(256);
  for (let i = 0; i < n; i++) {
    const r = rgb[3 * i];
    const g = rgb[3 * i + 1];
    const b = rgb[3 * i + 2];
    let v: number;
    if (channel === 'grey') {
      // PIL's convert("L"): ITU-R 601-2 luma in 16-bit fixed point
      v = (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
    } else if (channel === 'saturation') {
      const mx = Math.max(r, g, b);
      const mn = Math.min(r, g, b);
      v = mx === 0 ? 0 : Math.round(((mx - mn) * 255) / mx);
    } else {
      v = LOG_SCALE[Math.max(r, g, b)];
    }
    value[i] = v;
    hist[v]++;
  }
  const threshold = otsuThreshold(hist);
  let data: Uint8Array = new Uint8Array(n);
  for (let i = 0; i < n; i++) data[i] = (channel === 'grey' ? value[i] <= threshold : value[i] > threshold) ? 1 : 0;
  const morphology = opts.morphology ?? null;
  if (morphology) {
    if (morphology.radiusPx > 0) data = open(close(data, width, height, morphology.radiusPx), width, height, morphology.radiusPx);
    if (morphology.holeAreaPx > 0) data = fillSmallHoles(data, width, height, morphology.holeAreaPx);
  }
  return { width, height, downsample, data, threshold, channel, mode, background, morphology };
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
