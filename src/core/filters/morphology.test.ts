import { describe, expect, it } from 'vitest';
import { close, dilate, diskRows, erode, fillSmallHoles, open } from './morphology.ts';

// masks drawn as text: '#' tissue, '.' background
const parse = (rows: string[]) => ({ w: rows[0].length, h: rows.length, m: Uint8Array.from(rows.join('').split(''), (c) => (c === '#' ? 1 : 0)) });
const draw = (m: Uint8Array, w: number) => Array.from({ length: m.length / w }, (_, y) => Array.from(m.slice(y * w, y * w + w), (v) => (v ? '#' : '.')).join(''));

describe('disk', () => {
  it('is skimage disk(r): dx² + dy² ≤ r²', () => {
    expect(Array.from(diskRows(1))).toEqual([0, 1, 0]);
    expect(Array.from(diskRows(2))).toEqual([0, 1, 2, 1, 0]);
    expect(Array.from(diskRows(3))).toEqual([0, 2, 2, 3, 2, 2, 0]);
  });
});

describe('dilate / erode', () => {
  it('dilates one pixel into the radius-1 cross; outside the image is background', () => {
    const { w, h, m } = parse(['.....', '.....', '..#..', '.....', '.....']);
    expect(draw(dilate(m, w, h, 1), w)).toEqual(['.....', '..#..', '.###.', '..#..', '.....']);
  });
  it('erodes with the outside counted as tissue: a full mask stays full, a notch grows', () => {
    const full = parse(['####', '####', '####']);
    expect(draw(erode(full.m, full.w, full.h, 1), full.w)).toEqual(['####', '####', '####']);
    const notch = parse(['#####', '##.##', '#####']);
    expect(draw(erode(notch.m, notch.w, notch.h, 1), notch.w)).toEqual(['##.##', '#...#', '##.##']);
  });
});

describe('closing then opening', () => {
  it('closing bridges a one-pixel gap in a band (radius-1 cross; corners of the cross stay open)', () => {
    const { w, h, m } = parse(['.........', '.........', '..##.##..', '..##.##..', '..##.##..', '.........', '.........']);
    expect(draw(close(m, w, h, 1), w)).toEqual(['.........', '.........', '..##.##..', '..#####..', '..##.##..', '.........', '.........']);
  });
  it('opening removes a speck and a one-pixel strand; a block keeps its cross-shaped core', () => {
    const { w, h, m } = parse(['.........', '.#.......', '.........', '.....###.', '.#######.', '.....###.', '.........']);
    expect(draw(open(m, w, h, 1), w)).toEqual(['.........', '.........', '.........', '.....##..', '....####.', '.....##..', '.........']);
  });
  it('closing ⊇ mask ⊇ opening', () => {
    const w = 23, h = 17;
    const m = Uint8Array.from({ length: w * h }, (_, i) => ((i * 2654435761) >>> 0) % 7 < 3 ? 1 : 0);
    const c = close(m, w, h, 2);
    const o = open(m, w, h, 2);
    for (let i = 0; i < m.length; i++) {
      expect(c[i] >= m[i]).toBe(true);
      expect(o[i] <= m[i]).toBe(true);
    }
  });
});

describe('fillSmallHoles', () => {
  const { w, h, m } = parse([
    '..........',
    '.########.',
    '.#.####...',
    '.########.',
    '.#...####.',
    '.#...####.',
    '.#...####.',
    '.########.',
  ]);
  it('fills enclosed holes smaller than the area, not larger ones nor background touching the edge', () => {
    // the 1-px hole is filled; the 3×3 hole (9 px) is not at maxArea 9; the notch open to the edge stays
    expect(draw(fillSmallHoles(m, w, h, 9), w)).toEqual([
      '..........',
      '.########.',
      '.#######..'.slice(0, 7) + '...',
      '.########.',
      '.#...####.',
      '.#...####.',
      '.#...####.',
      '.########.',
    ]);
    expect(draw(fillSmallHoles(m, w, h, 10), w)[5]).toBe('.########.');
  });
  it('with area 0 changes nothing', () => {
    expect(Array.from(fillSmallHoles(m, w, h, 0))).toEqual(Array.from(m));
  });
});
