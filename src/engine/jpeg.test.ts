// The module's JPEG encoder writes the bytes PIL writes with Image.save(fp, 'JPEG', quality=Q) — what
// ratiopath's tiles are saved with — for read_tile results of real slides: same libjpeg-turbo
// (2.1.5, Debian 12's), same settings. Native PIL's libjpeg-turbo uses x86 SIMD, the module its C
// code; for encoding they give the same bytes, which is what this checks.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeJpegRgb } from './binding.ts';
import type { EngineModule } from './module.ts';
import { NodeSlide, loadEngineNode } from './node.ts';
import { SAMPLES_DIR, SHARED_SLIDES } from './testing/slides.ts';
import { EngineError, levelPx, type RGBImage } from './types.ts';

const PIL_JPEG = path.resolve(import.meta.dirname, '../../tools/oracle/pil_jpeg.py');
const QUALITIES = [50, 75, 90, 95];
// [slide, x, y, level, w, h]: tissue and background, a level > 0, odd sizes (partial 16x16 MCUs at
// the right and bottom), a tile crossing the slide's edge (transparent → background), and 1x1
const TILES: [string, number, number, number, number, number][] = [
  [path.join(SHARED_SLIDES, 'real/aperio/CMU-1-Small-Region.svs'), 1024, 1024, 0, 512, 512],
  [path.join(SHARED_SLIDES, 'real/aperio/CMU-1-Small-Region.svs'), 0, 0, 0, 256, 256],
  [path.join(SHARED_SLIDES, 'real/aperio/CMU-1-Small-Region.svs'), 2100, 1900, 0, 301, 177],
  [path.join(SHARED_SLIDES, 'real/hamamatsu-ndpi/test3-TRITC 2 (560).ndpi'), 100, 100, 1, 224, 224],
  [path.join(SAMPLES_DIR, 'aperio-pyramid/slide.svs'), 30, 20, 1, 255, 129],
  [path.join(SAMPLES_DIR, 'generic-tiff-rgba-deflate/slide.tiff'), 0, 0, 0, 1, 1],
];

let m: EngineModule;
const tiles: { name: string; tile: RGBImage }[] = [];
beforeAll(async () => {
  m = await loadEngineNode();
  for (const [file, x, y, level, w, h] of TILES) {
    const slide = await NodeSlide.open(file, m);
    try {
      // a tile crossing the right/bottom edge when the request asks past it
      const lv = slide.info.levels[level];
      const tx = Math.min(x, Math.max(0, lv.width - Math.ceil(w / 2)));
      tiles.push({ name: `${path.basename(file)} L${level} ${tx},${y} ${w}x${h}`, tile: await slide.readTile(levelPx(tx), levelPx(y), level, levelPx(w), levelPx(h)) });
    } finally {
      await slide.close();
    }
  }
});

describe('encodeJpegRgb', () => {
  it('writes PIL’s bytes for save(quality=Q), Q in 50/75/90/95', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'slidetile-jpeg-'));
    const reqs: { rgb: string; width: number; height: number; quality: number; out: string }[] = [];
    tiles.forEach(({ tile }, i) => {
      const rgb = path.join(dir, `${i}.rgb`);
      writeFileSync(rgb, tile.data);
      for (const q of QUALITIES) reqs.push({ rgb, width: tile.width, height: tile.height, quality: q, out: path.join(dir, `${i}-q${q}.jpg`) });
    });
    writeFileSync(path.join(dir, 'requests.json'), JSON.stringify(reqs));
    execFileSync('/usr/bin/python3', [PIL_JPEG, path.join(dir, 'requests.json')]);
    let i = 0;
    for (const { name, tile } of tiles) {
      for (const q of QUALITIES) {
        const ours = encodeJpegRgb(m, tile, q);
        const pil = readFileSync(reqs[i++].out);
        expect(Buffer.from(ours).equals(pil), `${name} quality ${q}: ${ours.length} bytes, PIL ${pil.length}`).toBe(true);
      }
    }
    expect(i).toBe(TILES.length * QUALITIES.length);
  });

  it('uses PIL’s default quality (75) when none is given', () => {
    const { tile } = tiles[0];
    expect(Buffer.from(encodeJpegRgb(m, tile)).equals(Buffer.from(encodeJpegRgb(m, tile, 75)))).toBe(true);
  });

  it('refuses a quality PIL would not take as a number from 0 to 100', () => {
    const { tile } = tiles[0];
    for (const q of [-1, 101, 7.5, Number.NaN]) expect(() => encodeJpegRgb(m, tile, q)).toThrow(EngineError);
  });
});
