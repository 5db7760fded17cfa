import { describe, expect, it } from 'vitest';
import { makePlan } from '../plan.ts';
import { CMU_SMALL } from '../testing/slides.ts';
import { CSV_ROW_BYTES, TABLES_BYTES, TileSizeLog, ZIP_ENTRY_BYTES, estimateExportSize, spreadSample, tileSizeFamily } from './sizeEstimate.ts';

describe('export size estimate', () => {
  it('pools tile sizes per family; the same tile measured again replaces itself', () => {
    const png = tileSizeFamily(makePlan(CMU_SMALL, {}));
    const jpeg = tileSizeFamily(makePlan(CMU_SMALL, { format: 'jpeg', jpegQuality: 80 }));
    expect(png).not.toBe(jpeg);
    expect(tileSizeFamily(makePlan(CMU_SMALL, { limit: 3, stdThreshold: 2 }))).toBe(png);
    const log = new TileSizeLog();
    log.record(png, 0, 0, 100);
    log.record(png, 512, 0, 300);
    log.record(png, 512, 0, 500);
    log.record(jpeg, 0, 0, 10);
    expect(log.mean(png)).toEqual({ bytes: 300, n: 2 });
    expect(log.mean(jpeg)).toEqual({ bytes: 10, n: 1 });
    expect(log.mean('other')).toBeNull();
  });

  it('adds tiles × measured mean, their zip entries, plan.png and the tables', () => {
    const e = estimateExportSize({ tiles: 24, planned: 30, tileW: 512, tileH: 512, format: 'png', jpegQuality: 90, measured: { bytes: 400_000, n: 8 }, tilePath: 'tiles/tile_00012.png', planPng: 500_000 });
    expect(e.tiles).toBe(24 * (400_000 + ZIP_ENTRY_BYTES + 40));
    expect(e.tables).toBe(30 * CSV_ROW_BYTES + TABLES_BYTES);
    expect(e.total).toBe(e.tiles + 500_000 + e.tables);
    expect(e.measured).toBe(8);
  });

  it('falls back to typical bytes per pixel before anything is measured', () => {
    const e = estimateExportSize({ tiles: 10, planned: 10, tileW: 100, tileH: 100, format: 'png', jpegQuality: 90, measured: null, tilePath: 'tiles/t.png', planPng: null });
    expect(e.perTile).toBe(20_000);
    expect(e.measured).toBe(0);
  });

  it('samples evenly within the tiles the export will read first', () => {
    expect(spreadSample([5, 6, 7], 10, 8)).toEqual([5, 6, 7]);
    const list = Array.from({ length: 100 }, (_, i) => i * 2);
    const s = spreadSample(list, 40, 4);
    expect(s).toEqual([10, 30, 50, 70]);
    expect(Math.max(...s)).toBeLessThan(80);
  });
});
