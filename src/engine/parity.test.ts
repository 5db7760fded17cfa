// The engine against native OpenSlide (Debian's python3-openslide): slide info, random regions on
// every level (crossing the right and bottom edges), ratiopath tiles and associated images, for every
// real slide and generated sample. Native is compared only where it reproduces itself.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeSlide, detectVendorNode, loadEngineNode } from './node.ts';
import type { EngineModule } from './module.ts';
import { EngineError, level0, levelPx } from './types.ts';
import { markHistoryDependent, oracleInfo, oracleRegions, type OracleRequest } from './testing/oracle.ts';
import { prng, realSlides, sampleSlides, type TestSlide } from './testing/slides.ts';

const REGIONS_PER_LEVEL = 20;
// the 2x1 grey+alpha TIFF the issue names: native returns other bytes on most reads from run to run,
// so on some runs nothing at all is comparable
const NATIVE_IRREPRODUCIBLE = new Set(['real-generic-tiff-small_la']);
const TILES_PER_LEVEL = 6;

const slides: TestSlide[] = [...realSlides(), ...sampleSlides()];
const skipped: string[] = [];
let engine: EngineModule;

beforeAll(async () => {
  engine = await loadEngineNode();
});
afterAll(() => {
  if (skipped.length) console.log(`native OpenSlide did not reproduce itself; not compared:\n  ${skipped.join('\n  ')}`);
});

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function requestsFor(s: TestSlide, levels: [number, number][], downsamples: number[], associated: string[]): OracleRequest[] {
  const rand = prng([...s.id].reduce((a, c) => a * 31 + c.charCodeAt(0), 7));
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const out: OracleRequest[] = [];
  levels.forEach(([W, H], level) => {
    const ds = downsamples[level];
    for (let i = 0; i < REGIONS_PER_LEVEL + TILES_PER_LEVEL; i++) {
      const w = i === 0 ? 512 : int(1, Math.min(512, Math.max(1, W)));
      const h = i === 0 ? 512 : int(1, Math.min(512, Math.max(1, H)));
      // a quarter cross the right edge, a quarter the bottom, a quarter both corners
      const x = i % 4 === 1 || i % 4 === 3 ? Math.max(0, W - Math.ceil(w / 2)) : int(0, Math.max(0, W - w));
      const y = i % 4 === 2 || i % 4 === 3 ? Math.max(0, H - Math.ceil(h / 2)) : int(0, Math.max(0, H - h));
      if (i < REGIONS_PER_LEVEL) out.push({ kind: 'region', x: Math.floor(x * ds), y: Math.floor(y * ds), level, w, h });
      else out.push({ kind: 'tile', x, y, level, w, h, background: 255 });
    }
  });
  for (const name of associated) out.push({ kind: 'associated', name });
  return out;
}

describe.each(slides.map((s) => [s.id, s] as const))('%s', (_id, s) => {
  it('opens with the same facts as native OpenSlide', async () => {
    const native = oracleInfo(s.path);
    expect(await detectVendorNode(s.path, engine)).toBe(native.vendor);
    const slide = await NodeSlide.open(s.path, engine);
    try {
      const { info } = slide;
      expect(info.levels.map((l) => [l.width, l.height])).toEqual(native.level_dimensions);
      expect(info.levels.map((l) => l.downsample)).toEqual(native.level_downsamples);
      expect(info.properties).toEqual(native.properties);
      expect(Object.fromEntries(info.associated.map((a) => [a.name, [a.width, a.height]]))).toEqual(native.associated_images);
    } finally {
      await slide.close();
    }
  });

  it('reads regions, ratiopath tiles and associated images byte for byte as native', async () => {
    const native = oracleInfo(s.path);
    const requests = requestsFor(s, native.level_dimensions, native.level_downsamples, Object.keys(native.associated_images));
    const { results, rawDir } = oracleRegions(s.path, requests);
    markHistoryDependent(s.path, requests, results);
    const slide = await NodeSlide.open(s.path, engine);
    let compared = 0;
    try {
      for (const [i, r] of requests.entries()) {
        const want = results[i];
        const where = `${s.id} request ${i} ${JSON.stringify(r)}`;
        if (want.reproducible === false) {
          skipped.push(where);
          continue;
        }
        const read = async (sl: NodeSlide) =>
          r.kind === 'region'
            ? (await sl.readRegion(level0(r.x), level0(r.y), r.level, levelPx(r.w), levelPx(r.h))).data
            : r.kind === 'tile'
              ? (await sl.readTile(levelPx(r.x), levelPx(r.y), r.level, levelPx(r.w), levelPx(r.h), r.background)).data
              : (await sl.associatedImage(r.name)).data;
        let got: Uint8Array;
        try {
          got = await read(slide);
        } catch (e) {
          expect(e, where).toBeInstanceOf(EngineError);
          expect((e as EngineError).message, where).toBe(want.error);
          compared++;
          continue;
        }
        expect(want.error, `${where}: native failed but the engine read it`).toBeUndefined();
        if (sha(got) !== want.sha256) {
          // the same C code giving other bytes on a fresh instance reads uninitialised memory (libtiff's
          // RGBA path on levels narrower than a tile): undefined bytes, native's are as arbitrary
          const fresh = await NodeSlide.open(s.path, await loadEngineNode());
          const again = await read(fresh).finally(() => fresh.close());
          if (sha(again) !== sha(got)) {
            skipped.push(`${where} (undefined bytes: the engine differs from itself)`);
            continue;
          }
          if (r.kind !== 'tile') expect(sha(got), where).toBe(want.sha256);
          // tiles: equal on opaque pixels, at most 1 apart where alpha is partial
          const ref = readFileSync(path.join(rawDir, `${i}.bin`));
          const alpha = readFileSync(path.join(rawDir, `${i}.alpha.bin`));
          for (let p = 0; p < got.length; p++) {
            const d = Math.abs(got[p] - ref[p]);
            const a = alpha[Math.floor(p / 3)];
            if (d > (a === 255 || a === 0 ? 0 : 1)) expect.fail(`${where}: byte ${p} is ${got[p]}, native ${ref[p]} (alpha ${a})`);
          }
        }
        compared++;
      }
    } finally {
      await slide.close();
    }
    // something compared on every slide, however odd its TIFF (what was skipped is printed)
    if (!NATIVE_IRREPRODUCIBLE.has(s.id)) expect(compared).toBeGreaterThan(0);
    expect(compared + skipped.filter((w) => w.startsWith(`${s.id} `)).length).toBe(requests.length);
  });
});
