// The scale bar's arithmetic: which µm/px the preview may show a length with, and a "nice" length
// (1, 2 or 5 × 10^k µm) whose bar fits a target on-screen width, as OpenSeadragon and QuPath draw it.
import { planningMpp } from '../../core/scanMpp.ts';
import type { SlideInfo } from '../../core/slide.ts';

/**
 * Level-0 µm per pixel along x, as planning uses it: a typed override first, else the slide's own
 * openslide.mpp-x when it is a plausible scan resolution (core/scanMpp.ts); null when neither — a
 * scale bar drawn from a 72-dpi TIFF default would show lengths hundreds of times wrong.
 */
export function scaleBarMpp(info: SlideInfo | null, override?: number): number | null {
  return planningMpp(info, override);
}

export interface ScaleBarSpec {
  /** the length the bar stands for, µm */
  um: number;
  /** its on-screen width, CSS px */
  px: number;
  label: string;
}

const MANTISSAS = [5, 2, 1] as const;

/**
 * The longest nice length whose bar is at most `maxPx` wide at `scale` screen px per level-0 px.
 * Its bar is always wider than maxPx / 2.5 (the widest gap between 1, 2 and 5).
 */
export function scaleBar(mpp: number, scale: number, maxPx = 150): ScaleBarSpec | null {
  if (!(mpp > 0 && scale > 0 && maxPx > 0) || !Number.isFinite(mpp) || !Number.isFinite(scale)) return null;
  const maxUm = (maxPx * mpp) / scale;
  let k = Math.floor(Math.log10(maxUm));
  // log10 can land one below an exact power of ten (log10(1000) may be 2.9999…)
  if (10 ** (k + 1) <= maxUm) k += 1;
  for (;;) {
    for (const m of MANTISSAS) {
      const um = m * 10 ** k;
      if (um <= maxUm * (1 + 1e-12)) return { um, px: (um * scale) / mpp, label: lengthLabel(m, k) };
    }
    k -= 1;
  }
}

/** m × 10^k µm as people write it: "500 µm", "0.5 µm", "2 mm"; digits from k, never float noise. */
export function lengthLabel(m: number, k: number): string {
  if (k >= 3) return `${(m * 10 ** (k - 3)).toLocaleString('en-US')} mm`;
  if (k >= 0) return `${m * 10 ** k} µm`;
  return `${(m * 10 ** k).toFixed(-k)} µm`;
}

/** The µm a label states, for tests and the bar's data attribute: "2 mm" → 2000, "0.5 µm" → 0.5. */
export function parseLengthLabel(label: string): number | null {
  const m = /^([\d.,]+) (µm|mm)$/.exec(label.trim());
  if (!m) return null;
  const v = Number(m[1].replace(/,/g, ''));
  return Number.isFinite(v) ? v * (m[2] === 'mm' ? 1000 : 1) : null;
}
