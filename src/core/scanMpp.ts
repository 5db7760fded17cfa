// Whether a slide's recorded µm/px can be used to choose a level. A slide may record none (generic
// TIFFs, some Aperio JPEG 2000 files), or one no microscope produces: a TIFF written with the
// writer's default 72 dpi reads as 352.8 µm/px (OpenSlide 4 reports tiff.XResolution that way).
// Planning at "0.5 µm/px" on such a value picks a nonsense level, so the app treats it as unknown
// and says why, calmly, instead of showing an error.
import type { SlideInfo } from './slide.ts';
import { slideMpp } from './slide.ts';

/**
 * µm/px a slide scanner plausibly records at level 0: from oil-immersion 100× (~0.05) to a
 * 1.25× overview scan (~8), with margin on both sides.
 */
export const SCAN_MPP_RANGE = { min: 0.02, max: 20 } as const;

/** Resolutions image writers record by default (dpi), which read as µm/px = 25400 / dpi. */
const DEFAULT_DPI = [72, 96, 150, 200, 300, 600];

export type SlideMppStatus =
  | { kind: 'recorded'; mpp: { x: number; y: number } }
  | { kind: 'missing' }
  | { kind: 'implausible'; mpp: { x: number; y: number }; why: string };

const fmt = (v: number) => (v >= 10 ? v.toFixed(1) : v >= 0.1 ? v.toFixed(3) : v.toPrecision(2));

export function slideMppStatus(info: SlideInfo): SlideMppStatus {
  const mpp = slideMpp(info);
  if (!mpp) return { kind: 'missing' };
  const { min, max } = SCAN_MPP_RANGE;
  const bad = [mpp.x, mpp.y].find((v) => v < min || v > max);
  if (bad === undefined) return { kind: 'recorded', mpp };
  const dpi = 25400 / bad;
  const near = DEFAULT_DPI.find((d) => Math.abs(dpi - d) < 0.01 * d);
  const why =
    near !== undefined
      ? `${fmt(bad)} µm/px is ${near} dpi, a default that image writers put in TIFF files, not a microscope's resolution`
      : `${fmt(bad)} µm/px is outside what slide scanners record (${min}–${max} µm/px)`;
  return { kind: 'implausible', mpp, why };
}

/** The slide as planning should see it: an implausible µm/px removed, everything else verbatim. */
export function planningInfo(info: SlideInfo): SlideInfo {
  if (slideMppStatus(info).kind !== 'implausible') return info;
  const properties = { ...info.properties };
  delete properties['openslide.mpp-x'];
  delete properties['openslide.mpp-y'];
  return { ...info, properties };
}

/**
 * The note shown instead of an error when µm/px planning cannot work on this slide: what is
 * missing, what the app does meanwhile (plans by level), and how to get µm/px planning back.
 */
export function mppFallbackNote(status: SlideMppStatus, targetMpp: number, level: number, levelCount: number): string {
  const what =
    status.kind === 'implausible'
      ? `This slide's recorded resolution is not usable: ${status.why}.`
      : 'This slide does not record its resolution (no openslide.mpp-x/y in the file).';
  const where = level === 0 ? 'level 0, full resolution' : `level ${level}`;
  const choose = levelCount > 1 ? ' (choose another level below)' : '';
  return `${what} Tiles are planned at ${where}${choose} instead of ${targetMpp} µm/px. Type the slide's µm/px if you know it, and the level is chosen for ${targetMpp} µm/px again.`;
}

/**
 * Level-0 µm/px as planning uses it: the value the user typed, else the slide's own when it is a
 * plausible scan resolution (planningInfo drops a TIFF's 72-dpi default); null when there is none.
 * The scale bar, the tissue mask's morphology and the CLI all take it from here.
 */
export function planningMpp(info: SlideInfo | null, override?: number): number | null {
  if (override !== undefined && Number.isFinite(override) && override > 0) return override;
  if (!info) return null;
  return slideMpp(planningInfo(info))?.x ?? null;
}
