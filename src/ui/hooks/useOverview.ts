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

/** Blocks read at a time when rendering an overview: 2048² RGBA is 16 MB, well inside a worker's heap. */
const BLOCK = 2048;

/**
 * plan.png's picture of a slide whose every level is too big to read whole (a single-level TIFF,
 * say): the coarsest level read in 2048² blocks, one batch per worker, each pixel added into the
 * overview pixel it falls in — an area average, longest side MAX_SIDE. It decodes that level once,
 * so it is only done when an export needs it, not on opening.
 */
export async function renderOverview(slide: PooledSlide, signal?: AbortSignal): Promise<{ image: RGBAImage; downsample: number }> {
  const level = slide.info.levels.length - 1;
  const l = slide.info.levels[level];
  const f = Math.max(l.width, l.height) / MAX_SIDE;
  const W = Math.max(1, Math.ceil(l.width / f));
  const H = Math.max(1, Math.ceil(l.height / f));
  const sum = new Float32Array(W * H * 4);
  const n = new Uint32Array(W * H);
  const blocks: [number, number][] = [];
  for (let y = 0; y < l.height; y += BLOCK) for (let x = 0; x < l.width; x += BLOCK) blocks.push([x, y]);
  const lanes = Math.max(1, slide.workers);
  for (let b = 0; b < blocks.length; b += lanes) {
    const batch = blocks.slice(b, b + lanes);
    const images = await Promise.all(
      batch.map(([x, y]) =>
        slide.readRegion(level0(Math.round(x * l.downsample)), level0(Math.round(y * l.downsample)), level, levelPx(Math.min(BLOCK, l.width - x)), levelPx(Math.min(BLOCK, l.height - y)), { signal }),
      ),
    );
    images.forEach((img, k) => {
      const [bx, by] = batch[k];
      for (let yy = 0; yy < img.height; yy++) {
        const oy = Math.min(H - 1, Math.floor((by + yy) / f));
        for (let xx = 0; xx < img.width; xx++) {
          const o = oy * W + Math.min(W - 1, Math.floor((bx + xx) / f));
          const p = (yy * img.width + xx) * 4;
          sum[4 * o] += img.data[p];
          sum[4 * o + 1] += img.data[p + 1];
          sum[4 * o + 2] += img.data[p + 2];
          sum[4 * o + 3] += img.data[p + 3];
          n[o]++;
        }
      }
    });
  }
  const data = new Uint8Array(W * H * 4);
  for (let o = 0; o < W * H; o++) for (let c = 0; c < 4; c++) data[4 * o + c] = n[o] ? Math.round(sum[4 * o + c] / n[o]) : 0;
  return { image: { width: W, height: H, data }, downsample: f * l.downsample };
}

/**
 * The overview for plan.png when an export starts before the preview's has loaded, or when no level
 * is small enough to read whole: read (or rendered) then, so plan.png is never left out.
 */
export async function overviewForFigure(slide: PooledSlide, signal?: AbortSignal): Promise<{ image: RGBAImage; downsample: number }> {
  const level = overviewLevel(slide);
  if (level === null) return renderOverview(slide, signal);
  const l = slide.info.levels[level];
  const image = await slide.readRegion(level0(0), level0(0), level, levelPx(l.width), levelPx(l.height), { signal });
  return { image, downsample: l.downsample };
}

export function useOverview(slide: PooledSlide | null) {
  const [overview, setOverview] = useState<OverviewImage | null>(null);
  const [error, setError] = useState<string | null>(null);
  // still being read: what waits for the picture (plan.png's measured size) knows one is coming
  const [loading, setLoading] = useState(false);
  useEffect(() => {
    setOverview(null);
    setError(null);
    setLoading(slide !== null);
    if (!slide) return;
    const ac = new AbortController();
    readOverview(slide, ac.signal).then(
      (o) => {
        if (ac.signal.aborted) return;
        setOverview(o);
        setLoading(false);
      },
      (e: unknown) => {
        if (ac.signal.aborted) return;
        setError(e instanceof Error ? e.message : String(e));
        setLoading(false);
      },
    );
    return () => ac.abort();
  }, [slide]);
  return { overview, error, loading };
}
