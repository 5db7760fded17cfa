// A low-resolution picture of the whole slide: the preview's backdrop, the tissue mask's input and
// plan.png's background. Read from the coarsest level small enough, whole, in one request.
import { useEffect, useState } from 'react';
import { level0, levelPx, type PooledSlide, type RGBAImage } from '../../engine/types.ts';
import { rgbaToBitmap } from '../viewer/pyramid.ts';

export interface OverviewImage {
  level: number;
  downsample: number;
  rgba: RGBAImage;
  bitmap: ImageBitmap;
}

const MAX_SIDE = 2048;
const MAX_PIXELS = 16_000_000;

export function overviewLevel(slide: PooledSlide): number | null {
  const levels = slide.info.levels;
  for (let i = 0; i < levels.length; i++) if (Math.max(levels[i].width, levels[i].height) <= MAX_SIDE) return i;
  const last = levels.length - 1;
  return levels[last].width * levels[last].height <= MAX_PIXELS ? last : null;
}

export async function readOverview(slide: PooledSlide, signal?: AbortSignal): Promise<OverviewImage | null> {
  const level = overviewLevel(slide);
  if (level === null) return null;
  const l = slide.info.levels[level];
  const rgba = await slide.readRegion(level0(0), level0(0), level, levelPx(l.width), levelPx(l.height), { signal });
  return { level, downsample: l.downsample, rgba, bitmap: await rgbaToBitmap(rgba) };
}

export function useOverview(slide: PooledSlide | null) {
  const [overview, setOverview] = useState<OverviewImage | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setOverview(null);
    setError(null);
    if (!slide) return;
    const ac = new AbortController();
    readOverview(slide, ac.signal).then(
      (o) => !ac.signal.aborted && setOverview(o),
      (e: unknown) => !ac.signal.aborted && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => ac.abort();
  }, [slide]);
  return { overview, error };
}
