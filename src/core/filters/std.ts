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
