// Re-opening slide.json: the plan made again from a previous export's slide.json equals the original
// in every array (grid, decisions, coverage, tissue, manual choices), and the warnings name what can
// make it differ.
import { describe, expect, it } from 'vitest';
import { parseAnnotations } from '../annotations/index.ts';
import { tissueMaskFromRGBA } from '../filters/tissue.ts';
import { makePlan, type Plan } from '../plan.ts';
import type { SlideInfo } from '../slide.ts';
import { CMU_SMALL, NDPI_TRITC, TCGA_NO_MPP } from '../testing/slides.ts';
import { reopenSlideJson, ReopenError } from './reopen.ts';
import { slideJson } from './slidejson.ts';

const withHash = (info: SlideInfo, hash: string): SlideInfo => ({ ...info, properties: { ...info.properties, 'openslide.quickhash-1': hash } });

function samePlan(a: Plan, b: Plan) {
  expect(b.params).toEqual(a.params);
  expect([b.level, b.downsample, b.extent, b.tile, b.stride]).toEqual([a.level, a.downsample, a.extent, a.tile, a.stride]);
  for (const k of ['accepted', 'reason', 'coverage', 'tissue', 'manual', 'flags'] as const) expect(Array.from(b[k]), k).toEqual(Array.from(a[k]));
  expect(Array.from(b.grid.origins)).toEqual(Array.from(a.grid.origins));
  expect(b.sources).toEqual(a.sources);
}

describe('reopenSlideJson', () => {
  const annotations = parseAnnotations(
    JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[0, 0], [1500, 200], [900, 2500], [0, 0]]] }, properties: { classification: { name: 'Tumor' } } }] }),
    'a.geojson',
  ).shapes;
  // a tissue mask from a synthetic overview: dark tissue in the top-left quarter
  const [w, h] = [111, 148];
  const rgba = new Uint8Array(w * h * 4).fill(255);
  for (let y = 0; y < h / 2; y++) for (let x = 0; x < w / 2; x++) rgba.set([90, 60, 120, 255], (y * w + x) * 4);
  const tissue = tissueMaskFromRGBA(rgba, w, h, 20);

  it('gives the same plan back: parameters, manual choices, typed µm/px, coverage and tissue', () => {
    const info = withHash(CMU_SMALL, 'abc123');
    const manual = new Map<number, boolean>([[0, true], [5, false], [7, true]]);
    const a = makePlan(
      info,
      { resolution: { mode: 'mpp', mpp: 1 }, tile: [300, 200], stride: [250, 180], last: 'keep', stdThreshold: 5, tissueThreshold: 0.2, coverage: { min: 0.1, classes: ['Tumor'] }, limit: 12, format: 'jpeg', naming: 'qupath', background: 240 },
      { annotations, tissue, manual },
    );
    const r = reopenSlideJson(slideJson(a, info, ['CMU-1-Small-Region.svs']), info);
    expect(r.warnings).toEqual([]);
    expect(r.expected).toEqual({ level: a.level, tiles: a.grid.count });
    const b = makePlan(info, r.params, { annotations, tissue, manual: r.manual, mppOverride: r.mppOverride });
    samePlan(a, b);
  });

  it('keeps the µm/px typed for a slide without one', () => {
    const info = withHash(TCGA_NO_MPP, 'h');
    const a = makePlan(info, { resolution: { mode: 'mpp', mpp: 0.5 } }, { mppOverride: { x: 0.25, y: 0.26 } });
    const r = reopenSlideJson(slideJson(a, info, ['t.svs']), info);
    expect(r.mppOverride).toEqual({ x: 0.25, y: 0.26 });
    samePlan(a, makePlan(info, r.params, { mppOverride: r.mppOverride, manual: r.manual }));
  });

  it('warns when the slide is another one, and refuses what is not a slide.json', () => {
    const a = makePlan(withHash(CMU_SMALL, 'aaaa'), {});
    const text = slideJson(a, withHash(CMU_SMALL, 'aaaa'), ['x.svs']);
    expect(reopenSlideJson(text, withHash(CMU_SMALL, 'bbbb')).warnings.join(' ')).toMatch(/not the one the export was made from/);
    expect(reopenSlideJson(text, withHash(NDPI_TRITC, 'aaaa')).warnings.join(' ')).toMatch(/levels differ/);
    expect(reopenSlideJson(text, CMU_SMALL).warnings.join(' ')).toMatch(/cannot be checked/);
    expect(() => reopenSlideJson('{"type":"FeatureCollection"}', CMU_SMALL)).toThrow(ReopenError);
    expect(() => reopenSlideJson('not json', CMU_SMALL)).toThrow(/not a Slidetile slide.json/);
    const bad = JSON.parse(text);
    bad.parameters.tile = [0, 5];
    expect(() => reopenSlideJson(JSON.stringify(bad), CMU_SMALL)).toThrow(/parameters cannot be used/);
  });
});
