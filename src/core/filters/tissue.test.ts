import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { otsuThreshold, tissueFraction, tissueMaskFromRGBA, type TissueMask } from './tissue.ts';

function image(w: number, h: number, px: (x: number, y: number) => [number, number, number, number]): Uint8Array {
  const out = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out.set(px(x, y), (y * w + x) * 4);
  return out;
}

describe('otsuThreshold', () => {
  it('splits a bimodal histogram between the modes (first maximum of the between-class variance)', () => {
    const h = new Array(256).fill(0);
    h[60] = 100;
    h[200] = 300;
    const t = otsuThreshold(h);
    expect(t).toBeGreaterThanOrEqual(60);
    expect(t).toBeLessThan(200);
    expect(t).toBe(60); // the variance is flat from 60 to 199; numpy's argmax would also take the first
  });
  it('is 0 on an empty or one-valued histogram', () => {
    expect(otsuThreshold(new Array(256).fill(0))).toBe(0);
    const one = new Array(256).fill(0);
    one[128] = 10;
    expect(otsuThreshold(one)).toBe(0);
  });
});

describe('tissueMaskFromRGBA', () => {
  // left 6 columns pink H&E-like tissue, right 4 columns white glass, bottom row transparent
  const w = 10, h = 5;
  const rgba = image(w, h, (x, y) => (y === 4 ? [0, 0, 0, 0] : x < 6 ? [190, 120, 170, 255] : [245, 245, 245, 255]));

  it('grey: the darker class is tissue; transparent pixels are background', () => {
    const m = tissueMaskFromRGBA(rgba, w, h, 16);
    expect(m.channel).toBe('grey');
    expect(m.downsample).toBe(16);
    const row0 = Array.from(m.data.slice(0, 10));
    expect(row0).toEqual([1, 1, 1, 1, 1, 1, 0, 0, 0, 0]);
    expect(Array.from(m.data.slice(40, 50))).toEqual(new Array(10).fill(0));
  });

  it('saturation: the more saturated class is tissue', () => {
    const m = tissueMaskFromRGBA(rgba, w, h, 16, { channel: 'saturation' });
    expect(Array.from(m.data.slice(0, 10))).toEqual([1, 1, 1, 1, 1, 1, 0, 0, 0, 0]);
  });

  it('fractions: tiles in level-0 px over a mask at downsample 16', () => {
    const m = tissueMaskFromRGBA(rgba, w, h, 16);
    expect(tissueFraction(m, { x: 0, y: 0, w: 96, h: 64 })).toBe(1);
    expect(tissueFraction(m, { x: 96, y: 0, w: 64, h: 64 })).toBe(0);
    // half a mask pixel of tissue in x: [88, 104) straddles the edge at 96
    expect(tissueFraction(m, { x: 88, y: 0, w: 16, h: 16 })).toBeCloseTo(0.5, 12);
    // beyond the mask is background
    expect(tissueFraction(m, { x: -32, y: 0, w: 64, h: 64 })).toBeCloseTo(0.5, 12);
  });

  it('rejects a buffer too small for its size', () => {
    expect(() => tissueMaskFromRGBA(new Uint8Array(10), 10, 10, 1)).toThrow(/expected 400 RGBA bytes/);
  });
});

describe('tissueFraction — property: equals the area-weighted pixel sum', () => {
  it('for random masks and rectangles', () => {
    const arb = fc.record({
      w: fc.integer({ min: 1, max: 12 }),
      h: fc.integer({ min: 1, max: 12 }),
      bits: fc.array(fc.boolean(), { minLength: 144, maxLength: 144 }),
      d: fc.constantFrom(1, 2, 4.000345, 16),
      rx: fc.double({ min: -10, max: 60, noNaN: true }),
      ry: fc.double({ min: -10, max: 60, noNaN: true }),
      rw: fc.double({ min: 0.5, max: 40, noNaN: true }),
      rh: fc.double({ min: 0.5, max: 40, noNaN: true }),
    });
    fc.assert(
      fc.property(arb, ({ w, h, bits, d, rx, ry, rw, rh }) => {
        const mask: TissueMask = { width: w, height: h, downsample: d, data: Uint8Array.from(bits.slice(0, w * h), Number), threshold: 0, channel: 'grey' };
        let a = 0;
        for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
          if (!mask.data[y * w + x]) continue;
          const ox = Math.max(0, Math.min((x + 1) * d, rx + rw) - Math.max(x * d, rx));
          const oy = Math.max(0, Math.min((y + 1) * d, ry + rh) - Math.max(y * d, ry));
          a += ox * oy;
        }
        expect(tissueFraction(mask, { x: rx, y: ry, w: rw, h: rh })).toBeCloseTo(a / (rw * rh), 9);
      }),
    );
  });
});
