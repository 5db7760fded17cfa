import { describe, expect, it } from 'vitest';
import { planCommand } from './plan.ts';
import { NDPI_TRITC, TCGA_NO_MPP } from '../core/testing/slides.ts';
import type { SlideInfo } from '../core/slide.ts';

async function run(argv: string[], slides: Record<string, SlideInfo> = {}) {
  let out = '';
  let err = '';
  const code = await planCommand(argv, {
    openInfo: async (p) => {
      const s = slides[p];
      if (!s) throw new Error(`no such slide ${p}`);
      return s;
    },
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
  });
  return { code, out, err };
}

describe('slidetile plan --extent', () => {
  it.each([
    ['drop', [[0, 0], [2, 0], [0, 2], [2, 2]]],
    ['keep', [[0, 0], [2, 0], [4, 0], [0, 2], [2, 2], [4, 2], [0, 4], [2, 4], [4, 4]]],
    ['shift', [[0, 0], [2, 0], [3, 0], [0, 2], [2, 2], [3, 2], [0, 3], [2, 3], [3, 3]]],
  ])('ratiopath’s 5×5 example with last=%s', async (last, want) => {
    const r = await run(['--extent', '5,5', '--tile', '2,2', '--stride', '2,2', '--last', last, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual(want);
  });

  it('5000², tile 1024: shift ends at 3976', async () => {
    const r = await run(['--extent', '5000,5000', '--tile', '1024,1024', '--stride', '1024,1024', '--last', 'shift', '--json']);
    const o = JSON.parse(r.out) as number[][];
    expect(o).toHaveLength(25);
    expect(o[24]).toEqual([3976, 3976]);
  });

  it('without --json prints tab-separated lines and a summary on stderr', async () => {
    const r = await run(['--extent', '5,5', '--tile', '2,2', '--last', 'drop']);
    expect(r.out).toBe('0\t0\n2\t0\n0\t2\n2\t2\n');
    expect(r.err).toMatch(/4 tiles \(2×2\)/);
  });

  it('a single number means a square', async () => {
    const r = await run(['--extent', '5', '--tile', '2', '--last', 'drop', '--json']);
    expect(JSON.parse(r.out)).toHaveLength(4);
  });

  it('warns on stderr when the tile is larger than the slide', async () => {
    const r = await run(['--extent', '300,250', '--tile', '512,512', '--last', 'shift', '--json']);
    expect(JSON.parse(r.out)).toEqual([[-212, -262]]);
    expect(r.err).toMatch(/warning: tile 512×512 is larger/);
  });

  it.each([
    [['--extent', '5,5', '--last', 'pad'], /--last must be drop, keep or shift/],
    [['--extent', '5,-5'], /--extent must be two positive integers/],
    [['--tile', '2,2'], /give a SLIDE or --extent/],
    [['--extent', '5,5', '--mpp', '0.5'], /need a SLIDE/],
    [['--extent', '5,5', '--bogus'], /Unknown option/],
  ])('usage error %j → exit 2', async (argv, re) => {
    const r = await run(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(re);
    expect(r.err).toMatch(/usage:/);
  });
});

describe('slidetile plan SLIDE', () => {
  const slides = { 'test3.ndpi': NDPI_TRITC, 'tcga.svs': TCGA_NO_MPP };

  it('resolves --mpp with closestLevel and prints level, downsample, mpp, extent, origins', async () => {
    const r = await run(['test3.ndpi', '--mpp', '1', '--tile', '256,256', '--json'], slides);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.level).toBe(2);
    expect(j.downsample).toBe(4);
    expect(j.extent).toEqual([992, 1216]);
    expect(j.mpp.x).toBeCloseTo(0.2281750559028887 * 4, 12);
    expect(j.origins).toHaveLength(4 * 5);
    expect(j.origins[4]).toEqual([0, 256]);
    expect(j.origins[3]).toEqual([736, 0]); // shift: 992 - 256
  });

  it('--level picks the level directly', async () => {
    const j = JSON.parse((await run(['test3.ndpi', '--level', '6', '--tile', '32,32', '--last', 'drop', '--json'], slides)).out);
    expect(j.level).toBe(6);
    expect(j.extent).toEqual([62, 76]);
    expect(j.origins).toEqual([[0, 0], [0, 32]]);
  });

  it('a slide without mpp: clear error for --mpp, fine with --slide-mpp or --level', async () => {
    const bad = await run(['tcga.svs', '--mpp', '1', '--json'], slides);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/does not record its resolution/);
    const ok = JSON.parse((await run(['tcga.svs', '--mpp', '1', '--slide-mpp', '0.5', '--json'], slides)).out);
    expect(ok.level).toBe(1);
    const lv = JSON.parse((await run(['tcga.svs', '--level', '0', '--json'], slides)).out);
    expect(lv.mpp).toBeNull();
  });

  it.each([
    [['test3.ndpi', '--mpp', '1', '--level', '0'], 2, /not both/],
    [['test3.ndpi', '--level', '9'], 1, /level must be an integer in 0..6/],
    [['test3.ndpi', '--mpp=-1'], 2, /--mpp must be a positive number/],
    [['test3.ndpi', '--extent', '5,5'], 2, /a SLIDE has its own extent/],
    [['a.svs', 'b.svs'], 2, /one slide at a time/],
  ])('%j → exit %i', async (argv, code, re) => {
    const r = await run(argv as string[], slides);
    expect(r.code).toBe(code);
    expect(r.err).toMatch(re);
  });
});
