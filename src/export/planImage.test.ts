import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { makePlan } from '../core/index.ts';
import { CMU_SMALL } from '../core/testing/slides.ts';
import { styleFor } from '../core/decisionStyles.ts';
import {
  BOX,
  BOX_STYLES,
  CROP_CELL,
  CropPicker,
  MARGIN,
  MAX_CROPS,
  OVERVIEW_MAX,
  TITLE_H,
  boxRect,
  encodeIndexedPng,
  pixelOf,
  planLayout,
  planLegend,
  renderPlanFigure,
  textWidth,
  wrapLegend,
  savedThickness,
  type FigureSpec,
  type RGB,
} from './planImage.ts';

/** A slide-like picture: a pink-purple gradient (tissue) on a transparent background. */
function picture(w: number, h: number) {
  const data = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const p = (y * w + x) * 4;
      const tissue = (x - w / 2) ** 2 + (y - h / 2) ** 2 < (Math.min(w, h) / 3) ** 2;
      data.set([200 - (x % 50), 120 + (y % 60), 190, tissue ? 255 : 0], p);
    }
  return { width: w, height: h, data };
}

/** A 4 × 3 grid of 50-px tiles at downsample 2 (100 level-0 px) covering a 400 × 300 slide, one decision per kind. */
function spec(): FigureSpec {
  const origins = new Int32Array(24);
  for (let i = 0; i < 12; i++) {
    origins[2 * i] = (i % 4) * 50;
    origins[2 * i + 1] = Math.floor(i / 4) * 50;
  }
  const kind = new Uint8Array([BOX.saved, BOX.std, BOX.saved, BOX.coverage, BOX.tissue, BOX.saved, BOX.manual, BOX.readFailed, BOX.limit, BOX.limit, BOX.none, BOX.saved]);
  return {
    title: 'test.svs — tile plan',
    slideSize: [400, 300],
    overview: { image: picture(100, 75), downsample: 4 },
    tiles: { origins, tileW: 50, tileH: 50, downsample: 2, kind },
    rings: [{ points: [10, 10, 390, 10, 390, 290, 10, 290], rgb: [46, 160, 67] }],
    legend: [{ text: 'level 0 · 0.5 µm/px' }, { text: 'saved (4)', swatch: BOX.saved }, { text: 'Tumor', swatch: [46, 160, 67] }],
    crops: [
      { index: 0, image: picture(50, 50) },
      { index: 5, image: null },
    ],
  };
}

const same = (a: RGB, b: RGB) => a[0] === b[0] && a[1] === b[1] && a[2] === b[2];

