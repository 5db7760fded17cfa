// The scale bar shows a true length: nice 1/2/5 × 10^k µm, a bar as wide as that length is on screen,
// and no bar at all when the slide's µm/px is unknown or not a scan resolution.
import { describe, expect, it } from 'vitest';
import type { SlideInfo } from '../../core/slide.ts';
import { lengthLabel, parseLengthLabel, scaleBar, scaleBarMpp } from './scaleBar.ts';

const info = (props: Record<string, string>): SlideInfo => ({ vendor: 'x', levels: [{ width: 1000, height: 800, downsample: 1 }], properties: props, associated: [] });

describe('scaleBar', () => {
  it('picks the longest 1/2/5 × 10^k µm that fits, and its bar is that length on screen', () => {
    // 0.499 µm/px at 25% zoom: 150 px are 299.4 µm → 200 µm, drawn 200 / 0.499 × 0.25 px wide
    const s = scaleBar(0.499, 0.25, 150)!;
    expect(s.um).toBe(200);
    expect(s.label).toBe('200 µm');
    expect(s.px).toBeCloseTo((200 / 0.499) * 0.25, 9);
  });

  it('stays between maxPx / 2.5 and maxPx over every zoom a slide can have', () => {
    for (const mpp of [0.05, 0.2325, 0.25, 0.499, 1, 8.3]) {
      for (let scale = 1e-4; scale <= 16; scale *= 1.07) {
        const s = scaleBar(mpp, scale, 150)!;
        expect(s.px).toBeLessThanOrEqual(150 * (1 + 1e-9));
        expect(s.px).toBeGreaterThan(150 / 2.5);
        const m = s.um / 10 ** Math.floor(Math.log10(s.um) + 1e-9);
        expect([1, 2, 5].some((n) => Math.abs(m - n) < 1e-9)).toBe(true);
        expect(parseLengthLabel(s.label)).toBeCloseTo(s.um, 9);
      }
    }
  });

  it('takes an exact power of ten when it fits exactly', () => {
    // 150 px at 1 µm/px and scale 0.15 are exactly 1000 µm
    expect(scaleBar(1, 0.15, 150)!.label).toBe('1 mm');
  });

  it('refuses what is not a length', () => {
    expect(scaleBar(0, 1)).toBeNull();
    expect(scaleBar(Number.NaN, 1)).toBeNull();
    expect(scaleBar(0.5, 0)).toBeNull();
    expect(scaleBar(0.5, Number.POSITIVE_INFINITY)).toBeNull();
  });
});

describe('lengthLabel', () => {
  it('writes µm below a millimetre and mm from one, without float noise', () => {
    expect(lengthLabel(5, -1)).toBe('0.5 µm');
    expect(lengthLabel(2, -2)).toBe('0.02 µm');
    expect(lengthLabel(1, 0)).toBe('1 µm');
    expect(lengthLabel(5, 2)).toBe('500 µm');
    expect(lengthLabel(1, 3)).toBe('1 mm');
    expect(lengthLabel(2, 4)).toBe('20 mm');
    expect(lengthLabel(5, 6)).toBe('5,000 mm');
    expect(parseLengthLabel('5,000 mm')).toBe(5_000_000);
    expect(parseLengthLabel('0.02 µm')).toBe(0.02);
    expect(parseLengthLabel('level 2')).toBeNull();
  });
});

describe('scaleBarMpp', () => {
  it("uses the slide's openslide.mpp-x", () => {
    expect(scaleBarMpp(info({ 'openslide.mpp-x': '0.499', 'openslide.mpp-y': '0.5' }))).toBe(0.499);
  });
  it('has none for a slide without µm/px, or with a 72-dpi TIFF default', () => {
    expect(scaleBarMpp(info({}))).toBeNull();
    expect(scaleBarMpp(info({ 'openslide.mpp-x': '352.77777', 'openslide.mpp-y': '352.77777' }))).toBeNull();
    expect(scaleBarMpp(null)).toBeNull();
  });
  it('uses a typed µm/px, as planning does', () => {
    expect(scaleBarMpp(info({}), 0.25)).toBe(0.25);
    expect(scaleBarMpp(info({ 'openslide.mpp-x': '352.77777', 'openslide.mpp-y': '352.77777' }), 0.25)).toBe(0.25);
    expect(scaleBarMpp(info({}), 0)).toBeNull();
  });
});
