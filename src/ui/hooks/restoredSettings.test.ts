import { describe, expect, it } from 'vitest';
import { applyPlanPatch, defaultSettings, migrateSettings, storedSettings } from '../../core/geometryControls.ts';
import { differsFromDefaults, sameJson } from './restoredSettings.ts';

describe('differsFromDefaults: is a word about restored settings due', () => {
  it('the defaults, as saved and read back, are not worth a note', () => {
    expect(differsFromDefaults(defaultSettings)).toBe(false);
    expect(differsFromDefaults(migrateSettings(JSON.parse(JSON.stringify(storedSettings(defaultSettings)))))).toBe(false);
  });
  it('a changed tile size saved last session is', () => {
    const changed = applyPlanPatch(defaultSettings, { tile: [1024, 1024], stride: [1024, 1024] });
    expect(differsFromDefaults(changed)).toBe(true);
    expect(differsFromDefaults(migrateSettings(JSON.parse(JSON.stringify(storedSettings(changed)))))).toBe(true);
  });
  it('storage that does not parse falls back to the defaults: nothing restored', () => {
    expect(differsFromDefaults(migrateSettings({ tile: 'big' }))).toBe(false);
  });
});

describe('sameJson', () => {
  it('ignores key order and undefined members, not values', () => {
    expect(sameJson({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(sameJson({ a: 1, u: undefined }, { a: 1 })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 2 })).toBe(false);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
    expect(sameJson([1], { 0: 1 })).toBe(false);
    expect(sameJson(null, {})).toBe(false);
  });
});
