import { describe, expect, it } from 'vitest';
import { gridCount } from './grid.ts';
import { closestLevel } from './levels.ts';
import { defaultPlanParams, type PlanParams } from './params.ts';
import type { SlideInfo } from './slide.ts';
import {
  applyOverlap,
  applyPlanPatch,
  defaultSettings,
  gapCounts,
  isMagnification,
  magnificationBase,
  magnificationChoices,
  magnificationForMpp,
  migrateSettings,
  mppForMagnification,
  overlapPercent,
  setStrideTied,
  storedSettings,
  strideGaps,
  tiedOverlap,
  tiedStrideForTile,
  TILE_PRESETS,
  type Settings,
} from './geometryControls.ts';

const CMU: [number, number] = [2220, 2967];
const tied = (params: Partial<PlanParams> = {}): Settings => ({ params: { ...defaultPlanParams, ...params }, controls: { strideTied: true } });
const untied = (params: Partial<PlanParams> = {}): Settings => ({ params: { ...defaultPlanParams, ...params }, controls: { strideTied: false } });

describe('stride tied to the tile', () => {
  it('the reported bug: 512 → 256 moves the stride with the tile, a gap-free grid', () => {
    const s = applyPlanPatch(defaultSettings, { tile: [256, 256] });
    expect(s.params.stride).toEqual([256, 256]);
    expect(s.controls.strideTied).toBe(true);
    expect(gridCount(CMU, s.params.tile, s.params.stride, 'shift')).toBe(gridCount(CMU, [256, 256], [256, 256], 'shift'));
    // what the old form planned, for the record: far fewer tiles, with gaps
    expect(gridCount(CMU, [256, 256], [512, 512], 'shift')).toBeLessThan(gridCount(CMU, [256, 256], [256, 256], 'shift'));
  });

  it('keeps the overlap in px when the tile changes (QuPath TileExporter’s habit), one axis at a time too', () => {
    let s = applyOverlap(defaultSettings, 64);
    expect(s.params.stride).toEqual([448, 448]);
    s = applyPlanPatch(s, { tile: [1024, 1024] });
    expect(s.params.stride).toEqual([960, 960]);
    s = applyPlanPatch(s, { tile: [300, 1024] });
    expect(s.params.stride).toEqual([236, 960]);
    expect(tiedOverlap(s.params.tile, s.params.stride)).toBe(64);
  });

  it('keeps the overlap’s share when the new tile is too small for its px', () => {
    expect(tiedStrideForTile([1024, 1024], 300, [224, 224])).toEqual([224 - 66, 224 - 66]);
    // and never a stride below 1 px
    expect(tiedStrideForTile([2, 2], 1, [1, 1])).toEqual([1, 1]);
  });

  it('untied, the tile changes alone and the stride stays as typed', () => {
    const s = applyPlanPatch(untied(), { tile: [256, 256] });
    expect(s.params.stride).toEqual([512, 512]);
    expect(strideGaps(s.params.tile, s.params.stride)).toEqual({ x: 256, y: 256 });
  });

  it('a typed stride that is tile − one overlap stays tied; any other unties', () => {
    let s = applyPlanPatch(defaultSettings, { stride: [448, 448] });
    expect(s.controls.strideTied).toBe(true);
    s = applyPlanPatch(s, { stride: [250, 448] });
    expect(s.controls.strideTied).toBe(false);
    expect(s.params.stride).toEqual([250, 448]);
    // a plan restored from slide.json (tile and stride at once) is kept exactly
    s = applyPlanPatch(defaultSettings, { tile: [300, 200], stride: [250, 180] });
    expect(s.params).toMatchObject({ tile: [300, 200], stride: [250, 180] });
    expect(s.controls.strideTied).toBe(false);
    s = applyPlanPatch(defaultSettings, { tile: [256, 256], stride: [512, 512] });
    expect(s.params.stride).toEqual([512, 512]);
    expect(s.controls.strideTied).toBe(false);
  });

  it('an invalid patch changes nothing', () => {
    expect(applyPlanPatch(defaultSettings, { tile: [0, 512] })).toBe(defaultSettings);
    expect(applyOverlap(defaultSettings, 512)).toBe(defaultSettings);
    expect(applyOverlap(defaultSettings, -1)).toBe(defaultSettings);
    expect(applyOverlap(defaultSettings, 1.5)).toBe(defaultSettings);
  });

  it('tying again keeps a valid overlap, the smaller one for unequal overlaps, none over gaps', () => {
    expect(setStrideTied(untied({ stride: [448, 448] }), true).params.stride).toEqual([448, 448]);
    expect(setStrideTied(untied({ tile: [300, 200], stride: [250, 180] }), true).params.stride).toEqual([280, 180]);
    const fixed = setStrideTied(untied({ tile: [256, 256], stride: [512, 512] }), true);
    expect(fixed.params.stride).toEqual([256, 256]);
    expect(fixed.controls.strideTied).toBe(true);
    const on = tied();
    const off = setStrideTied(on, false);
    expect(off.controls.strideTied).toBe(false);
    // untying re-plans nothing: the very same parameters
    expect(off.params).toBe(on.params);
  });

  it('overlap % is of the tile (its shorter side)', () => {
    expect(overlapPercent([512, 512], 64)).toBe(12.5);
    expect(overlapPercent([512, 256], 64)).toBe(25);
  });

  it('gaps are counted against the gap-free grid of the same tile', () => {
    expect(strideGaps([512, 512], [512, 448])).toBeNull();
    expect(strideGaps([256, 256], [512, 256])).toEqual({ x: 256, y: 0 });
    expect(gapCounts(CMU, [256, 256], [512, 512], 'shift')).toEqual({
      planned: gridCount(CMU, [256, 256], [512, 512], 'shift'),
      gapFree: gridCount(CMU, [256, 256], [256, 256], 'shift'),
    });
  });

  it('presets are the usual network input sizes', () => {
    expect([...TILE_PRESETS]).toEqual([224, 256, 299, 512, 1024]);
    const s = applyPlanPatch(applyOverlap(defaultSettings, 32), { tile: [299, 299] });
    expect(s.params.stride).toEqual([267, 267]);
  });
});