describe('plan.png layout', () => {
  it('scales the slide so its longest side is OVERVIEW_MAX, beside a panel of up to 12 crops', () => {
    const L = planLayout(2220, 2967, 24, 10);
    expect(L.overview).toMatchObject({ x: MARGIN, y: MARGIN + TITLE_H, w: Math.round((2220 * OVERVIEW_MAX) / 2967), h: OVERVIEW_MAX });
    expect(L.crops).toHaveLength(MAX_CROPS);
    // the figure is about 2,000 px on its long side, never a full-resolution copy
    expect(Math.max(L.width, L.height)).toBeLessThanOrEqual(2100);
    for (const c of L.crops) {
      expect(c.x).toBeGreaterThan(L.overview.x + L.overview.w);
      expect(c.y + c.h).toBeLessThan(L.height);
      expect(c.y).toBeGreaterThanOrEqual(L.legend.y + L.legend.h);
    }
    // crops do not overlap each other
    expect(L.crops[1].x - L.crops[0].x).toBeGreaterThanOrEqual(CROP_CELL);
    expect(L.crops[3].y - L.crops[0].y).toBeGreaterThanOrEqual(CROP_CELL);
    const wide = planLayout(40000, 10000, 0, 6);
    expect(wide.overview.w).toBe(OVERVIEW_MAX);
    expect(wide.overview.h).toBe(350);
    expect(wide.crops).toHaveLength(0);
    expect(wide.width).toBeLessThanOrEqual(2100);
  });

  it('puts a level-0 rectangle where its scaled corners fall, whatever the legend or crops', () => {
    const a = planLayout(2220, 2967, 0, 3);
    const b = planLayout(2220, 2967, 12, 14);
    const s = OVERVIEW_MAX / 2967;
    expect(boxRect(a, 512, 1024, 512, 512)).toEqual({ x0: MARGIN + Math.floor(512 * s), y0: MARGIN + TITLE_H + Math.floor(1024 * s), x1: MARGIN + Math.ceil(1024 * s) - 1, y1: MARGIN + TITLE_H + Math.ceil(1536 * s) - 1 });
    expect(boxRect(b, 512, 1024, 512, 512)).toEqual(boxRect(a, 512, 1024, 512, 512));
  });

  it('spreads the crops over the whole run with bounded memory', () => {
    const p = new CropPicker<number>();
    for (let i = 0; i < 10_000; i++) p.offer(i * 3, i);
    const got = p.pick();
    expect(got).toHaveLength(MAX_CROPS);
    expect(got[0].index).toBe(0);
    expect(got[got.length - 1].item).toBeGreaterThan(8000);
    // in grid order, strictly increasing
    for (let k = 1; k < got.length; k++) expect(got[k].index).toBeGreaterThan(got[k - 1].index);
    const few = new CropPicker<number>();
    for (let i = 0; i < 5; i++) few.offer(i, i);
    expect(few.pick().map((c) => c.index)).toEqual([0, 1, 2, 3, 4]);
  });

  it('keeps the viewer’s colours for every decision', () => {
    const parse = (s: string) => {
      const hex = /^#([0-9a-f]{6})$/i.exec(s);
      if (hex) return [0, 2, 4].map((k) => parseInt(hex[1].slice(k, k + 2), 16));
      const m = /rgba?\((\d+),\s*(\d+),\s*(\d+)(?:,\s*([\d.]+))?\)/.exec(s)!;
      return [Number(m[1]), Number(m[2]), Number(m[3])];
    };
    expect(BOX_STYLES[BOX.saved].rgb).toEqual(parse(styleFor('accepted').stroke));
    expect(BOX_STYLES[BOX.std].rgb).toEqual(parse(styleFor('std').stroke));
    expect(BOX_STYLES[BOX.tissue].rgb).toEqual(parse(styleFor('tissue').stroke));
    expect(BOX_STYLES[BOX.coverage].rgb).toEqual(parse(styleFor('coverage').stroke));
    expect(BOX_STYLES[BOX.manual].rgb).toEqual(parse(styleFor('manual').stroke));
    expect(BOX_STYLES[BOX.readFailed].rgb).toEqual(parse(styleFor('read-failed').stroke));
  });
});

describe('plan.png picture', () => {
  const sp = spec();
  const fig = renderPlanFigure(sp);
  const L = planLayout(400, 300, sp.crops.length, wrapLegend(sp.legend).length);
  const rectOf = (i: number) => boxRect(L, sp.tiles.origins[2 * i] * 2, sp.tiles.origins[2 * i + 1] * 2, 100, 100);

  it('has the layout’s size and at most 256 colours', () => {
    expect([fig.width, fig.height]).toEqual([L.width, L.height]);
    expect(fig.palette.length / 3).toBeLessThanOrEqual(256);
  });

  it('outlines saved tiles in blue and rejected ones in their reason’s colour, exactly', () => {
    const blue = BOX_STYLES[BOX.saved].rgb;
    const t = savedThickness(100 * L.overview.scale);
    for (const i of [0, 2, 5, 11]) {
      const r = rectOf(i);
      const my = (r.y0 + r.y1) >> 1;
      const mx = (r.x0 + r.x1) >> 1;
      for (const [x, y] of [
        [r.x0, my],
        [r.x1, my],
        [mx, r.y1],
        [r.x0 + t - 1, my],
      ])
        expect(pixelOf(fig, x, y), `tile ${i} at ${x},${y}`).toEqual(blue);
      // inside the box, past the outline: the slide, not the box colour
      expect(same(pixelOf(fig, r.x0 + t + 2, my), blue)).toBe(false);
    }
    // a solid reason (manual) is its colour along the whole edge; the std box (tile 1) shares its
    // left and right edges with saved neighbours, so its bottom edge shows its own colour
    const m = rectOf(6);
    expect(pixelOf(fig, m.x0, (m.y0 + m.y1) >> 1)).toEqual(BOX_STYLES[BOX.manual].rgb);
    const sd = rectOf(1);
    expect(pixelOf(fig, sd.x0 + 1, sd.y1)).toEqual(BOX_STYLES[BOX.std].rgb);
    // a tile with no decision drawn (BOX.none) has no outline of its own
    const none = rectOf(10);
    expect(pixelOf(fig, (none.x0 + none.x1) >> 1, none.y1)).not.toEqual(BOX_STYLES[BOX.limit].rgb);
  });

  it('draws the annotation outline in its class colour and the crops with their borders', () => {
    const ring = boxRect(L, 10, 150, 1, 1);
    expect(pixelOf(fig, ring.x0, ring.y0)).toEqual([46, 160, 67]);
    const c = L.crops[0];
    expect(pixelOf(fig, c.x, c.y + 20)).toEqual(BOX_STYLES[BOX.saved].rgb);
    // a crop's picture: the tile's pixels, not the panel's background
    const inside = pixelOf(fig, c.x + 88, c.y + 88);
    expect(inside[2]).toBeGreaterThan(150);
    expect(inside[1]).toBeLessThan(200);
  });

  it('encodes as an indexed PNG that decodes to the same pixels, with no alpha', async () => {
    const png = await encodeIndexedPng(fig, { Software: 'Slidetile' });
    expect(png[25]).toBe(3); // IHDR colour type: palette
    const back = PNG.sync.read(Buffer.from(png));
    expect([back.width, back.height]).toEqual([fig.width, fig.height]);
    for (const [x, y] of [
      [0, 0],
      [rectOf(0).x0, rectOf(0).y0],
      [L.crops[0].x + 10, L.crops[0].y + 10],
      [fig.width - 1, fig.height - 1],
    ]) {
      const p = (y * back.width + x) * 4;
      expect([back.data[p], back.data[p + 1], back.data[p + 2], back.data[p + 3]]).toEqual([...pixelOf(fig, x, y), 255]);
    }
  });

  it('still makes a figure with no overview: a grey backdrop, the boxes and the legend', () => {
    const g = renderPlanFigure({ ...spec(), overview: null, crops: [{ index: 5, image: null }] });
    const r = boxRect(planLayout(400, 300, 1, 3), 100, 100, 100, 100);
    expect(pixelOf(g, r.x0 + 20, r.y0 + 20)).toEqual([228, 231, 235]);
    expect(pixelOf(g, r.x0, (r.y0 + r.y1) >> 1)).toEqual(BOX_STYLES[BOX.saved].rgb);
  });
});

