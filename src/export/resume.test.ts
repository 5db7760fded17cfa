import { describe, expect, it } from 'vitest';
import { makePlan, setManual } from '../core/index.ts';
import { CMU_SMALL } from '../core/testing/slides.ts';
import type { TileOutcome } from './extract.ts';
import { carriedOutcomes, exportIdentity, exportManifest, journalHeader, journalLine, manifestIdentity, parseJournal } from './resume.ts';

const o = (index: number, status: TileOutcome['status'], std: number | null, error: string | null = null): TileOutcome => ({
  index,
  status,
  std,
  path: status === 'saved' ? `tiles/tile_${index}.png` : null,
  width: 512,
  height: 512,
  error,
});

describe('resume journal', () => {
  it('round-trips every outcome exactly, std to the last bit, quoted errors', () => {
    const outs = [o(0, 'saved', 48.01234567890123), o(1, 'std', 1.5), o(2, 'failed', null, 'read-failed: Not a JPEG file, "0x00"'), o(7, 'saved', 20)];
    const text = journalHeader() + outs.map((x, k) => journalLine(x, k === 1 || k === 2 ? 0 : 1000 + k)).join('');
    const back = parseJournal(text);
    expect(back.map((e) => [e.index, e.status, e.std, e.error])).toEqual(outs.map((x) => [x.index, x.status, x.std, x.error]));
    expect(back.map((e) => e.bytes)).toEqual([1000, 0, 0, 1003]);
  });

  it('drops a last line cut short by the interruption', () => {
    const text = journalHeader() + journalLine(o(0, 'saved', 30), 10) + '1,sav';
    expect(parseJournal(text).map((e) => e.index)).toEqual([0]);
  });

  it('carries over saved tiles whose file is there with its size; re-does missing, resized and failed ones', async () => {
    const entries = parseJournal(journalHeader() + [journalLine(o(0, 'saved', 30), 10), journalLine(o(1, 'saved', 31), 11), journalLine(o(2, 'saved', 32), 12), journalLine(o(3, 'std', 2), 0), journalLine(o(4, 'failed', null, 'x'), 0)].join(''));
    const files = new Map([
      ['tiles/0', 10],
      ['tiles/2', 99],
    ]);
    const { known, missing } = await carriedOutcomes(entries, (i) => `tiles/${i}`, async (p) => files.get(p) ?? null);
    expect([...known.keys()]).toEqual([0, 3]);
    expect(missing).toBe(2);
    expect(known.get(3)).toEqual({ status: 'std', std: 2, error: null });
  });

  it('the identity changes with the plan, the manual choices and the slide, not with facts', () => {
    const a = makePlan(CMU_SMALL, { tile: [256, 256], stride: [256, 256] });
    const b = makePlan(CMU_SMALL, { tile: [256, 256], stride: [128, 128] });
    const id = exportIdentity(a, CMU_SMALL, 'CMU.svs');
    expect(manifestIdentity(exportManifest(a, CMU_SMALL, 'CMU.svs'))).toBe(id);
    expect(exportIdentity(b, CMU_SMALL, 'CMU.svs')).not.toBe(id);
    expect(exportIdentity(a, CMU_SMALL, 'other.svs')).not.toBe(id);
    const c = makePlan(CMU_SMALL, { tile: [256, 256], stride: [256, 256] });
    c.std[0] = 5;
    expect(exportIdentity(c, CMU_SMALL, 'CMU.svs')).toBe(id);
    setManual(c, 3, false);
    expect(exportIdentity(c, CMU_SMALL, 'CMU.svs')).not.toBe(id);
    expect(manifestIdentity('not json')).toBeNull();
  });
});
