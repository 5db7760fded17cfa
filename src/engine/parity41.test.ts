// The engine against native OpenSlide 4.0.1 — what ratiopath's users run (openslide-bin wheels) — in
// a Debian sid root (libopenslide1 4.0.1 under python3-openslide 1.4.6; testing/oracle41.ts). For every
// real slide, generated sample and 4.0.1-behaviour sample: every property 4.0.1 reports, level
// geometry, associated images and their pixels, ICC profile bytes, and regions on every level —
// random ones crossing the edges, ratiopath tiles, and whole small levels, so the levels narrower
// than a TIFF tile (uninitialised memory in 3.4.1, patch openslide-06) are read in full.
// Nothing is skipped: a difference is either fixed or listed in KNOWN_DIFFERENCES with its reason.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenSlideHandle } from './binding.ts';
import type { EngineModule } from './module.ts';
import { NodeSlide, detectVendorNode, loadEngineNode, mountBeside } from './node.ts';
import { EngineError, level0, levelPx } from './types.ts';
import type { OracleRequest } from './testing/oracle.ts';
import { Oracle41Crashed, oracle41Info, oracle41Open, oracle41Regions, requireOracle41, type OracleInfo41 } from './testing/oracle41.ts';
import { craftedBifs, prng, realSlides, sampleSlides, samples41, type TestSlide } from './testing/slides.ts';

const REGIONS_PER_LEVEL = 12;
const TILES_PER_LEVEL = 4;
/** Levels up to this many pixels are also read whole (every level narrower than a tile is). */
const WHOLE_LEVEL_MAX_PIXELS = 1 << 20;

/**
 * Remaining differences from native 4.0.1: slide id → property names whose value differs, each with
 * why. The test fails if a listed difference disappears (so the list stays true) or an unlisted one
 * appears. Empty: on every slide here the engine reports what 4.0.1 reports.
 */
const KNOWN_DIFFERENCES: Record<string, Record<string, string>> = {};

const slides: TestSlide[] = [...realSlides(), ...sampleSlides(), ...samples41()];
let engine: EngineModule;
let compared = 0;

beforeAll(async () => {
  requireOracle41();
  engine = await loadEngineNode();
});
afterAll(() => console.log(`parity with native OpenSlide 4.0.1: ${compared} reads compared on ${slides.length} slides`));

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function info41(s: TestSlide): OracleInfo41 {
  const native = oracle41Info(s.path);
  if ('error_type' in native) throw new Error(`native 4.0.1 cannot open ${s.id}: ${native.message}`);
  return native;
}

function requestsFor(s: TestSlide, native: OracleInfo41): OracleRequest[] {
  const rand = prng([...s.id].reduce((a, c) => a * 31 + c.charCodeAt(0), 41));
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const out: OracleRequest[] = [];
  native.level_dimensions.forEach(([W, H], level) => {
    const ds = native.level_downsamples[level];
    if (W * H <= WHOLE_LEVEL_MAX_PIXELS) out.push({ kind: 'region', x: 0, y: 0, level, w: W, h: H });
    for (let i = 0; i < REGIONS_PER_LEVEL + TILES_PER_LEVEL; i++) {
      const w = int(1, Math.min(512, Math.max(1, W)));
      const h = int(1, Math.min(512, Math.max(1, H)));
      // a quarter cross the right edge, a quarter the bottom, a quarter both corners
      const x = i % 4 === 1 || i % 4 === 3 ? Math.max(0, W - Math.ceil(w / 2)) : int(0, Math.max(0, W - w));
      const y = i % 4 === 2 || i % 4 === 3 ? Math.max(0, H - Math.ceil(h / 2)) : int(0, Math.max(0, H - h));
      if (i < REGIONS_PER_LEVEL) out.push({ kind: 'region', x: Math.floor(x * ds), y: Math.floor(y * ds), level, w, h });
      else out.push({ kind: 'tile', x, y, level, w, h, background: 255 });
    }
  });
  for (const name of Object.keys(native.associated_images)) out.push({ kind: 'associated', name });
  return out;
}

