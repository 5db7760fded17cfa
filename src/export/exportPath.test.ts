import { describe, expect, it } from 'vitest';
import { chooseExportPath, estimateExportBytes, STREAM_THRESHOLD_BYTES } from './exportPath.ts';

describe('export path', () => {
  const big = estimateExportBytes(10_000, 512, 512, 'png', 90);
  it('estimates PNG tiles at about 2 bytes per pixel', () => {
    expect(big).toBeGreaterThan(STREAM_THRESHOLD_BYTES);
    expect(estimateExportBytes(64, 512, 512, 'png', 90)).toBeLessThan(STREAM_THRESHOLD_BYTES);
    expect(estimateExportBytes(100, 512, 512, 'jpeg', 90)).toBeLessThan(estimateExportBytes(100, 512, 512, 'png', 90));
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