describe('persisted settings', () => {
  it('round-trip through JSON', () => {
    const s = applyPlanPatch(applyOverlap(defaultSettings, 16), { tile: [224, 224] });
    expect(migrateSettings(JSON.parse(JSON.stringify(storedSettings(s))))).toEqual(s);
    const u = setStrideTied(s, false);
    expect(migrateSettings(JSON.parse(JSON.stringify(storedSettings(u))))).toEqual(u);
  });

  it('an old state (parameters only, no controls) loads without loss', () => {
    const old = { ...defaultPlanParams, tile: [256, 256], stride: [224, 224], limit: null, stdThreshold: 5 };
    const s = migrateSettings(JSON.parse(JSON.stringify(old)));
    expect(s.params).toEqual(old);
    expect(s.controls.strideTied).toBe(true);
    expect(tiedOverlap(s.params.tile, s.params.stride)).toBe(32);
  });

  it('an old state with gaps keeps them, untied, so the form can warn instead of changing it silently', () => {
    const old = { ...defaultPlanParams, tile: [256, 256], stride: [512, 512] };
    const s = migrateSettings(JSON.parse(JSON.stringify(old)));
    expect(s.params.stride).toEqual([512, 512]);
    expect(s.controls.strideTied).toBe(false);
  });

  it('a stored "tied" the parameters contradict is not believed; garbage falls back to the defaults', () => {
    expect(migrateSettings({ tile: [256, 256], stride: [300, 256], controls: { strideTied: true } }).controls.strideTied).toBe(false);
    expect(migrateSettings({ controls: { strideTied: 'yes' } })).toEqual(defaultSettings);
    expect(migrateSettings(null)).toEqual(defaultSettings);
    expect(migrateSettings({ tile: 'big' })).toBe(defaultSettings);
    // the stored form is still plain parameters to an older build
    expect(storedSettings(defaultSettings)).toMatchObject(defaultPlanParams);
  });
});

