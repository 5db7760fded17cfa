import { describe, expect, it } from 'vitest';
import { loadMppOverride, MAX_REMEMBERED, MPP_KEY, saveMppOverride } from './mppOverrides.ts';

function memory() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), m };
}

describe('µm/px overrides per slide', () => {
  it('remembers, replaces and forgets by slide name', () => {
    const s = memory();
    expect(loadMppOverride(s, 'a.svs')).toBeNull();
    saveMppOverride(s, 'a.svs', 0.25);
    saveMppOverride(s, 'b.svs', 0.5);
    expect(loadMppOverride(s, 'a.svs')).toBe(0.25);
    saveMppOverride(s, 'a.svs', 0.3);
    expect(loadMppOverride(s, 'a.svs')).toBe(0.3);
    saveMppOverride(s, 'a.svs', null);
    expect(loadMppOverride(s, 'a.svs')).toBeNull();
    expect(loadMppOverride(s, 'b.svs')).toBe(0.5);
  });

  it('ignores garbage in storage and invalid values', () => {
    const s = memory();
    s.setItem(MPP_KEY, '{"a.svs": -1, "b.svs": "x", "c.svs": 0.5}');
    expect(loadMppOverride(s, 'a.svs')).toBeNull();
    expect(loadMppOverride(s, 'b.svs')).toBeNull();
    expect(loadMppOverride(s, 'c.svs')).toBe(0.5);
    s.setItem(MPP_KEY, 'not json');
    expect(loadMppOverride(s, 'c.svs')).toBeNull();
    saveMppOverride(s, 'd.svs', Number.NaN);
    expect(loadMppOverride(s, 'd.svs')).toBeNull();
  });

  it('keeps the most recent names only', () => {
    const s = memory();
    for (let i = 0; i <= MAX_REMEMBERED; i++) saveMppOverride(s, `s${i}`, 1);
    expect(loadMppOverride(s, 's0')).toBeNull();
    expect(loadMppOverride(s, `s${MAX_REMEMBERED}`)).toBe(1);
    expect(Object.keys(JSON.parse(s.m.get(MPP_KEY)!))).toHaveLength(MAX_REMEMBERED);
  });
});
