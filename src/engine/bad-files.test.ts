// Every file in ../shared/slides/bad is refused (or its reads fail) with native OpenSlide's reason,
// quickly, and the same engine instance then serves a good slide normally. Each refusal's likely
// cause (core/refusals.ts, from the facts engine/refusal.ts supplies) is the one its kind calls for,
// names the user's file and leaves no path inside the engine (/hostN/, /slide/) in any word.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, openAsBlob, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RefusalKind } from '../core/refusals.ts';
import { explainOpenFailure } from './refusal.ts';
import { NodeSlide, loadEngineNode } from './node.ts';
import type { EngineModule } from './module.ts';
import { EngineError, level0, levelPx } from './types.ts';
import { oracleOpen } from './testing/oracle.ts';
import { REPO, SHARED_SLIDES } from './testing/slides.ts';

const BAD = path.join(SHARED_SLIDES, 'bad');
const GOOD = path.join(SHARED_SLIDES, 'real/aperio/CMU-1-Small-Region.svs');
// companion files are not slides of their own: the .mrxs/.vsi beside them is
const COMPANIONS = /\/(Slidedat\.ini|[^/]+\.ets)$/;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}
// DICOM WSI (boxes_0/1.dcm) opens now, as OpenSlide 4.0.1 opens it: src/engine/dicom.test.ts reads it
const READABLE_NOW = /\/boxes_[01]\.dcm$/;
const files = walk(BAD).filter((f) => !COMPANIONS.test(f) && !READABLE_NOW.test(f));

// the cause each file's refusal must give: a new bad file needs its line here
const EXPECTED_KIND: Record<string, RefusalKind> = {
  'broken.svs': 'not-a-slide',
  'derived/empty.svs': 'empty',
  'derived/header-only.svs': 'truncated',
  'derived/mirax-bad-slidedat.mrxs': 'mirax-damaged',
  'derived/mirax-no-folder.mrxs': 'mirax-no-folder',
  'derived/text-as.ndpi': 'not-a-slide',
  'derived/truncated-CMU-1-Small-Region.svs': 'truncated',
  'derived/truncated-test3-TRITC.ndpi': 'truncated',
  'derived/vms-missing-jpegs.vms': 'vms-missing-images',
  'derived/zeroed-tiles-CMU-1-Small-Region.svs': 'damaged-data',
  'global_dem.tif': 'strip-tiff',
  'grey10kx5k.tif': 'strip-tiff',
  'kidney-48-5.tif': 'strip-tiff',
  'unopenable.tiff': 'unsupported-compression',
  'unreadable.svs': 'damaged-data',
  'unsupported-in-3.4.1/4D-series.ome.tiff': 'ome-tiff',
  'unsupported-in-3.4.1/Image_Mouse13_PB_H7.vsi': 'olympus-vsi',
  'unsupported-in-3.4.1/vsi-ets-test-jpg2k.vsi': 'olympus-vsi',
};
const INTERNAL_PATH = /(^|[^\w])\/(host\d+|slide)\//;

/** The refusal as the app would show it: the file's own bytes, the files beside it as the names given with it. */
async function refusalOf(error: unknown, file: string) {
  const besides = walk(path.dirname(file)).map((f) => path.relative(path.dirname(file), f));
  return explainOpenFailure(error, { path: path.basename(file), blob: await openAsBlob(file) }, besides);
}

/** Native messages name the native path; ours name the path inside the engine's file system. */
const normalise = (m: string | undefined, file: string) => (m ?? '').split(path.dirname(file) + '/').join('').replace(/\/host\d+\//g, '');

let engine: EngineModule;
beforeAll(async () => {
  engine = await loadEngineNode();
});

describe.each(files.map((f) => [path.relative(BAD, f), f] as const))('bad/%s', (_name, file) => {
  it('fails with native OpenSlide’s reason, then the engine opens a good slide', async () => {
    const native = oracleOpen(file);
    const t0 = performance.now();
    let error: EngineError | undefined;
    try {
      const slide = await NodeSlide.open(file, engine);
      try {
        const l = slide.info.levels.length - 1;
        await slide.readRegion(level0(0), level0(0), l, levelPx(Math.min(256, slide.info.levels[l].width)), levelPx(Math.min(256, slide.info.levels[l].height)));
        await slide.readRegion(level0(0), level0(0), 0, levelPx(16), levelPx(16));
      } finally {
        await slide.close();
      }
    } catch (e) {
      error = e as EngineError;
    }
    // how long the refusal took is reported, not asserted (the benchmark owns speed; a busy machine
    // would make a bound flaky); a hang is caught by the test's own timeout
    console.log(`${path.basename(file)}: refused in ${(performance.now() - t0).toFixed(0)} ms`);
    expect(error, 'the engine accepted a file native OpenSlide refuses').toBeInstanceOf(EngineError);
    if (native.ok) {
      // opens natively, reads fail
      expect(native.read?.ok).toBe(false);
      expect(error!.code).toBe('read-failed');
      expect(normalise(error!.message, file)).toBe(normalise(native.read?.error, file));
    } else {
      expect(error!.code).toBe(native.error_type === 'OpenSlideUnsupportedFormatError' ? 'unsupported-format' : 'corrupt-slide');
      expect(normalise(error!.message, file)).toBe(normalise(native.message, file));
    }
    // the likely cause for this kind of file, the user's file named, OpenSlide's words kept
    const refusal = await refusalOf(error, file);
    expect(refusal.kind).toBe(EXPECTED_KIND[path.relative(BAD, file)]);
    expect(refusal.file).toBe(path.basename(file));
    expect(refusal.openslideReason).toBe(error!.message);
    for (const words of [error!.message, refusal.cause, refusal.advice]) expect(words).not.toMatch(INTERNAL_PATH);
    console.log(`  ${refusal.kind}: ${refusal.cause}. ${refusal.advice}.`);
    const good = await NodeSlide.open(GOOD, engine);
    const px = await good.readRegion(level0(1000), level0(1000), 0, levelPx(8), levelPx(8));
    await good.close();
    expect(px.data.length).toBe(256);
  });
});

describe('a DICOM file that is not a slide (tools/samples/make_not_a_slide_dicom.py)', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'slidetile-ct-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('is refused as native OpenSlide refuses it, and called a DICOM file that is not a whole-slide image', async () => {
    const file = path.join(dir, 'ct-slice.dcm');
    execFileSync('/usr/bin/python3', [path.join(REPO, 'tools/samples/make_not_a_slide_dicom.py'), file]);
    const native = oracleOpen(file);
    const error = await NodeSlide.open(file, engine).then(
      (s) => (void s.close(), undefined),
      (e: unknown) => e as EngineError,
    );
    expect(error).toBeInstanceOf(EngineError);
    expect(native.ok).toBe(false);
    expect(error!.message).toBe(native.message);
    const refusal = await refusalOf(error, file);
    expect(refusal.kind).toBe('dicom-not-wsi');
    expect(refusal.cause).toBe('ct-slice.dcm is a DICOM file but not a whole-slide image (it is a CT Image, not VL Whole Slide Microscopy)');
  });
});
