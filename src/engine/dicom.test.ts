// DICOM whole-slide images (patch wasm/patches/openslide-13-dicom.patch) against native OpenSlide
// 4.0.1, which reads them through libdicom (3.4.1 cannot). On openslide-python's boxes_0.dcm /
// boxes_1.dcm and on every generated sample (tools/samples/make_dicom_samples.py: TILED_FULL and
// TILED_SPARSE, JPEG RGB and YBR_FULL_422, JPEG 2000 lossy and reversible, uncompressed frames,
// label / macro / thumbnail, multi-file pyramids, a one-file series): the vendor, every property,
// levels, associated images and ICC profiles, and regions on every level — whole levels, random
// ones crossing the edges, sparse holes — byte for byte. A DICOM file that is not a slide (a CT
// slice) is refused as 4.0.1 refuses it, and the app's refusal says what it is.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { openAsBlob, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenSlideHandle } from './binding.ts';
import type { EngineModule } from './module.ts';
import { NodeSlide, detectVendorNode, loadEngineNode, mountBeside } from './node.ts';
import { explainOpenFailure } from './refusal.ts';
import { EngineError, level0, levelPx } from './types.ts';
import type { OracleRequest } from './testing/oracle.ts';
import { oracle41Info, oracle41Open, oracle41Regions, requireOracle41, type OracleInfo41 } from './testing/oracle41.ts';
import { REPO, SHARED_SLIDES, prng } from './testing/slides.ts';

const SAMPLES_DIR = path.join(REPO, '.cache/samples-dicom');
// seconds; a no-op when the samples are there and the generator is unchanged
execFileSync('/usr/bin/python3', [path.join(REPO, 'tools/samples/make_dicom_samples.py'), SAMPLES_DIR], { stdio: ['ignore', 'ignore', 'inherit'] });
const samples = (JSON.parse(readFileSync(path.join(SAMPLES_DIR, 'samples-dicom.json'), 'utf8')) as { id: string; path: string; vendor: string | null; format: string }[]).map(
  (s) => ({ ...s, path: path.join(SAMPLES_DIR, s.path) }),
);
const boxes = ['boxes_0.dcm', 'boxes_1.dcm'].map((f) => ({ id: f, path: path.join(SHARED_SLIDES, 'bad/unsupported-in-3.4.1', f), vendor: 'dicom' }));
const slides = [...boxes, ...samples.filter((s) => s.vendor === 'dicom')];
const notSlides = samples.filter((s) => s.vendor === null);

const REGIONS_PER_LEVEL = 14;
let engine: EngineModule;
let compared = 0;

beforeAll(async () => {
  requireOracle41();
  engine = await loadEngineNode();
});
afterAll(() => console.log(`DICOM parity with native OpenSlide 4.0.1: ${compared} reads compared on ${slides.length} slides`));

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function info41(file: string): OracleInfo41 {
  const native = oracle41Info(file);
  if ('error_type' in native) throw new Error(`native 4.0.1 cannot open ${file}: ${native.message}`);
  return native;
}

function requestsFor(id: string, native: OracleInfo41): OracleRequest[] {
  const rand = prng([...id].reduce((a, c) => a * 31 + c.charCodeAt(0), 7));
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const out: OracleRequest[] = [];
  native.level_dimensions.forEach(([W, H], level) => {
    const ds = native.level_downsamples[level];
    out.push({ kind: 'region', x: 0, y: 0, level, w: W, h: H });
    for (let i = 0; i < REGIONS_PER_LEVEL; i++) {
      const w = int(1, Math.min(400, W));
      const h = int(1, Math.min(400, H));
      // some start left of / above the slide, some cross the right and bottom edges
      const x = i % 4 === 0 ? -int(1, 40) : i % 4 === 1 ? W - Math.ceil(w / 2) : int(0, W - w);
      const y = i % 4 === 0 ? -int(1, 40) : i % 4 === 2 ? H - Math.ceil(h / 2) : int(0, H - h);
      if (i % 5 === 4) out.push({ kind: 'tile', x: Math.max(0, x), y: Math.max(0, y), level, w, h, background: 255 });
      else out.push({ kind: 'region', x: Math.floor(x * ds), y: Math.floor(y * ds), level, w, h });
    }
  });
  for (const name of Object.keys(native.associated_images)) out.push({ kind: 'associated', name });
  return out;
}

