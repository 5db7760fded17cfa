// A PNG encoder for the diagnostics: PIL's row filter choice (for each row, the filter whose output
// has the least sum of |signed byte|, as libpng and PIL's ZipEncode do) and the browser's own zlib
// through CompressionStream('deflate') (zlib format, default level), i.e. the same recipe as PIL's
// PNG at its default level with the compression done natively. Used to show what an encoder change
// would buy; the figures in the table use the app's encoder.

import { crc32 as crc32Of } from '../../src/export/zipStream.ts';

/** CRC over several parts, chained (the zip writer's CRC is PNG's too). */
function crc32(parts: Uint8Array[]): number {
  return parts.reduce((c, p) => crc32Of(p, c), 0);
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, data.length);
  const t = new TextEncoder().encode(type);
  out.set(t, 4);
  out.set(data, 8);
  v.setUint32(8 + data.length, crc32([t, data]));
  return out;
}

/** Filtered scanlines (filter byte + row), adaptive per row like PIL/libpng. */
export function filterRows(rgb: Uint8Array, w: number, h: number, bpp = 3): Uint8Array {
  const stride = w * bpp;
  const out = new Uint8Array(h * (stride + 1));
  const cand = [new Uint8Array(stride), new Uint8Array(stride), new Uint8Array(stride), new Uint8Array(stride), new Uint8Array(stride)];
  const zero = new Uint8Array(stride);
  for (let y = 0; y < h; y++) {
    const row = rgb.subarray(y * stride, (y + 1) * stride);
    const up = y > 0 ? rgb.subarray((y - 1) * stride, y * stride) : zero;
    const sums = [0, 0, 0, 0, 0];
    for (let i = 0; i < stride; i++) {
      const x = row[i];
      const a = i >= bpp ? row[i - bpp] : 0;
      const b = up[i];
      const c = i >= bpp ? up[i - bpp] : 0;
      const p = a + b - c;
      const pa = Math.abs(p - a);
      const pb = Math.abs(p - b);
      const pc = Math.abs(p - c);
      const pr = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      const f0 = x;
      const f1 = (x - a) & 0xff;
      const f2 = (x - b) & 0xff;
      const f3 = (x - ((a + b) >> 1)) & 0xff;
      const f4 = (x - pr) & 0xff;
      cand[0][i] = f0;
      cand[1][i] = f1;
      cand[2][i] = f2;
      cand[3][i] = f3;
      cand[4][i] = f4;
      sums[0] += f0 < 128 ? f0 : 256 - f0;
      sums[1] += f1 < 128 ? f1 : 256 - f1;
      sums[2] += f2 < 128 ? f2 : 256 - f2;
      sums[3] += f3 < 128 ? f3 : 256 - f3;
      sums[4] += f4 < 128 ? f4 : 256 - f4;
    }
    let best = 0;
    for (let f = 1; f < 5; f++) if (sums[f] < sums[best]) best = f;
    out[y * (stride + 1)] = best;
    out.set(cand[best], y * (stride + 1) + 1);
  }
  return out;
}

async function deflate(data: Uint8Array): Promise<Uint8Array> {
  const cs = new CompressionStream('deflate');
  const body = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(cs);
  return new Uint8Array(await new Response(body).arrayBuffer());
}

export async function encodePngZlib(rgb: Uint8Array, w: number, h: number): Promise<Uint8Array> {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, w);
  v.setUint32(4, h);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const idat = await deflate(filterRows(rgb, w, h));
  const parts = [new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
