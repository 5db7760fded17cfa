import { describe, expect, it } from 'vitest';
import { estimateExportSize } from '../core/export/sizeEstimate.ts';
import { chooseExportPath, describeEstimate, STREAM_THRESHOLD_BYTES } from './exportPath.ts';

describe('export path', () => {
  const big = estimateExportSize({ tiles: 10_000, planned: 10_000, tileW: 512, tileH: 512, format: 'png', jpegQuality: 90, measured: null, tilePath: 'tiles/tile_00001.png', planPng: null }).total;
  it('a big PNG export is over the in-memory threshold before anything is measured', () => {
    expect(big).toBeGreaterThan(STREAM_THRESHOLD_BYTES);
  });

  it('streams every zip to a download when a service worker controls the page, small or big', () => {
    for (const est of [1e6, big]) {
      const c = chooseExportPath({ estimateBytes: est, toFolder: false, canFolder: true, canStream: true });
      expect(c.path).toBe('zip-stream');
      expect(c.why).toMatch(/streamed entry by entry to a normal download/);
      expect(c.why).toMatch(/memory stays small/);
    }
  });

  it('a folder when asked and possible', () => {
    expect(chooseExportPath({ estimateBytes: big, toFolder: true, canFolder: true, canStream: true }).path).toBe('folder');
    expect(chooseExportPath({ estimateBytes: big, toFolder: true, canFolder: false, canStream: true }).path).toBe('zip-stream');
  });

  it('falls back to a zip in memory, saying why, and warns when it is big', () => {
    const small = chooseExportPath({ estimateBytes: 1e6, toFolder: false, canFolder: false, canStream: false, streamWhyNot: 'no service worker here' });
    expect(small.path).toBe('zip');
    expect(small.why).toMatch(/cannot be streamed \(no service worker here\).*in memory/);
    const nope = chooseExportPath({ estimateBytes: big, toFolder: true, canFolder: false, canStream: false });
    expect(nope.path).toBe('zip');
    expect(nope.why).toMatch(/may run out/);
    expect(chooseExportPath({ estimateBytes: 2000, toFolder: false, canFolder: false, canStream: false, threshold: 1000 }).why).toMatch(/may run out/);
  });
});

describe('the estimate in words', () => {
  it('says what was measured and what each part weighs', () => {
    const e = estimateExportSize({ tiles: 24, planned: 30, tileW: 512, tileH: 512, format: 'png', jpegQuality: 90, measured: { bytes: 400 * 1024, n: 8 }, tilePath: 'tiles/tile_00012.png', planPng: 600 * 1024 });
    expect(describeEstimate(e, { tiles: 24, format: 'png', upperBound: false, planPngMeasured: true })).toBe(
      'about 10.0 MB: 24 tiles × 400 KB (mean of 8 PNG tiles of this plan, encoded to measure), plan.png 600 KB, tables 7 KB',
    );
    const guess = estimateExportSize({ tiles: 64, planned: 100, tileW: 256, tileH: 256, format: 'jpeg', jpegQuality: 90, measured: null, tilePath: 'tiles/tile_00012.jpg', planPng: null });
    expect(describeEstimate(guess, { tiles: 64, format: 'jpeg', upperBound: true, planPngMeasured: false })).toMatch(/^at most about .* \(typical H&E JPEG until tiles of this plan are measured\), plan\.png ~400 KB/);
  });
});