describe.each(slides.map((s) => [s.id, s] as const))('%s', (id, s) => {
  it('opens with what native OpenSlide 4.0.1 reports: vendor, every property, levels, associated images, ICC profiles', async () => {
    const native = info41(s.path);
    expect(native.library_version).toBe('4.0.1');
    expect(native.vendor).toBe('dicom');
    expect(await detectVendorNode(s.path, engine)).toBe('dicom');
    const { mountPoint, inside } = mountBeside(engine, s.path);
    const handle = OpenSlideHandle.open(engine, inside, s.path);
    try {
      const { info } = handle;
      expect(info.levels.map((l) => [l.width, l.height])).toEqual(native.level_dimensions);
      expect(info.levels.map((l) => l.downsample)).toEqual(native.level_downsamples);
      expect(Object.fromEntries(info.associated.map((a) => [a.name, [a.width, a.height]]))).toEqual(native.associated_images);
      expect(info.properties).toEqual(native.properties);
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

  it('reads whole levels, regions across the edges and holes, ratiopath tiles and associated images byte for byte as native 4.0.1', async () => {
    const native = info41(s.path);
    const requests = requestsFor(id, native);
    const { results, rawDir } = oracle41Regions(s.path, requests);
    const slide = await NodeSlide.open(s.path, engine);
    try {
      for (const [i, r] of requests.entries()) {
        const want = results[i];
        const where = `${id} request ${i} ${JSON.stringify(r)}`;
        expect(want.reproducible, `${where}: native 4.0.1 is not reproducible`).toBe(true);
        expect(want.error, `${where}: native 4.0.1 failed`).toBeUndefined();
        const got =
          r.kind === 'region'
            ? (await slide.readRegion(level0(r.x), level0(r.y), r.level, levelPx(r.w), levelPx(r.h))).data
            : r.kind === 'tile'
              ? (await slide.readTile(levelPx(r.x), levelPx(r.y), r.level, levelPx(r.w), levelPx(r.h), r.background)).data
              : (await slide.associatedImage(r.name)).data;
        if (r.kind !== 'tile' || sha(got) === want.sha256) {
          expect(sha(got), where).toBe(want.sha256);
        } else {
          // ratiopath tiles: PIL's alpha_composite and the shim may round a partially transparent
          // pixel 1 apart (as in parity41.test.ts); opaque and fully transparent pixels are exact
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

describe('the sparse sample has holes', () => {
  it('a tile without a frame is transparent, as in native 4.0.1', async () => {
    const s = samples.find((x) => x.id === 'dicom-sparse')!;
    // tile (1, 0) of level 0 (160 x 128 tiles) has no frame in the generator
    const slide = await NodeSlide.open(s.path, engine);
    try {
      const hole = await slide.readRegion(level0(160), level0(0), 0, levelPx(160), levelPx(128));
      expect(hole.data.every((b) => b === 0)).toBe(true);
      const filled = await slide.readRegion(level0(0), level0(0), 0, levelPx(160), levelPx(128));
      expect(filled.data.some((b) => b !== 0)).toBe(true);
    } finally {
      await slide.close();
    }
  });
});

describe.each(notSlides.map((s) => [s.id, s] as const))('%s (not a whole-slide image)', (_id, s) => {
  it('is refused as native 4.0.1 refuses it (no driver claims it), and the app says what it is', async () => {
    const native = oracle41Open(s.path);
    expect(native.ok).toBe(false);
    expect(native.error_type).toBe('OpenSlideUnsupportedFormatError');
    expect(await detectVendorNode(s.path, engine)).toBeNull();
    const err = await NodeSlide.open(s.path, engine).then(
      (slide) => (void slide.close(), null),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).code).toBe('unsupported-format');
    expect((err as EngineError).message).toBe(native.message);
    // the specific words: the refusal the app shows, read from the file's own bytes (core/refusals.ts)
    const refusal = await explainOpenFailure(err, { path: path.basename(s.path), blob: await openAsBlob(s.path) }, [path.basename(s.path)]);
    expect(refusal.kind).toBe('dicom-not-wsi');
    expect(refusal.cause).toBe(`${path.basename(s.path)} is a DICOM file but not a whole-slide image (it is a CT Image, not VL Whole Slide Microscopy)`);
  });
});