describe.each(slides.map((s) => [s.id, s] as const))('%s', (id, s) => {
  it('opens with the facts native OpenSlide 4.0.1 reports (properties, levels, associated images, ICC profiles)', async () => {
    const native = info41(s);
    expect(native.library_version).toBe('4.0.1');
    expect(await detectVendorNode(s.path, engine)).toBe(native.vendor);
    const { mountPoint, inside } = mountBeside(engine, s.path);
    const handle = OpenSlideHandle.open(engine, inside, s.path);
    try {
      const { info } = handle;
      expect(info.levels.map((l) => [l.width, l.height])).toEqual(native.level_dimensions);
      expect(info.levels.map((l) => l.downsample)).toEqual(native.level_downsamples);
      expect(Object.fromEntries(info.associated.map((a) => [a.name, [a.width, a.height]]))).toEqual(native.associated_images);
      // every property, except the listed differences (each of which must still differ)
      const known = KNOWN_DIFFERENCES[id] ?? {};
      const strip = (p: Record<string, string>) => Object.fromEntries(Object.entries(p).filter(([k]) => !(k in known)));
      expect(strip(info.properties)).toEqual(strip(native.properties));
      for (const k of Object.keys(known)) expect(info.properties[k], `${k} is listed as differing`).not.toBe(native.properties[k]);
      // ICC profiles: the bytes, not only openslide.icc-size
      const icc = handle.iccProfile();
      expect(icc && { size: icc.length, sha256: sha(icc) }).toEqual(native.icc_profile);
      const assocIcc: Record<string, { size: number; sha256: string }> = {};
      for (const a of info.associated) {
        const p = handle.iccProfile(a.name);
        if (p) assocIcc[a.name] = { size: p.length, sha256: sha(p) };
      }
      expect(assocIcc).toEqual(native.associated_icc_profiles);
    } finally {
      handle.close();
      engine.FS.unmount(mountPoint);
    }
  });

  it('reads regions (whole small levels too), ratiopath tiles and associated images byte for byte as native 4.0.1', async () => {
    const native = info41(s);
    const requests = requestsFor(s, native);
    const { results, rawDir } = oracle41Regions(s.path, requests);
    const slide = await NodeSlide.open(s.path, engine);
    try {
      for (const [i, r] of requests.entries()) {
        const want = results[i];
        const where = `${id} request ${i} ${JSON.stringify(r)}`;
        // 4.0.1 gives the same bytes through a fresh handle: its pixels are defined, so they are the truth
        expect(want.reproducible, `${where}: native 4.0.1 is not reproducible`).toBe(true);
        let got: Uint8Array;
        try {
          got =
            r.kind === 'region'
              ? (await slide.readRegion(level0(r.x), level0(r.y), r.level, levelPx(r.w), levelPx(r.h))).data
              : r.kind === 'tile'
                ? (await slide.readTile(levelPx(r.x), levelPx(r.y), r.level, levelPx(r.w), levelPx(r.h), r.background)).data
                : (await slide.associatedImage(r.name)).data;
        } catch (e) {
          expect(e, where).toBeInstanceOf(EngineError);
          expect((e as EngineError).message, where).toBe(want.error);
          compared++;
          continue;
        }
        expect(want.error, `${where}: native 4.0.1 failed but the engine read it`).toBeUndefined();
        if (r.kind !== 'tile' || sha(got) === want.sha256) {
          expect(sha(got), where).toBe(want.sha256);
        } else {
          // ratiopath tiles: PIL's alpha_composite (sid's Pillow) and the shim may round a partially
          // transparent pixel 1 apart; opaque and fully transparent pixels are exact
          const ref = readFileSync(path.join(rawDir, `${i}.bin`));
          const alpha = readFileSync(path.join(rawDir, `${i}.alpha.bin`));
          for (let p = 0; p < got.length; p++) {
            const a = alpha[Math.floor(p / 3)];
            if (Math.abs(got[p] - ref[p]) > (a === 255 || a === 0 ? 0 : 1)) expect.fail(`${where}: byte ${p} is ${got[p]}, native 4.0.1 ${ref[p]} (alpha ${a})`);
          }
        }
        compared++;
      }
    } finally {
      await slide.close();
    }
  });
});