describe('resolution by magnification', () => {
  const slide = (props: Record<string, string>): SlideInfo => ({
    vendor: 'aperio',
    levels: [
      { width: 40000, height: 30000, downsample: 1 },
      { width: 10000, height: 7500, downsample: 4 },
      { width: 2500, height: 1875, downsample: 16 },
    ],
    properties: props,
    associated: [],
  });
  // CMU-1-Small-Region.svs's own values
  const cmu = slide({ 'openslide.objective-power': '20', 'openslide.mpp-x': '0.499', 'openslide.mpp-y': '0.499' });

  it('mpp = mpp0 × objective / magnification', () => {
    const b = magnificationBase(cmu)!;
    expect(b).toEqual({ objective: 20, mpp: 0.499 });
    expect(mppForMagnification(b, 20)).toBe(0.499);
    expect(mppForMagnification(b, 10)).toBe(0.998);
    expect(mppForMagnification(b, 5)).toBe(1.996);
    expect(magnificationForMpp(b, 0.998)).toBeCloseTo(10, 12);
    expect(isMagnification(b, 0.5, 20)).toBe(false);
    expect(isMagnification(b, 0.499, 20)).toBe(true);
  });

  it('a 40× scan: 20× picks the level with downsample 2-ish as closest_level does for that µm/px', () => {
    const b = magnificationBase(slide({ 'openslide.objective-power': '40', 'openslide.mpp-x': '0.2527', 'openslide.mpp-y': '0.2527' }))!;
    expect(mppForMagnification(b, 40)).toBe(0.2527);
    expect(mppForMagnification(b, 10)).toBe(1.0108);
    const info = slide({ 'openslide.objective-power': '40', 'openslide.mpp-x': '0.2527', 'openslide.mpp-y': '0.2527' });
    expect(closestLevel(mppForMagnification(b, 10), info)).toBe(1);
    expect(magnificationChoices(b)).toEqual([5, 10, 20, 40]);
  });

  it('only up to the objective power, and the objective itself when it is not a preset', () => {
    expect(magnificationChoices(magnificationBase(cmu)!)).toEqual([5, 10, 20]);
    expect(magnificationChoices({ objective: 63, mpp: 0.1 })).toEqual([5, 10, 20, 40, 63]);
  });

  it('is not offered without an objective power or a usable µm/px; a typed µm/px counts', () => {
    expect(magnificationBase(slide({ 'openslide.mpp-x': '0.5', 'openslide.mpp-y': '0.5' }))).toBeNull();
    expect(magnificationBase(slide({ 'openslide.objective-power': '20' }))).toBeNull();
    expect(magnificationBase(slide({ 'openslide.objective-power': 'x', 'openslide.mpp-x': '0.5', 'openslide.mpp-y': '0.5' }))).toBeNull();
    // a 72-dpi TIFF default is no scan resolution
    expect(magnificationBase(slide({ 'openslide.objective-power': '20', 'openslide.mpp-x': '352.8', 'openslide.mpp-y': '352.8' }))).toBeNull();
    expect(magnificationBase(slide({ 'openslide.objective-power': '20' }), 0.5)).toEqual({ objective: 20, mpp: 0.5 });
    expect(magnificationBase(slide({ 'openslide.objective-power': '20' }), -1)).toBeNull();
  });

  it('x and y µm/px are averaged, as closest_level averages them', () => {
    expect(magnificationBase(slide({ 'openslide.objective-power': '20', 'openslide.mpp-x': '0.5', 'openslide.mpp-y': '0.52' }))!.mpp).toBeCloseTo(0.51, 15);
  });
});
