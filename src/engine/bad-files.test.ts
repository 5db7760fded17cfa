// Every file in ../shared/slides/bad is refused (or its reads fail) with native OpenSlide's reason,
// quickly, and the same engine instance then serves a good slide normally.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NodeSlide, loadEngineNode } from './node.ts';
import type { EngineModule } from './module.ts';
import { EngineError, level0, levelPx } from './types.ts';
import { oracleOpen } from './testing/oracle.ts';
import { SHARED_SLIDES } from './testing/slides.ts';

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
const files = walk(BAD).filter((f) => !COMPANIONS.test(f));

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
    const good = await NodeSlide.open(GOOD, engine);
    const px = await good.readRegion(level0(1000), level0(1000), 0, levelPx(8), levelPx(8));
    await good.close();
    expect(px.data.length).toBe(256);
  });
});
