import { describe, expect, it } from 'vitest';
import { defaultPlanParams, parsePlanParams, ParamsError, planParamsSchema } from './params.ts';

describe('plan parameters', () => {
  it('defaults are the seed’s settings', () => {
    expect(defaultPlanParams).toEqual({
      resolution: { mode: 'mpp', mpp: 0.5 },
      tile: [512, 512],
      stride: [512, 512],
      last: 'shift',
      stdThreshold: 8,
      tissueThreshold: null,
      coverage: null,
      limit: 64,
      format: 'png',
      jpegQuality: 90,
      naming: 'index',
      background: 255,
    });
  });

  it('fills missing fields of persisted settings with defaults', () => {
    const p = parsePlanParams({ resolution: { mode: 'level', level: 2 }, tile: [256, 256] });
    expect(p.resolution).toEqual({ mode: 'level', level: 2 });
    expect(p.tile).toEqual([256, 256]);
    expect(p.stride).toEqual([512, 512]);
  });

  it('round-trips through JSON', () => {
    const p = parsePlanParams({ coverage: { min: 0.5, classes: ['Tumor'] }, limit: null, tissueThreshold: 0.3 });
    expect(parsePlanParams(JSON.parse(JSON.stringify(p)))).toEqual(p);
  });

  it.each([
    [{ last: 'pad' }, /last/],
    [{ tile: [0, 512] }, /tile\.0/],
    [{ tile: [512.5, 512] }, /tile\.0/],
    [{ stride: [512] }, /stride/],
    [{ resolution: { mode: 'mpp', mpp: -1 } }, /resolution\.mpp/],
    [{ resolution: { mode: 'zoom', zoom: 20 } }, /resolution/],
    [{ coverage: { min: 1.5, classes: [] } }, /coverage\.min/],
    [{ background: 300 }, /background/],
    [{ format: 'tiff' }, /format/],
  ])('rejects %j naming the field', (input, re) => {
    expect(() => parsePlanParams(input)).toThrow(ParamsError);
    expect(() => parsePlanParams(input)).toThrow(re);
  });

  it('the schema is exported for the app', () => {
    expect(planParamsSchema.safeParse({ limit: 0 }).success).toBe(false);
  });
});
