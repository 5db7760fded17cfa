// Binary morphology on a row-major 0/1 mask: the clean-up ratiopath's and histolab's tissue masks do
// after the threshold (closing, then opening, with a disk; small holes filled).
//
// The disk is skimage's disk(r): the offsets with dx² + dy² <= r². Each row of the disk is a
// horizontal run, so a dilation is, for each of the 2r+1 rows, a running window over one row —
// O(pixels · (2r+1)) whatever the radius's area, fast enough for a 2048² overview.
//
// Outside the image: background for a dilation, tissue for an erosion (skimage's and scipy's
// binary_erosion(border_value=1) convention). So a closing never erodes tissue that touches the
// image's edge and an opening never grows any, and closing ⊇ mask ⊇ opening holds everywhere.
//
// Holes: background regions (4-connected, scipy.ndimage.label's default) that do not touch the
// image's edge and have fewer than `maxArea` pixels become tissue; larger ones (a lumen, a tear)
// stay background, unlike binary_fill_holes, which fills any enclosed region.

export type Mask = Uint8Array;

/** Half-width of each row of a disk of radius r, for dy = -r..r (index dy + r). */
export function diskRows(r: number): Int32Array {
  const rows = new Int32Array(2 * r + 1);
  for (let dy = -r; dy <= r; dy++) rows[dy + r] = Math.floor(Math.sqrt(r * r - dy * dy) + 1e-9);
  return rows;
}

// out[y][x] = OR (dilate) / AND (erode) over the disk centred at (x, y), computed as: per source row,
// a prefix sum gives the count of ones in [x-hw, x+hw] in O(1).
function disk(mask: Mask, w: number, h: number, r: number, erode: boolean): Mask {
  const out = new Uint8Array(w * h);
  if (r <= 0) {
    out.set(mask);
    return out;
  }
  const rows = diskRows(r);
  // prefix[y*(w+1) + x] = ones in row y before column x
  const W = w + 1;
  const prefix = new Int32Array(W * h);
  for (let y = 0; y < h; y++) {
    let s = 0;
    for (let x = 0; x < w; x++) {
      s += mask[y * w + x];
      prefix[y * W + x + 1] = s;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let v = erode ? 1 : 0; // erode: 1 until a 0 is under the disk; dilate: 0 until a 1 is
      for (let k = 0; k <= 2 * r; k++) {
        const yy = y + k - r;
        const hw = rows[k];
        if (yy < 0 || yy >= h) continue; // outside: tissue for erosion, background for dilation — no effect either way
        const a = x - hw;
        const b = x + hw;
        const lo = a < 0 ? 0 : a;
        const hi = b >= w ? w - 1 : b;
        const ones = prefix[yy * W + hi + 1] - prefix[yy * W + lo];
        if (erode) {
          if (ones < hi - lo + 1) {
            v = 0;
            break;
          }
        } else if (ones > 0) {
          v = 1;
          break;
        }
      }
      out[y * w + x] = v;
    }
  }
  return out;
}

export const dilate = (m: Mask, w: number, h: number, r: number): Mask => disk(m, w, h, r, false);
export const erode = (m: Mask, w: number, h: number, r: number): Mask => disk(m, w, h, r, true);
/** Dilation then erosion: bridges gaps and pits narrower than the disk. */
export const close = (m: Mask, w: number, h: number, r: number): Mask => erode(dilate(m, w, h, r), w, h, r);
/** Erosion then dilation: removes specks and strands narrower than the disk. */
export const open = (m: Mask, w: number, h: number, r: number): Mask => dilate(erode(m, w, h, r), w, h, r);

/** Background regions enclosed by tissue (4-connected, not touching the edge) smaller than maxArea px become tissue. */
export function fillSmallHoles(mask: Mask, w: number, h: number, maxArea: number): Mask {
  const out = new Uint8Array(mask);
  if (maxArea <= 0) return out;
  const seen = new Uint8Array(w * h);
  const stack = new Int32Array(w * h);
  const region = new Int32Array(w * h); // the current region's pixels: each is pushed once, so n ≤ w·h
  for (let start = 0; start < w * h; start++) {
    if (mask[start] || seen[start]) continue;
    // flood one background region, noting whether it reaches the edge
    let top = 0;
    stack[top++] = start;
    seen[start] = 1;
    let size = 0;
    let edge = false;
    while (top > 0) {
      const p = stack[--top];
      region[size++] = p;
      const x = p % w;
      const y = (p - x) / w;
      if (x === 0 || y === 0 || x === w - 1 || y === h - 1) edge = true;
      const visit = (q: number) => {
        if (!mask[q] && !seen[q]) {
          seen[q] = 1;
          stack[top++] = q;
        }
      };
      if (x > 0) visit(p - 1);
      if (x < w - 1) visit(p + 1);
      if (y > 0) visit(p - w);
      if (y < h - 1) visit(p + w);
    }
    if (!edge && size < maxArea) for (let k = 0; k < size; k++) out[region[k]] = 1;
  }
  return out;
}
