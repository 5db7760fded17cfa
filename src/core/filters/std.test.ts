import { describe, expect, it } from 'vitest';
import { rgbStd, stdRejects } from './std.ts';

describe('rgbStd equals numpy tile.std()', () => {
  it('on a random 7×5 RGB tile (numpy: 75.11458216295115)', () => {
    // np.random.default_rng(1).integers(0, 256, (7, 5, 3), dtype=np.uint8)
    const bytes = [255, 228, 34, 121, 243, 189, 6, 131, 102, 168, 82, 193, 187, 150, 81, 243, 205, 24, 236, 8, 246, 164, 231, 36, 210, 111, 172, 210, 174, 176, 218, 242, 169, 114, 205, 63, 160, 47, 212, 79, 72, 112, 120, 222, 69, 31, 95, 108, 36, 109, 238, 69, 51, 81, 228, 211, 202, 58, 202, 65, 76, 70, 193, 104, 42, 250, 209, 164, 2, 44, 178, 140, 98, 2, 243, 21, 50, 29, 14, 7, 53, 50, 151, 221, 46, 60, 230, 192, 164, 156, 127, 214, 154, 194, 195, 137, 72, 153, 74, 209, 58, 76, 105, 84, 10];
    expect(rgbStd(Uint8Array.from(bytes))).toBeCloseTo(75.11458216295115, 12);
  });
  it('on a flat tile with one odd pixel (numpy: 39.9966090142513)', () => {
    const t = new Uint8Array(4 * 4 * 3).fill(200);
    t.set([0, 10, 255], 0);
    expect(rgbStd(t)).toBeCloseTo(39.9966090142513, 12);
  });
  it('on a striped 512² tile (numpy: 125.12601070395995)', () => {
    // c = zeros((512,512,3)); c[::2] = 255; c[1::3,:,1] = 17
    const c = new Uint8Array(512 * 512 * 3);
    for (let y = 0; y < 512; y++) for (let x = 0; x < 512; x++) for (let k = 0; k < 3; k++) {
      let v = y % 2 === 0 ? 255 : 0;
      if (y % 3 === 1 && k === 1) v = 17;
      c[(y * 512 + x) * 3 + k] = v;
    }
    expect(rgbStd(c)).toBeCloseTo(NUMPY_STRIPED, 10);
  });
  it('is 0 on a blank tile, NaN on an empty one', () => {
    expect(rgbStd(new Uint8Array(300).fill(255))).toBe(0);
    expect(rgbStd(new Uint8Array(0))).toBeNaN();
  });
  it('rejects at or below the threshold (the seed keeps std > 8)', () => {
    expect(stdRejects(8, 8)).toBe(true);
    expect(stdRejects(8.000001, 8)).toBe(false);
    expect(stdRejects(0, 0)).toBe(true);
  });
});

const NUMPY_STRIPED = 125.12601070395995;
