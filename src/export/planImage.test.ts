import { describe, expect, it } from 'vitest';
import { renderPlan } from './planImage.ts';

describe('renderPlan', () => {
  it('composites onto white and draws box outlines in level-0 coordinates scaled to the picture', () => {
    const W = 40;
    const H = 30;
    const data = new Uint8Array(W * H * 4); // fully transparent: white after compositing
    const out = renderPlan({ width: W, height: H, data }, 10, [{ x: 100, y: 100, w: 100, h: 100, rgb: [0, 0, 255], width: 1 }], []);
    const px = (x: number, y: number) => Array.from(out.data.subarray((y * W + x) * 4, (y * W + x) * 4 + 4));
    expect(px(0, 0)).toEqual([255, 255, 255, 255]);
    expect(px(10, 10)).toEqual([0, 0, 255, 255]);
    expect(px(19, 15)).toEqual([0, 0, 255, 255]);
    expect(px(15, 15)).toEqual([255, 255, 255, 255]);
  });
});
