// Pixel standard deviation, as numpy's `tile.std()` on the composited RGB tile (the seed's filter).

/**
 * Population std over every byte of an RGB (or any uint8) buffer. A 256-bin histogram keeps the
 * sums exact integers, so the result agrees with numpy's float64 two-pass std to ~1e-15 relative.
 */
export function rgbStd(rgb: Uint8Array): number {
  const n = rgb.length;
  if (n === 0) return Number.NaN; // numpy warns and returns nan on an empty array
  const hist = new Float64Array(256);
  for (let i = 0; i < n; i++) hist[rgb[i]]++;
  return histogramStd(hist, n);
}

/** The std of n bytes given how many take each value: the mean first, then the squared deviations, in float64. */
function histogramStd(hist: Float64Array, n: number): number {
  let sum = 0;
  for (let v = 1; v < 256; v++) sum += v * hist[v];
  const mean = sum / n;
  let ss = 0;
  for (let v = 0; v < 256; v++) {
    const c = hist[v];
    if (c !== 0) {
      const d = v - mean;
      ss += c * d * d;
    }
  }
  return Math.sqrt(ss / n);
}

/** The seed's rule: a tile is rejected when std <= threshold (so a flat tile at threshold 0 is rejected too). */
export function stdRejects(std: number, threshold: number): boolean {
  return std <= threshold;
}

/**
 * The std read_tile would give for a tile, computed from a whole level already in memory (the
 * preview's overview, when it is the plan's level): straight RGBA, `width`×`height`, the tile at level
 * pixels (x, y) of size tw×th. Pixels outside the level are the background, as read_tile composites
 * them; an opaque pixel is its RGB. A pixel that is not opaque composites from premultiplied values the
 * straight RGBA no longer holds exactly: then null (read the tile instead).
 * std depends only on how many bytes take each value, so this equals rgbStd of the composited tile.
 */
/**
 * Whether a whole level in memory gives read_tile's pixels for a plan: it must be the plan's level, and
 * the level's downsample a whole number, so read_tile's level-0 origin int(x·ds) maps back to exactly x
 * (with a fractional downsample OpenSlide draws the level at a sub-pixel offset).
 */
export function levelImageServes(plan: { level: number; downsample: number }, imageLevel: number): boolean {
  return plan.level === imageLevel && Number.isInteger(plan.downsample);
}

export function stdFromLevelImage(rgba: Uint8Array, width: number, height: number, x: number, y: number, tw: number, th: number, background: number): number | null {
  const hist = new Float64Array(256);
  const x0 = Math.max(0, x);
  const y0 = Math.max(0, y);
  const x1 = Math.min(width, x + tw);
  const y1 = Math.min(height, y + th);
  let inside = 0;
  for (let yy = y0; yy < y1; yy++) {
    let p = (yy * width + x0) * 4;
    for (let xx = x0; xx < x1; xx++, p += 4) {
      // only opaque pixels are certain: a transparent one may hold premultiplied colour that
      // read_tile adds to the background but the straight RGBA has dropped
      if (rgba[p + 3] !== 255) return null;
      hist[rgba[p]]++;
      hist[rgba[p + 1]]++;
      hist[rgba[p + 2]]++;
      inside++;
    }
  }
  // every pixel outside the level: the background, three bytes each
  hist[background] += 3 * (tw * th - inside);
  const n = 3 * tw * th;
  return n === 0 ? Number.NaN : histogramStd(hist, n);
}