describe('plan.png legend', () => {
  it('lists the parameters, the counts and one swatch per decision present', () => {
    const plan = makePlan(CMU_SMALL, { tissueThreshold: 0.5, coverage: { min: 0.25, classes: ['Tumor'] } });
    const kind = new Uint8Array(plan.grid.count).fill(BOX.std);
    kind.fill(BOX.saved, 0, 20);
    kind[25] = BOX.coverage;
    const lines = planLegend({ plan, kind, saved: 20, cancelled: false, classes: [{ name: 'Tumor', rgb: [46, 160, 67] }], boxPx: 200 });
    expect(lines.map((l) => l.text)).toEqual([
      'level 0 · downsample 1 · 0.499 µm/px (0.5 µm/px asked)',
      'tile 512×512 px · stride 512×512 px · last = shift',
      'filters: std > 8 · tissue ≥ 50 % · annotation ≥ 25 % of Tumor',
      'limit 64 · PNG',
      '30 planned · 20 saved',
      'saved (20)',
      'low std (9)',
      'outside annotation (1)',
      'annotation: Tumor',
    ]);
    expect(lines[5].swatch).toBe(BOX.saved);
    expect(lines[8].swatch).toEqual([46, 160, 67]);
  });

  it('says when the slide has no usable µm/px, and when boxes are too small to outline', () => {
    const plan = makePlan({ ...CMU_SMALL, properties: {} }, { resolution: { mode: 'level', level: 0 }, stdThreshold: null, limit: null, format: 'jpeg' });
    const lines = planLegend({ plan, kind: new Uint8Array(plan.grid.count), saved: 30, cancelled: true, classes: [], boxPx: 3, noPicture: 'no overview' }).map((l) => l.text);
    expect(lines[0]).toBe('level 0 · downsample 1 · µm/px unknown (the slide records no usable µm/px: level chosen)');
    expect(lines).toContain('filters: none');
    expect(lines).toContain('no limit · JPEG quality 90');
    expect(lines).toContain('30 planned · 30 saved · export cancelled');
    expect(lines).toContain('rejected tiles are not outlined: 3.0 px at this scale');
    expect(lines).toContain('no slide picture: no overview');
  });

  it('wraps long lines at spaces to the panel, indenting what continues', () => {
    const long = 'annotation ≥ 25 % of ' + Array.from({ length: 30 }, (_, i) => `Class${i}`).join(', ');
    const w = wrapLegend([{ text: long, swatch: BOX.coverage }]);
    expect(w.length).toBeGreaterThan(1);
    expect(w[0].swatch).toBe(BOX.coverage);
    expect(w[1].swatch).toBeUndefined();
    expect(w[1].indent).toBeGreaterThan(w[0].indent);
    expect(w.map((l) => l.text).join(' ')).toBe(long);
    for (const l of w) expect(textWidth(l.text) + l.indent).toBeLessThanOrEqual(552);
  });
});