// CVE-2026-48977 (OpenSlide 4.0.1's fix for a memory write with crafted Ventana BIFs) and the reads
// around it: tools/samples/gen_bif_crafted.py writes the ventana-bif sample with one AOI changed.
// What the engine must do with each (patch openslide-12). Native 4.0.1 runs on the same file under a
// time and memory limit: where it answers, the engine must answer the same; where it crashes or hangs
// (it does on most of these: see the patch header), the engine must still answer as listed, without
// trapping, and its heap must still serve a good slide afterwards.
interface Outcome {
  open: string | null; // null: opened; else the open error
  read: string | null; // null: the level-0 centre and the whole last level read; else the read error
}
const CRAFTED: Record<string, { engine: Outcome; differsFrom41?: string }> = {
  // the overflowing product that made 3.4.1 write a joint through a pointer read past the table
  'bif-tilecount-wraps': { engine: { open: 'Area has invalid tile count 4611686018427387905x4', read: null } },
  'bif-tilecount-wraps-up': {
    engine: { open: 'Area has invalid tile count 4611686018427387906x4', read: null },
    // 4.0.1 checks this joint before noticing anything about the count; the engine refuses the
    // count itself first (the check CVE-2026-48977 needs), so both refuse, with other words
    differsFrom41: 'Unexpected tile join: UP, (0, 3), (2, 3)',
  },
  'bif-tilecount-negative': { engine: { open: 'Area has invalid tile count 4294967297x4294967295', read: null } },
  'bif-tilecount-huge': { engine: { open: 'Area has invalid tile count 100000x100000', read: null } },
  // opens (as 4.0.1 does); the tiles below the level have no tile number: libtiff's refusal, as 4.0.1
  'bif-area-beyond-level': { engine: { open: null, read: 'Cannot read raw tile, last error: TIFFReadRawTile: 26: Tile out of range, max 24' } },
  'bif-origin-negative': { engine: { open: null, read: null } },
};

async function engineOutcome(m: EngineModule, file: string): Promise<Outcome> {
  let slide: NodeSlide;
  try {
    slide = await NodeSlide.open(file, m);
  } catch (e) {
    expect(e).toBeInstanceOf(EngineError);
    expect((e as EngineError).code, (e as Error).message).not.toBe('engine-crashed');
    return { open: (e as Error).message, read: null };
  }
  try {
    const [l0, last] = [slide.info.levels[0], slide.info.levels[slide.info.levels.length - 1]];
    await slide.readRegion(level0(Math.max(0, l0.width / 2 - 128)), level0(Math.max(0, l0.height / 2 - 128)), 0, levelPx(256), levelPx(256));
    if (last.width * last.height <= 16 << 20) {
      await slide.readRegion(level0(0), level0(0), slide.info.levels.length - 1, levelPx(last.width), levelPx(last.height));
    }
    return { open: null, read: null };
  } catch (e) {
    expect((e as EngineError).code, (e as Error).message).not.toBe('engine-crashed');
    return { open: null, read: (e as Error).message };
  } finally {
    await slide.close();
  }
}

describe('crafted Ventana BIFs (CVE-2026-48977)', () => {
  const cases = craftedBifs();
  it('covers every crafted file with an expectation', () => {
    expect(cases.map((c) => c.id).sort()).toEqual(Object.keys(CRAFTED).sort());
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s: the engine refuses or reads it safely, as native 4.0.1 where it answers', async (id, c) => {
    const m = await loadEngineNode();
    const got = await engineOutcome(m, c.path);
    expect(got, c.what).toEqual(CRAFTED[id].engine);
    // the same module still reads a good slide: nothing was written where it should not have been
    const good = sampleSlides().find((s) => s.id === 'ventana-bif')!;
    expect(await engineOutcome(m, good.path)).toEqual({ open: null, read: null });

    let native: ReturnType<typeof oracle41Open> | null = null;
    try {
      native = oracle41Open(c.path, { timeoutMs: 8_000, memoryKb: 4 << 20 });
    } catch (e) {
      if (!(e instanceof Oracle41Crashed)) throw e;
      console.log(`${id}: ${e.message}; the engine: ${JSON.stringify(got)}`);
    }
    if (native) {
      const nativeOutcome: Outcome = native.ok ? { open: null, read: native.read?.ok ? null : (native.read?.error ?? '') } : { open: native.message ?? '', read: null };
      const differs = CRAFTED[id].differsFrom41;
      if (differs) expect(nativeOutcome.open ?? nativeOutcome.read, 'the listed 4.0.1 answer').toBe(differs);
      else expect(got, `${id}: native 4.0.1 answered ${JSON.stringify(nativeOutcome)}`).toEqual(nativeOutcome);
    }
  });
});
