import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { maskFraction, otsuThreshold, tissueFraction, tissueMaskFromRGBA, tissueMorphologyFor, tissueRuleOf, type TissueMask } from './tissue.ts';

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

describe('fluorescence and the auto choice', () => {
  // bright-on-dark: a dim red "TRITC" disc (max channel 10..60) on a black background with noise 0..4
  const w = 40, h = 30;
  const inDisc = (x: number, y: number) => (x - 20) ** 2 + (y - 15) ** 2 < 100;
  const fluo = image(w, h, (x, y) => (inDisc(x, y) ? [10 + ((x * 7 + y * 3) % 51), 0, 1, 255] : [(x + y) % 5, 0, 0, 255]));
  // dark-on-bright: the same disc as pink tissue on white glass
  const bright = image(w, h, (x, y) => (inDisc(x, y) ? [190, 120, 170, 255] : [245 - ((x + y) % 5), 245, 245, 255]));
  const discCount = (() => {
    let n = 0;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) n += inDisc(x, y) ? 1 : 0;
    return n;
  })();

  it('auto picks fluorescence on a dark background and finds exactly the disc', () => {
    const m = tissueMaskFromRGBA(fluo, w, h, 4);
    expect(m.mode).toBe('auto');
    expect(m.background?.picks).toBe('fluorescence');
    expect(m.background?.median).toBeLessThan(5);
    expect(m.channel).toBe('fluorescence');
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) expect(m.data[y * w + x], `${x},${y}`).toBe(inDisc(x, y) ? 1 : 0);
    expect(maskFraction(m)).toBeCloseTo(discCount / (w * h), 12);
  });

  it('auto picks grey on bright glass', () => {
    const m = tissueMaskFromRGBA(bright, w, h, 4);
    expect(m.background?.picks).toBe('grey');
    expect(m.channel).toBe('grey');
    expect(maskFraction(m)).toBeCloseTo(discCount / (w * h), 12);
  });

  it('the bug: on a dark background grey calls the background tissue and saturation calls everything lit tissue', () => {
    const grey = tissueMaskFromRGBA(fluo, w, h, 4, { channel: 'grey' });
    // the darker class holds the whole background
    expect(maskFraction(grey)).toBeGreaterThan(1 - discCount / (w * h) - 1e-9);
    const sat = tissueMaskFromRGBA(fluo, w, h, 4, { channel: 'saturation' });
    expect(maskFraction(sat)).toBeGreaterThan(discCount / (w * h)); // red noise pixels are fully saturated too
  });

  it('fluorescence uses the brightest channel: a green-only and a blue-only disc are tissue too', () => {
    const g = image(w, h, (x, y) => (inDisc(x, y) ? [0, 40, 0, 255] : [0, 1, 0, 255]));
    const b = image(w, h, (x, y) => (inDisc(x, y) ? [0, 0, 40, 255] : [1, 0, 0, 255]));
    for (const img of [g, b]) expect(maskFraction(tissueMaskFromRGBA(img, w, h, 1, { channel: 'fluorescence' }))).toBeCloseTo(discCount / (w * h), 12);
  });

  it('the log scale: dim tissue stays apart from the background when bright nuclei are present', () => {
    // 400 px: 160 background 1..4, 200 dim tissue 8..57, 40 bright nuclei 100..250 (as on test3-TRITC)
    const values = [...Array.from({ length: 160 }, (_, i) => 1 + (i % 4)), ...Array.from({ length: 200 }, (_, i) => 8 + (i % 50)), ...Array.from({ length: 40 }, (_, i) => 100 + ((i * 4) % 151))];
    const img = image(20, 20, (x, y) => [values[y * 20 + x], 0, 0, 255]);
    // plain Otsu on max(R, G, B) keeps only the nuclei
    const hist = new Array(256).fill(0);
    for (const v of values) hist[v]++;
    const plain = otsuThreshold(hist);
    expect(values.filter((v) => v > plain).length).toBe(40);
    // on the log scale: no background pixel, and at least 90 % of the dim tissue
    const m = tissueMaskFromRGBA(img, 20, 20, 1, { channel: 'fluorescence' });
    const inMask = (lo: number, hi: number) => values.slice(lo, hi).reduce((n, _, k) => n + m.data[lo + k], 0);
    expect(inMask(0, 160)).toBe(0);
    expect(inMask(160, 360)).toBeGreaterThanOrEqual(180);
    expect(inMask(360, 400)).toBe(40);
  });

  it('a transparent edge is composited onto the background colour: bright, so grey', () => {
    const t = image(w, h, (x, y) => (x < 2 || y < 2 || x >= w - 2 || y >= h - 2 ? [0, 0, 0, 0] : inDisc(x, y) ? [190, 120, 170, 255] : [240, 240, 240, 255]));
    expect(tissueMaskFromRGBA(t, w, h, 1).channel).toBe('grey');
  });
});

describe('morphology in the mask', () => {
  it('sizes the disk and holes from µm at the overview\'s µm/px, or pixel defaults without one', () => {
    expect(tissueMorphologyFor(0.2281750559028887 * 4)).toEqual({ radiusPx: 11, holeAreaPx: Math.round(10000 / (0.2281750559028887 * 4) ** 2), radiusUm: 10, holeAreaUm2: 10000 });
    expect(tissueMorphologyFor(2)).toMatchObject({ radiusPx: 5, holeAreaPx: 2500 });
    expect(tissueMorphologyFor(0.01).radiusPx).toBe(32); // capped
    expect(tissueMorphologyFor(null)).toEqual({ radiusPx: 2, holeAreaPx: 100, radiusUm: null, holeAreaUm2: null });
  });

  it('removes a speck, fills a small hole and keeps a large one', () => {
    const w = 60, h = 40;
    // a 40×30 block of tissue with a 1-px hole and a 12×12 hole, plus a 1-px speck far away
    const img = image(w, h, (x, y) => {
      const block = x >= 5 && x < 45 && y >= 5 && y < 35;
      const smallHole = x === 12 && y === 12;
      const bigHole = x >= 25 && x < 37 && y >= 15 && y < 27;
      const speck = x === 55 && y === 3;
      return (block && !smallHole && !bigHole) || speck ? [30, 0, 0, 255] : [1, 0, 0, 255];
    });
    const raw = tissueMaskFromRGBA(img, w, h, 1);
    const m = tissueMaskFromRGBA(img, w, h, 1, { morphology: { radiusPx: 2, holeAreaPx: 50, radiusUm: null, holeAreaUm2: null } });
    expect(raw.data[3 * w + 55]).toBe(1);
    expect(m.data[3 * w + 55]).toBe(0); // speck opened away
    expect(raw.data[12 * w + 12]).toBe(0);
    expect(m.data[12 * w + 12]).toBe(1); // small hole closed
    expect(m.data[20 * w + 30]).toBe(0); // the 144-px hole stays background
    expect(m.data[20 * w + 20]).toBe(1);
    expect(m.morphology?.radiusPx).toBe(2);
    expect(tissueRuleOf(m)).toMatchObject({ mode: 'auto', channel: 'fluorescence', tissueIs: '> threshold', morphology: { radiusPx: 2, holeAreaPx: 50 } });
  });
});
