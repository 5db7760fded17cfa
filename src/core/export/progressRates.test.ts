import { describe, expect, it } from 'vitest';
import { progressRates, type ProgressCounts } from './progressRates.ts';

const p = (o: Partial<ProgressCounts>): ProgressCounts => ({ done: 0, saved: 0, resumed: 0, carriedSaved: 0, candidates: 100, target: 100, elapsedMs: 0, ...o });

describe('export progress rates', () => {
  it('read/s and saved/s count different things', () => {
    const r = progressRates(p({ done: 20, saved: 10, elapsedMs: 2000 }));
    expect(r.readPerSecond).toBe(10);
    expect(r.savedPerSecond).toBe(5);
  });

  it('without a limit, every candidate left is read: the time left is that at the read rate', () => {
    const r = progressRates(p({ done: 20, saved: 10, elapsedMs: 2000 }));
    expect(r.leftToRead).toBe(80);
    expect(r.secondsLeft).toBe(8);
  });

  it('with a limit, the share saved so far says how many more reads the limit needs', () => {
    // half the reads are saved: 54 more saves need ~108 reads, but only 80 candidates are left
    expect(progressRates(p({ done: 20, saved: 10, target: 64, elapsedMs: 2000 })).leftToRead).toBe(80);
    expect(progressRates(p({ done: 20, saved: 10, target: 30, elapsedMs: 2000 })).leftToRead).toBe(40);
    expect(progressRates(p({ done: 20, saved: 30, target: 30, elapsedMs: 2000 })).leftToRead).toBe(0);
  });

  it('nothing saved yet (background first): everything left may need reading, not "one read per save"', () => {
    const r = progressRates(p({ done: 40, saved: 0, target: 10, elapsedMs: 4000 }));
    expect(r.leftToRead).toBe(60);
    expect(r.secondsLeft).toBe(6);
  });

  it('outcomes carried over by a resume count toward neither rate', () => {
    const r = progressRates(p({ done: 60, resumed: 50, saved: 45, carriedSaved: 40, elapsedMs: 1000 }));
    expect(r.readPerSecond).toBe(10);
    expect(r.savedPerSecond).toBe(5);
    expect(r.leftToRead).toBe(40);
    expect(r.secondsLeft).toBe(4);
  });

  it('no estimate before the first read', () => {
    expect(progressRates(p({})).secondsLeft).toBeNull();
    expect(progressRates(p({ done: 30, resumed: 30, saved: 30, carriedSaved: 30, elapsedMs: 500 })).secondsLeft).toBeNull();
  });
});
