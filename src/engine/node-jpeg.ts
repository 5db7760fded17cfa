// JPEG tiles in Node's engine workers (Node has no canvas encoder): jpeg-js, a small, long-maintained
// pure-JS codec. The one JPEG encoder a Node worker injects into workerApi.ts.
import jpeg from 'jpeg-js';

/** Baseline JPEG of packed RGB pixels; quality 1..100 as libjpeg's. */
export function encodeJpeg(rgb: Uint8Array, width: number, height: number, quality: number): Uint8Array {
  if (width < 1 || height < 1 || width > 65535 || height > 65535) throw new RangeError(`JPEG cannot hold ${width}×${height}`);
  if (rgb.length < width * height * 3) throw new RangeError(`expected ${width * height * 3} RGB bytes, got ${rgb.length}`);
  // jpeg-js takes RGBA
  const rgba = Buffer.alloc(width * height * 4, 255);
  for (let i = 0, j = 0; i < width * height; i++, j += 3) {
    rgba[i * 4] = rgb[j];
    rgba[i * 4 + 1] = rgb[j + 1];
    rgba[i * 4 + 2] = rgb[j + 2];
  }
  return new Uint8Array(jpeg.encode({ data: rgba, width, height }, quality).data);
}
