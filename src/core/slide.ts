// What the core needs to know about a slide. The engine produces it; the core never reads pixels itself.

/** One pyramid level as OpenSlide reports it. */
export interface LevelInfo {
  width: number;
  height: number;
  /** level-0 pixels per level pixel (may be fractional, e.g. 4.000345). */
  downsample: number;
}

export interface AssociatedImageInfo {
  name: string;
  width: number;
  height: number;
}

export interface SlideInfo {
  /** OpenSlide's vendor (openslide.vendor), e.g. "aperio"; null when absent. */
  vendor: string | null;
  levels: LevelInfo[];
  /** Every OpenSlide property, verbatim (strings, as the C API returns them). */
  properties: Record<string, string>;
  associated: AssociatedImageInfo[];
}

/** µm per level-0 pixel from openslide.mpp-x/y, or null when the slide does not say. */
export function slideMpp(info: SlideInfo): { x: number; y: number } | null {
  const x = Number.parseFloat(info.properties['openslide.mpp-x'] ?? '');
  const y = Number.parseFloat(info.properties['openslide.mpp-y'] ?? '');
  return Number.isFinite(x) && Number.isFinite(y) && x > 0 && y > 0 ? { x, y } : null;
}
