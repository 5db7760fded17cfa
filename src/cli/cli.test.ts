// The CLI end to end, in-process, on real slides: output files, exit codes and one-line errors.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { oracleRegions } from '../engine/testing/oracle.ts';
import { SHARED_SLIDES } from '../engine/testing/slides.ts';
import { main } from './main.ts';

const CMU = path.join(SHARED_SLIDES, 'real/aperio/CMU-1-Small-Region.svs');
const out = mkdtempSync(path.join(tmpdir(), 'slidetile-cli-'));

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

describe('slidetile CLI', () => {
  it('info --json prints the slide facts', async () => {
    const r = await run('info', CMU, '--json');
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info.vendor).toBe('aperio');
    expect(info.levels[0]).toMatchObject({ width: 2220, height: 2967, downsample: 1 });
    expect(info.associated.map((a: { name: string }) => a.name).sort()).toEqual(['label', 'macro', 'thumbnail']);
  });

  it('region writes an RGBA PNG and tile an RGB PNG equal to native', async () => {
    const regionFile = path.join(out, 'r.png');
    const tileFile = path.join(out, 't.png');
    expect((await run('region', CMU, '--x', '2000', '--y', '2800', '--level', '0', '--width', '300', '--height', '200', '--out', regionFile)).code).toBe(0);
    expect((await run('tile', CMU, '--x', '100', '--y', '50', '--level', '0', '--width', '64', '--height', '48', '--out', tileFile)).code).toBe(0);
    const region = PNG.sync.read(readFileSync(regionFile));
    const tile = PNG.sync.read(readFileSync(tileFile), { skipRescale: true });
    expect([region.width, region.height]).toEqual([300, 200]);
    expect([tile.width, tile.height]).toEqual([64, 48]);
    const { results, rawDir } = oracleRegions(CMU, [
      { kind: 'region', x: 2000, y: 2800, level: 0, w: 300, h: 200 },
      { kind: 'tile', x: 100, y: 50, level: 0, w: 64, h: 48, background: 255 },
    ]);
    expect(results.every((r) => r.sha256)).toBe(true);
    expect(Buffer.compare(region.data, readFileSync(path.join(rawDir, '0.bin')))).toBe(0);
    // pngjs decodes to RGBA: drop alpha to compare with native RGB
    const rgb = Buffer.alloc(64 * 48 * 3);
    for (let i = 0; i < 64 * 48; i++) tile.data.copy(rgb, i * 3, i * 4, i * 4 + 3);
    expect(Buffer.compare(rgb, readFileSync(path.join(rawDir, '1.bin')))).toBe(0);
  });

  it('associated writes the label', async () => {
    const f = path.join(out, 'label.png');
    expect((await run('associated', CMU, 'label', '--out', f)).code).toBe(0);
    expect(PNG.sync.read(readFileSync(f)).width).toBeGreaterThan(0);
  });

  it.each([
    ['an unsupported file exits 2', ['info', path.join(SHARED_SLIDES, 'bad/broken.svs')], 2, /broken\.svs: Unsupported or missing image file/],
    ['a corrupt slide exits 3', ['info', path.join(SHARED_SLIDES, 'bad/unopenable.tiff')], 3, /Unsupported TIFF compression: 52479/],
    ['a failed read exits 3', ['region', path.join(SHARED_SLIDES, 'bad/unreadable.svs'), '--x', '0', '--y', '0', '--level', '0', '--width', '16', '--height', '16', '--out', path.join(out, 'x.png')], 3, /Bogus marker length/],
    ['a missing option exits 1', ['region', CMU, '--x', '0'], 1, /--y is required/],
    ['an unknown command exits 1', ['frobnicate'], 1, /unknown command/],
  ])('%s', async (_name, argv, code, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(code);
    expect(r.stderr.split('\n')[0]).toMatch(message);
  });
});
