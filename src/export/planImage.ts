// plan.png, the seed's figure (ratiopath's "extract tiles locally" example): on the left the slide
// overview with the annotation outlines and the tile boxes, on the right a legend with the plan's
// parameters and counts, and a panel of saved crops with their indices. Pure raster drawing (no
// canvas, no DOM), so the app and the CLI make the same picture and a unit test can check it pixel by
// pixel.
//
// Why an indexed-colour PNG: a 1400-px overview of dense tissue is 1.5–2.5 MB as RGB PNG, and the
// figure is for the eyes (the tiles themselves are in the zip, lossless). 256 colours — the drawing's
// own colours exactly, the picture's by median cut — keep it to a few hundred KB to about 1 MB, with
// no alpha. Encoded here with the platform's CompressionStream (browser and Node alike).
import { crc32 } from './zipStream.ts';
import type { Plan } from '../core/index.ts';
import type { RGBAImage } from '../engine/types.ts';

export type RGB = [number, number, number];

export interface PlanRing {
  /** level-0 x,y pairs */
  points: ArrayLike<number>;
  rgb: RGB;
}

/** Kept for callers that still pass an encoder (the CLI); plan.png no longer needs one. */

export function hexRgb(hex: string): RGB {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(hex);
  return m ? [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)] : [46, 160, 67];
}

// ─── what each tile box means ─────────────────────────────────────────────────────────────────

/** One decision per tile, as drawn. The codes index BOX_STYLES. */
export const BOX = { saved: 0, accepted: 1, std: 2, tissue: 3, coverage: 4, manual: 5, readFailed: 6, limit: 7, notReached: 8, none: 255 } as const;
export type BoxKind = Exclude<(typeof BOX)[keyof typeof BOX], 255>;

export interface BoxStyle {
  rgb: RGB;
  /** on/off lengths in figure px; null = solid */
  dash: [number, number] | null;
  label: string;
}

/**
 * The app's colours (src/ui/viewer/overlay.ts), made opaque over white so each is one exact palette
 * entry: accepted blue as in the seed's figure, each rejection in the colour the viewer gives it.
 * planImage.test.ts checks they stay the viewer's.
 */
export const BOX_STYLES: Record<BoxKind, BoxStyle> = {
  [BOX.saved]: { rgb: [31, 111, 235], dash: null, label: 'saved' },
  [BOX.accepted]: { rgb: [31, 111, 235], dash: [6, 3], label: 'accepted, not saved' },
  [BOX.std]: { rgb: [110, 118, 129], dash: [4, 3], label: 'low std' },
  [BOX.tissue]: { rgb: [191, 135, 0], dash: [2, 3], label: 'little tissue' },
  [BOX.coverage]: { rgb: [137, 87, 229], dash: [6, 3], label: 'outside annotation' },
  [BOX.manual]: { rgb: [207, 34, 46], dash: null, label: 'excluded by hand' },
  [BOX.readFailed]: { rgb: [207, 34, 46], dash: [1, 2], label: 'read failed' },
  [BOX.limit]: { rgb: [140, 182, 245], dash: [1, 3], label: 'past the limit' },
  [BOX.notReached]: { rgb: [140, 182, 245], dash: [1, 3], label: 'not reached (cancelled)' },
};

/** The core's REASONS label → box kind ('' = accepted). */
export function boxKindOf(reason: string): BoxKind {
  switch (reason) {
    case '':
      return BOX.accepted;
    case 'std':
      return BOX.std;
    case 'tissue':
      return BOX.tissue;
    case 'coverage':
      return BOX.coverage;
    case 'manual':
      return BOX.manual;
    case 'read-failed':
      return BOX.readFailed;
    case 'limit':
      return BOX.limit;
    default:
      return BOX.notReached;
  }
}

// ─── layout ───────────────────────────────────────────────────────────────────────────────────

/** Longest side of the overview in the figure; with the right panel the figure is ~2,000 px wide. */
export const OVERVIEW_MAX = 1400;
export const MARGIN = 20;
export const TITLE_H = 30;
export const CROP_CELL = 176;
export const CROP_GAP = 12;
export const CROP_COLUMNS = 3;
export const MAX_CROPS = 12;
const CROP_LABEL_H = 20;
const LINE_H = 21;
const PANEL_W = CROP_COLUMNS * CROP_CELL + (CROP_COLUMNS - 1) * CROP_GAP;

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface FigureLayout {
  width: number;
  height: number;
  /** where the overview sits and its scale: figure px per level-0 px */
  overview: Rect & { scale: number };
  legend: Rect;
  /** one cell per crop, its picture area (the index label is below it) */
  crops: Rect[];
}

/**
 * Where everything goes. The overview's place and scale depend only on the slide's level-0 size,
 * so a reader can find a tile's box from tiles.csv alone (boxRect).
 */
export function planLayout(slideW: number, slideH: number, crops: number, legendLines: number): FigureLayout {
  const scale = OVERVIEW_MAX / Math.max(1, slideW, slideH);
  const ow = Math.max(1, Math.round(slideW * scale));
  const oh = Math.max(1, Math.round(slideH * scale));
  const top = MARGIN + TITLE_H;
  const px = MARGIN + ow + MARGIN;
  const legendH = legendLines * LINE_H + 16;
  const legend = { x: px, y: top, w: PANEL_W, h: legendH };
  const n = Math.min(MAX_CROPS, Math.max(0, crops));
  const cropTop = top + legendH + (n > 0 ? CROP_GAP + LINE_H : 0);
  const cells: Rect[] = [];
  for (let k = 0; k < n; k++) {
    const c = k % CROP_COLUMNS;
    const r = Math.floor(k / CROP_COLUMNS);
    cells.push({ x: px + c * (CROP_CELL + CROP_GAP), y: cropTop + r * (CROP_CELL + CROP_LABEL_H + CROP_GAP), w: CROP_CELL, h: CROP_CELL });
  }
  const rows = Math.ceil(n / CROP_COLUMNS);
  const panelBottom = n > 0 ? cropTop + rows * (CROP_CELL + CROP_LABEL_H + CROP_GAP) - CROP_GAP : top + legendH;
  return {
    width: px + PANEL_W + MARGIN,
    height: Math.max(top + oh, panelBottom) + MARGIN,
    overview: { x: MARGIN, y: top, w: ow, h: oh, scale },
    legend,
    crops: cells,
  };
}

/** A level-0 rectangle's outline in figure px: inclusive corners x0,y0 – x1,y1, within the overview. */
export function boxRect(layout: FigureLayout, x: number, y: number, w: number, h: number): { x0: number; y0: number; x1: number; y1: number } {
  const o = layout.overview;
  const x0 = o.x + Math.floor(x * o.scale);
  const y0 = o.y + Math.floor(y * o.scale);
  // clipped to the overview: a box ending on the slide's edge ends on the picture's last pixel
  const x1 = Math.min(o.x + o.w - 1, o.x + Math.ceil((x + w) * o.scale) - 1);
  const y1 = Math.min(o.y + o.h - 1, o.y + Math.ceil((y + h) * o.scale) - 1);
  return { x0, y0, x1: Math.max(x0, x1), y1: Math.max(y0, y1) };
}

/** Outline thickness of a saved tile's box, from its size in the figure. */
export function savedThickness(boxPx: number): number {
  return boxPx >= 24 ? 3 : boxPx >= 8 ? 2 : 1;
}

/** Rejected boxes are thinner than saved ones, so the kept tiles stand out. */
export function rejectedThickness(boxPx: number): number {
  return boxPx >= 40 ? 2 : 1;
}

/** Below this size in figure px rejected boxes are not outlined (they would hide the slide). */
export const MIN_REJECTED_BOX = 6;

// ─── crops: an evenly spread sample of the saved tiles, memory bounded ───────────────────────

/**
 * Keeps every stride-th saved tile, doubling the stride whenever more than 2 × MAX_CROPS are held,
 * so whatever the export's size it holds at most 24 tiles' bytes, spread over the whole run; pick()
 * then takes up to MAX_CROPS evenly from them.
 */
export class CropPicker<T> {
  private kept: { ordinal: number; index: number; item: T }[] = [];
  private stride = 1;
  private seen = 0;
  constructor(private readonly max = MAX_CROPS) {}
  offer(index: number, item: T): void {
    const ordinal = this.seen++;
    if (ordinal % this.stride !== 0) return;
    this.kept.push({ ordinal, index, item });
    if (this.kept.length > 2 * this.max) {
      this.stride *= 2;
      this.kept = this.kept.filter((k) => k.ordinal % this.stride === 0);
    }
  }
  pick(): { index: number; item: T }[] {
    const k = this.kept;
    if (k.length <= this.max) return k.map(({ index, item }) => ({ index, item }));
    const out: { index: number; item: T }[] = [];
    for (let j = 0; j < this.max; j++) {
      const e = k[Math.round((j * (k.length - 1)) / (this.max - 1))];
      out.push({ index: e.index, item: e.item });
    }
    return out;
  }
}

// ─── the figure's input ───────────────────────────────────────────────────────────────────────

export interface FigureTiles {
  /** interleaved x,y origins in the plan level's px (core Grid.origins) */
  origins: Int32Array;
  tileW: number;
  tileH: number;
  /** level-0 px per level px */
  downsample: number;
  /** BOX code per tile (BOX.none: not drawn) */
  kind: Uint8Array;
}

export interface LegendLine {
  text: string;
  /** a box swatch before the text, or a plain colour (annotation class) */
  swatch?: BoxKind | RGB;
}

const LEGEND_TEXT_W = PANEL_W - 20;
const SWATCH_W = 30;

/** Legend lines wrapped at spaces to the panel's width; a continuation is indented under its text. */
export function wrapLegend(lines: LegendLine[]): (LegendLine & { indent: number })[] {
  const out: (LegendLine & { indent: number })[] = [];
  for (const line of lines) {
    const indent = line.swatch !== undefined ? SWATCH_W : 0;
    const words = line.text.split(' ');
    let cur = '';
    let first = true;
    const push = () => {
      out.push(first ? { ...line, text: cur, indent } : { text: cur, indent: indent + 12 });
      first = false;
    };
    for (const w of words) {
      const next = cur ? `${cur} ${w}` : w;
      if (cur && textWidth(next) > LEGEND_TEXT_W - (first ? indent : indent + 12)) {
        push();
        cur = w;
      } else cur = next;
    }
    push();
  }
  return out;
}

export interface FigureSpec {
  title: string;
  /** level-0 size of the slide */
  slideSize: [number, number];
  /** the slide's picture; null draws a grey backdrop (the legend says why) */
  overview: { image: RGBAImage; downsample: number } | null;
  tiles: FigureTiles;
  rings: PlanRing[];
  legend: LegendLine[];
  /** saved tiles for the right panel, grid order; a null image is cut from the overview */
  crops: { index: number; image: RGBAImage | null }[];
  /** above the crops, e.g. "12 of 24 saved crops, spread over the run (grid index)" */
  cropsCaption?: string;
}

/** Tiles per decision, for the legend. */
export function kindCounts(kind: Uint8Array): number[] {
  const n = new Array<number>(9).fill(0);
  for (let i = 0; i < kind.length; i++) if (kind[i] !== BOX.none) n[kind[i]]++;
  return n;
}

const LEGEND_ORDER: BoxKind[] = [BOX.saved, BOX.accepted, BOX.limit, BOX.notReached, BOX.std, BOX.tissue, BOX.coverage, BOX.manual, BOX.readFailed];
const num = (v: number) => String(Number(v.toFixed(4)));
const pct = (f: number) => `${num(f * 100)} %`;

/**
 * The legend: resolution and level, geometry, filters, limit and format, counts, then one swatch per
 * decision present and per annotation class. `plan` null: the caller knows only the tile job (the
 * CLI before it passes its plan), so only what the boxes say is listed.
 */
export function planLegend(o: {
  plan: Plan | null;
  kind: Uint8Array;
  saved: number;
  cancelled: boolean;
  classes: { name: string; rgb: RGB }[];
  /** why the slide's picture is missing, when it is */
  noPicture?: string | null;
  /** tile size in figure px (rejected boxes are not outlined below MIN_REJECTED_BOX) */
  boxPx: number;
}): LegendLine[] {
  const out: LegendLine[] = [];
  const p = o.plan;
  if (p) {
    const res = p.params.resolution;
    const mpp = p.mpp ? `${((p.mpp.x + p.mpp.y) / 2).toFixed(3)} µm/px` : 'µm/px unknown';
    const how =
      res.mode === 'mpp'
        ? ` (${num(res.mpp)} µm/px asked${p.sources.mppOverride !== null ? ', slide µm/px typed by the user' : ''})`
        : p.mpp
          ? ' (level chosen by the user)'
          : ' (the slide records no usable µm/px: level chosen)';
    out.push({ text: `level ${p.level} · downsample ${num(p.downsample)} · ${mpp}${how}` });
    out.push({ text: `tile ${p.tile[0]}×${p.tile[1]} px · stride ${p.stride[0]}×${p.stride[1]} px · last = ${p.params.last}` });
    const f: string[] = [];
    if (p.params.stdThreshold !== null) f.push(`std > ${num(p.params.stdThreshold)}`);
    if (p.params.tissueThreshold !== null) f.push(`tissue ≥ ${pct(p.params.tissueThreshold)}${p.sources.tissue ? ` (Otsu on ${p.sources.tissue.channel})` : ''}`);
    if (p.params.coverage) f.push(`annotation ≥ ${pct(p.params.coverage.min)}${p.params.coverage.classes.length ? ` of ${p.params.coverage.classes.join(', ')}` : ''}`);
    out.push({ text: f.length ? `filters: ${f.join(' · ')}` : 'filters: none' });
    out.push({ text: `${p.params.limit === null ? 'no limit' : `limit ${p.params.limit}`} · ${p.params.format === 'png' ? 'PNG' : `JPEG quality ${p.params.jpegQuality}`}` });
  }
  const counts = kindCounts(o.kind);
  const planned = p ? p.grid.count : o.kind.length;
  out.push({ text: `${planned.toLocaleString('en-US')} planned · ${o.saved.toLocaleString('en-US')} saved${o.cancelled ? ' · export cancelled' : ''}` });
  for (const k of LEGEND_ORDER) if (counts[k] > 0) out.push({ text: `${BOX_STYLES[k].label} (${counts[k].toLocaleString('en-US')})`, swatch: k });
  for (const c of o.classes) out.push({ text: `annotation: ${c.name}`, swatch: c.rgb });
  if (o.boxPx < MIN_REJECTED_BOX) out.push({ text: `rejected tiles are not outlined: ${o.boxPx.toFixed(1)} px at this scale` });
  if (o.noPicture) out.push({ text: `no slide picture: ${o.noPicture}` });
  return out;
}

/** The figure before encoding: one palette index per pixel. */
export interface IndexedImage {
  width: number;
  height: number;
  /** palette index per pixel, row-major */
  index: Uint8Array;
  /** RGB triplets, at most 256 */
  palette: Uint8Array;
}

export function pixelOf(img: IndexedImage, x: number, y: number): RGB {
  const i = img.index[y * img.width + x];
  return [img.palette[3 * i], img.palette[3 * i + 1], img.palette[3 * i + 2]];
}

// ─── drawing surface: RGB for the pictures, an ink plane for the exact drawing colours ─────────

const WHITE: RGB = [255, 255, 255];
const TEXT: RGB = [36, 41, 47];
const PANEL_BG: RGB = [246, 248, 250];
const BORDER: RGB = [208, 215, 222];
const NO_PICTURE: RGB = [228, 231, 235];

class Surface {
  readonly rgb: Uint8Array;
  /** 0: the pixel is picture (quantised later); k > 0: palette entry k - 1, exactly */
  readonly ink: Uint8Array;
  readonly fixed: RGB[] = [];
  private fixedKey = new Map<string, number>();
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.rgb = new Uint8Array(width * height * 3).fill(255);
    this.ink = new Uint8Array(width * height);
    // text anti-aliasing: the text colour at 1/3, 2/3 and full coverage over white
    for (const a of [1 / 3, 2 / 3, 1]) this.colour(mix(WHITE, TEXT, a));
  }
  /** the fixed palette entry for a drawing colour (+1, as stored in `ink`) */
  colour(c: RGB): number {
    const key = c.join(',');
    let k = this.fixedKey.get(key);
    if (k === undefined) {
      if (this.fixed.length >= 64) return this.nearestFixed(c);
      this.fixed.push(c);
      k = this.fixed.length;
      this.fixedKey.set(key, k);
    }
    return k;
  }
  private nearestFixed(c: RGB): number {
    let best = 1;
    let bd = Infinity;
    this.fixed.forEach((f, i) => {
      const d = (f[0] - c[0]) ** 2 + (f[1] - c[1]) ** 2 + (f[2] - c[2]) ** 2;
      if (d < bd) {
        bd = d;
        best = i + 1;
      }
    });
    return best;
  }
  put(x: number, y: number, ink: number) {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    this.ink[y * this.width + x] = ink;
  }
  fill(r: Rect, c: RGB) {
    const k = this.colour(c);
    const x0 = Math.max(0, Math.floor(r.x));
    const y0 = Math.max(0, Math.floor(r.y));
    const x1 = Math.min(this.width, Math.floor(r.x + r.w));
    const y1 = Math.min(this.height, Math.floor(r.y + r.h));
    for (let y = y0; y < y1; y++) this.ink.fill(k, y * this.width + x0, y * this.width + Math.max(x0, x1));
  }
  /** an outline inside the inclusive rectangle, `t` px thick, dashed along its perimeter if asked */
  outline(x0: number, y0: number, x1: number, y1: number, c: RGB, t: number, dash: [number, number] | null) {
    const k = this.colour(c);
    const period = dash ? dash[0] + dash[1] : 0;
    const on = (s: number) => !dash || s % period < dash[0];
    const w = x1 - x0 + 1;
    const h = y1 - y0 + 1;
    for (let d = 0; d < t && d < Math.ceil(Math.min(w, h) / 2); d++) {
      for (let x = x0 + d; x <= x1 - d; x++) {
        const s = x - x0;
        if (on(s)) {
          this.put(x, y0 + d, k);
          this.put(x, y1 - d, k);
        }
      }
      for (let y = y0 + d; y <= y1 - d; y++) {
        const s = y - y0;
        if (on(s)) {
          this.put(x0 + d, y, k);
          this.put(x1 - d, y, k);
        }
      }
    }
  }
  line(ax: number, ay: number, bx: number, by: number, c: RGB, t: number) {
    const k = this.colour(c);
    const n = Math.max(1, Math.ceil(Math.hypot(bx - ax, by - ay)));
    const r0 = -Math.floor((t - 1) / 2);
    const r1 = r0 + t - 1;
    for (let s = 0; s <= n; s++) {
      const x = Math.round(ax + ((bx - ax) * s) / n);
      const y = Math.round(ay + ((by - ay) * s) / n);
      for (let dy = r0; dy <= r1; dy++) for (let dx = r0; dx <= r1; dx++) this.put(x + dx, y + dy, k);
    }
  }
  /** a picture (RGBA, composited onto white) resampled into the rectangle */
  picture(src: RGBAImage, sx: number, sy: number, sw: number, sh: number, dst: Rect) {
    resampleInto(src, sx, sy, sw, sh, this.rgb, this.width, dst);
  }
  text(x: number, y: number, s: string): number {
    const glyphs = font();
    const levels = [0, this.colour(mix(WHITE, TEXT, 1 / 3)), this.colour(mix(WHITE, TEXT, 2 / 3)), this.colour(TEXT)];
    let cx = Math.round(x);
    for (const ch of s) {
      const g = glyphs.get(ch) ?? glyphs.get('?')!;
      for (let gy = 0; gy < FONT_H; gy++)
        for (let gx = 0; gx < g.w; gx++) {
          const v = g.cov[gy * g.w + gx];
          if (v) this.put(cx + gx, y + gy, levels[v]);
        }
      cx += g.w;
    }
    return cx - x;
  }
}

const mix = (a: RGB, b: RGB, t: number): RGB => [Math.round(a[0] + (b[0] - a[0]) * t), Math.round(a[1] + (b[1] - a[1]) * t), Math.round(a[2] + (b[2] - a[2]) * t)];

/**
 * Area-average resampling of src's rectangle (sx, sy, sw, sh in src px) into dst (figure px),
 * composited onto white; nearest pixel when enlarging.
 */
function resampleInto(src: RGBAImage, sx: number, sy: number, sw: number, sh: number, out: Uint8Array, outW: number, dst: Rect) {
  const { width: W, height: H, data } = src;
  const fx = sw / dst.w;
  const fy = sh / dst.h;
  for (let y = 0; y < dst.h; y++) {
    const ty = dst.y + y;
    if (ty < 0 || ty * outW * 3 >= out.length) continue;
    let y0 = Math.floor(sy + y * fy);
    let y1 = Math.max(y0 + 1, Math.floor(sy + (y + 1) * fy));
    y0 = Math.min(Math.max(0, y0), H - 1);
    y1 = Math.min(Math.max(y0 + 1, y1), H);
    for (let x = 0; x < dst.w; x++) {
      const tx = dst.x + x;
      if (tx < 0 || tx >= outW) continue;
      let x0 = Math.floor(sx + x * fx);
      let x1 = Math.max(x0 + 1, Math.floor(sx + (x + 1) * fx));
      x0 = Math.min(Math.max(0, x0), W - 1);
      x1 = Math.min(Math.max(x0 + 1, x1), W);
      let r = 0;
      let g = 0;
      let b = 0;
      // integer sums of colour × alpha + white × (255 − alpha), divided once at the end
      for (let yy = y0; yy < y1; yy++) {
        let p = (yy * W + x0) * 4;
        for (let xx = x0; xx < x1; xx++, p += 4) {
          const a = data[p + 3];
          const wa = 255 * (255 - a);
          r += data[p] * a + wa;
          g += data[p + 1] * a + wa;
          b += data[p + 2] * a + wa;
        }
      }
      const n = 255 * (y1 - y0) * (x1 - x0);
      const q = (ty * outW + tx) * 3;
      out[q] = Math.round(r / n);
      out[q + 1] = Math.round(g / n);
      out[q + 2] = Math.round(b / n);
    }
  }
}

// ─── the figure ───────────────────────────────────────────────────────────────────────────────

export function renderPlanFigure(spec: FigureSpec): IndexedImage {
  const [W0, H0] = spec.slideSize;
  const legend = wrapLegend(spec.legend);
  const L = planLayout(W0, H0, spec.crops.length, legend.length);
  const s = new Surface(L.width, L.height);
  const ov = L.overview;

  s.text(MARGIN, MARGIN + 4, spec.title);

  // left: the slide, scaled so its longest side is OVERVIEW_MAX
  if (spec.overview) {
    const { image, downsample } = spec.overview;
    s.picture(image, 0, 0, W0 / downsample, H0 / downsample, ov);
  } else s.fill(ov, NO_PICTURE);

  const t = spec.tiles;
  const ds = t.downsample;
  const n = t.kind.length;
  const wPx = t.tileW * ds * ov.scale;
  const hPx = t.tileH * ds * ov.scale;
  const small = Math.min(wPx, hPx);
  const drawBox = (i: number, thick: number) => {
    const st = BOX_STYLES[t.kind[i] as BoxKind];
    const r = boxRect(L, t.origins[2 * i] * ds, t.origins[2 * i + 1] * ds, t.tileW * ds, t.tileH * ds);
    s.outline(r.x0, r.y0, r.x1, r.y1, st.rgb, thick, small >= 8 ? st.dash : null);
  };
  // rejected first, then the annotation, then what is kept on top of both
  if (small >= MIN_REJECTED_BOX)
    for (let i = 0; i < n; i++) {
      const k = t.kind[i];
      if (k !== BOX.none && k !== BOX.saved && k !== BOX.accepted && k !== BOX.limit && k !== BOX.notReached) drawBox(i, rejectedThickness(small));
    }
  const rt = Math.max(2, Math.round(OVERVIEW_MAX / 500));
  for (const ring of spec.rings) {
    const p = ring.points;
    const X = (k: number) => ov.x + p[k] * ov.scale;
    const Y = (k: number) => ov.y + p[k + 1] * ov.scale;
    for (let k = 0; k + 3 < p.length; k += 2) s.line(X(k), Y(k), X(k + 2), Y(k + 2), ring.rgb, rt);
    if (p.length >= 4) s.line(X(p.length - 2), Y(p.length - 2), X(0), Y(0), ring.rgb, rt);
  }
  for (let i = 0; i < n; i++) if (t.kind[i] === BOX.limit || t.kind[i] === BOX.notReached || t.kind[i] === BOX.accepted) drawBox(i, 1);
  const thick = savedThickness(small);
  for (let i = 0; i < n; i++) if (t.kind[i] === BOX.saved) drawBox(i, thick);
  // the crops' boxes carry their index, as the panel does
  for (const c of spec.crops) {
    const r = boxRect(L, t.origins[2 * c.index] * ds, t.origins[2 * c.index + 1] * ds, t.tileW * ds, t.tileH * ds);
    tag(s, r.x0 + thick, r.y0 + thick, `${c.index}`);
  }

  // right: the legend
  const lg = L.legend;
  s.fill(lg, PANEL_BG);
  s.outline(lg.x, lg.y, lg.x + lg.w - 1, lg.y + lg.h - 1, BORDER, 1, null);
  legend.forEach((line, k) => {
    const y = lg.y + 8 + k * LINE_H;
    const x = lg.x + 10;
    if (line.swatch !== undefined) {
      if (Array.isArray(line.swatch)) s.line(x + 1, y + FONT_H / 2, x + 21, y + FONT_H / 2, line.swatch, 3);
      else {
        const st = BOX_STYLES[line.swatch];
        s.outline(x, y + 2, x + 22, y + FONT_H - 3, st.rgb, line.swatch === BOX.saved ? 3 : 1, st.dash);
      }
    }
    s.text(x + line.indent, y, line.text);
  });

  // right, below: the saved crops, each with its grid index
  if (spec.crops.length > 0) s.text(lg.x, lg.y + lg.h + CROP_GAP, spec.cropsCaption ?? 'saved crops (grid index)');
  spec.crops.slice(0, MAX_CROPS).forEach((c, k) => {
    const cell = L.crops[k];
    let pic: { image: RGBAImage; sx: number; sy: number; sw: number; sh: number } | null = null;
    if (c.image) pic = { image: c.image, sx: 0, sy: 0, sw: c.image.width, sh: c.image.height };
    else if (spec.overview) {
      const d = spec.overview.downsample;
      pic = { image: spec.overview.image, sx: (t.origins[2 * c.index] * ds) / d, sy: (t.origins[2 * c.index + 1] * ds) / d, sw: (t.tileW * ds) / d, sh: (t.tileH * ds) / d };
    }
    const aspect = t.tileW / t.tileH;
    const w = aspect >= 1 ? cell.w : Math.max(1, Math.round(cell.w * aspect));
    const h = aspect >= 1 ? Math.max(1, Math.round(cell.h / aspect)) : cell.h;
    const r = { x: cell.x, y: cell.y, w, h };
    if (pic) s.picture(pic.image, pic.sx, pic.sy, pic.sw, pic.sh, r);
    else s.fill(r, NO_PICTURE);
    s.outline(r.x, r.y, r.x + r.w - 1, r.y + r.h - 1, BOX_STYLES[BOX.saved].rgb, 2, null);
    s.text(cell.x, cell.y + h + 2, `${c.index}`);
  });

  return quantize(s);
}

function tag(s: Surface, x: number, y: number, text: string) {
  const w = textWidth(text) + 6;
  s.fill({ x, y, w, h: FONT_H + 2 }, WHITE);
  s.text(x + 3, y + 1, text);
}

export function textWidth(text: string): number {
  const g = font();
  let w = 0;
  for (const ch of text) w += (g.get(ch) ?? g.get('?')!).w;
  return w;
}

// ─── colour quantisation: fixed drawing colours + median cut of the pictures ──────────────────

function quantize(s: Surface): IndexedImage {
  const { width, height, rgb, ink } = s;
  const nFixed = s.fixed.length;
  const budget = 256 - nFixed;
  // 5 bits a channel: 32,768 bins with their pixel counts and colour sums
  const count = new Uint32Array(32768);
  const sum = new Float64Array(32768 * 3);
  const bin = (p: number) => ((rgb[3 * p] >> 3) << 10) | ((rgb[3 * p + 1] >> 3) << 5) | (rgb[3 * p + 2] >> 3);
  for (let p = 0; p < width * height; p++) {
    if (ink[p]) continue;
    const b = bin(p);
    count[b]++;
    sum[3 * b] += rgb[3 * p];
    sum[3 * b + 1] += rgb[3 * p + 1];
    sum[3 * b + 2] += rgb[3 * p + 2];
  }
  const bins: number[] = [];
  for (let b = 0; b < 32768; b++) if (count[b]) bins.push(b);
  const boxes = medianCut(bins, count, budget);
  const palette = new Uint8Array(256 * 3);
  s.fixed.forEach((c, i) => palette.set(c, 3 * i));
  const toIndex = new Uint8Array(32768);
  boxes.forEach((box, j) => {
    let n = 0;
    let r = 0;
    let g = 0;
    let b = 0;
    for (const k of box) {
      n += count[k];
      r += sum[3 * k];
      g += sum[3 * k + 1];
      b += sum[3 * k + 2];
      toIndex[k] = nFixed + j;
    }
    palette.set([Math.round(r / n), Math.round(g / n), Math.round(b / n)], 3 * (nFixed + j));
  });
  const index = new Uint8Array(width * height);
  for (let p = 0; p < width * height; p++) index[p] = ink[p] ? ink[p] - 1 : toIndex[bin(p)];
  return { width, height, index, palette: palette.slice(0, 3 * (nFixed + boxes.length)) };
}

/** Median cut over occupied bins: split the most populous box along its widest channel. */
function medianCut(bins: number[], count: Uint32Array, k: number): number[][] {
  if (bins.length === 0) return [];
  const ch = (b: number, c: number) => (c === 0 ? b >> 10 : c === 1 ? (b >> 5) & 31 : b & 31);
  const boxes: { bins: number[]; n: number }[] = [{ bins, n: bins.reduce((a, b) => a + count[b], 0) }];
  while (boxes.length < k) {
    let pick = -1;
    for (let i = 0; i < boxes.length; i++) if (boxes[i].bins.length > 1 && (pick < 0 || boxes[i].n > boxes[pick].n)) pick = i;
    if (pick < 0) break;
    const box = boxes[pick];
    let axis = 0;
    let span = -1;
    for (let c = 0; c < 3; c++) {
      let lo = 31;
      let hi = 0;
      for (const b of box.bins) {
        const v = ch(b, c);
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (hi - lo > span) {
        span = hi - lo;
        axis = c;
      }
    }
    box.bins.sort((a, b) => ch(a, axis) - ch(b, axis));
    let acc = 0;
    let cut = 1;
    for (let i = 0; i < box.bins.length - 1; i++) {
      acc += count[box.bins[i]];
      cut = i + 1;
      if (acc * 2 >= box.n) break;
    }
    const a = box.bins.slice(0, cut);
    const b = box.bins.slice(cut);
    const na = a.reduce((x, y) => x + count[y], 0);
    boxes.splice(pick, 1, { bins: a, n: na }, { bins: b, n: box.n - na });
  }
  return boxes.map((b) => b.bins);
}

// ─── PNG (colour type 3), deflated by the platform ────────────────────────────────────────────

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  dv.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

async function zlib(data: Uint8Array): Promise<Uint8Array> {
  const cs = new CompressionStream('deflate');
  const res = new Response(new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(cs));
  return new Uint8Array(await res.arrayBuffer());
}

/** The indexed figure as a PNG: colour type 3, 8 bits, filter 0 (filters rarely help a palette image). */
export async function encodeIndexedPng(img: IndexedImage, text: Record<string, string> = {}): Promise<Uint8Array> {
  const { width, height, index } = img;
  const raw = new Uint8Array((width + 1) * height);
  for (let y = 0; y < height; y++) raw.set(index.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, width);
  dv.setUint32(4, height);
  ihdr.set([8, 3, 0, 0, 0], 8);
  const enc = new TextEncoder();
  const parts = [
    new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('PLTE', img.palette),
    // tEXt is Latin-1: keys and values are kept to ASCII
    ...Object.entries(text).map(([k, v]) => chunk('tEXt', enc.encode(`${k}\0${v.replace(/[^\x20-\x7e\n]/g, '?')}`))),
    chunk('IDAT', await zlib(raw)),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// ─── the DOM side (the app only) ──────────────────────────────────────────────────────────────

/** An RGBAImage as the DOM's ImageData (copies only when the bytes sit in a shared buffer). */
export function toImageData(img: RGBAImage): ImageData {
  const n = img.width * img.height * 4;
  const src = img.data;
  const arr = src.buffer instanceof ArrayBuffer ? new Uint8ClampedArray(src.buffer, src.byteOffset, n) : new Uint8ClampedArray(src.subarray(0, n));
  return new ImageData(arr as Uint8ClampedArray<ArrayBuffer>, img.width, img.height);
}

/** A saved tile (PNG or JPEG bytes) decoded by the browser at most `maxSide` px, for the crops panel. */
export async function browserDecodeThumbnail(bytes: Uint8Array, maxSide: number): Promise<RGBAImage> {
  const bmp = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]));
  const f = Math.min(1, maxSide / Math.max(bmp.width, bmp.height));
  const w = Math.max(1, Math.round(bmp.width * f));
  const h = Math.max(1, Math.round(bmp.height * f));
  const c = new OffscreenCanvas(w, h);
  const ctx = c.getContext('2d')!;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bmp, 0, 0, w, h);
  bmp.close();
  const d = ctx.getImageData(0, 0, w, h);
  return { width: w, height: h, data: new Uint8Array(d.data.buffer) };
}

// ─── the legend's font ────────────────────────────────────────────────────────────────────────
// DejaVu Sans (Bitstream Vera licence) at 14 px, rendered once with PIL into 2-bit coverage and
// stored here so the figure needs no font engine: each glyph is [char, advance, data] with 2 px
// per hex digit, row-major over FONT_H rows, and g..z standing for runs of 2..21 zero digits.

let glyphCache: Map<string, { w: number; cov: Uint8Array }> | null = null;
function font() {
  if (glyphCache) return glyphCache;
  const m = new Map<string, { w: number; cov: Uint8Array }>();
  for (const [ch, w, data] of GLYPHS) {
    const digits: number[] = [];
    for (const c of data) {
      const code = c.charCodeAt(0);
      if (code >= 103) for (let k = 0; k < code - 102 + 1; k++) digits.push(0);
      else digits.push(parseInt(c, 16));
    }
    const cov = new Uint8Array(w * FONT_H);
    for (let p = 0; p < cov.length; p++) {
      const d = digits[p >> 1] ?? 0;
      cov[p] = p & 1 ? d & 3 : d >> 2;
    }
    m.set(ch, { w, cov });
  }
  return (glyphCache = m);
}

const FONT_H = 17;
const GLYPHS: [string, number, string][] = [
  [" ", 4, "ys"],
  ["!", 6, "oegegegdgdg9meger"],
  ["\"", 6, "n28c28c28c28cyo"],
  ["#", 12, "y30ch61cha18gffff8gc3h187g3ffffg349h30ch61cyk"],
  ["$", 9, "p8h2hbe40a260248gb6hbe4g274g8a092741bf8g2i8p"],
  ["%", 13, "y7dgc034d0901c246g70934gd369f41f5cd34g9309g60c2403034d02407eyl"],
  ["&", 11, "wbdha08g34iai2eh29e070d0a28340bc0b42fg7f8byh"],
  ["'", 4, "k28282828y"],
  ["(", 5, "k30280c070280a0280a01c03gagcm"],
  [")", 5, "j2803ga01c07gd0341c070280c0an"],
  ["*", 7, "q8062246e41b9188902yo"],
  ["+", 12, "yk24i24i24i24g2ffff4g24i24i24i24yk"],
  [",", 4, "yg1c1824k"],
  ["-", 5, "yg1fdw"],
  [".", 4, "yg2c2cm"],
  ["/", 5, "na0341c060240c060240d070280dl"],
  ["0", 9, "s1f901d1d0a028340b0d01c34070d02c280a0747407e4x"],
  ["1", 9, "s1b4019dh34hdh34hdh34hdh3401ffex"],
  ["2", 9, "s6f90242ch34hdhbhb4gb4g74g74g3ffex"],
  ["3", 9, "s2f90241dh34g1d01fdh1dh28ha090741be4x"],
  ["4", 9, "t1eg1e8gdaga28070a034281fffcg28hah28x"],
  ["5", 9, "s7ff018h6h1fe4050bieh28he090b01be4x"],
  ["6", 9, "tbege050bh38hebe03d1e0e01c28070747806f8x"],
  ["7", 9, "sfff8hdhbh38g1dhah34g1cheh74y"],
  ["8", 9, "s2fe02d1d0a0281d1d02fd02d1d0d02c340b0b4780bf8x"],
  ["9", 9, "s2f902d1c0d028340a0a47c0bebh28hd050agbey"],
  [":", 5, "t1c07n701cp"],
  [";", 5, "t1c07n701809n"],
  ["<", 12, "ys64hbeg1b9g1f8h1f8i1b9jbej64yi"],
  ["=", 12, "yu2ffff4q2ffff4yyg"],
  [">", 12, "yo19i1b9j7e4i6fi6fh7e401bdh19ym"],
  ["?", 7, "p6f42474gdgbgbg7g1cj1cg7u"],
  ["@", 14, "yh6feh2906dgdh70282f71830a0b0c309070c309071830a0b74282f79gdk39068h6fa4t"],
  ["A", 10, "u1eh2bh368g71cg90dgc0a02fff0340247g1cahdy"],
  ["B", 10, "t2ff90280b028070280b02ffd0280702803828038280742ff9y0"],
  ["C", 10, "u2fe40e4182ch34h74h74h34h2cie41802fe4y"],
  ["D", 11, "vbfe40280780ag3428ga0ag2c28gb0ag2828gd0a01e02ff9yi"],
  ["E", 9, "sbff828hah28hbff828hah28hah2fffx"],
  ["F", 8, "q2ffd28g28g28g2ff828g28g28g28g28w"],
  ["G", 11, "wbf9ge4190bi34h1di740fe0dg282cga03906802fe8yh"],
  ["H", 11, "vag702801c0ag702801c0bfff02801c0ag702801c0ag702801cyh"],
  ["I", 4, "k28282828282828282828m"],
  ["J", 4, "k282828282828282828282874eh"],
  ["K", 9, "sa01e281d0a1d029dgbdg2b8ga280282c0a02c2802cw"],
  ["L", 8, "q28g28g28g28g28g28g28g28g28g2ffeu"],
  ["M", 12, "w2egb82fgf82a41e829826828d32828a628287d28283c2828g2828g28yi"],
  ["N", 10, "t2e01c2f01c2a81c29c1c28a1c2875c2829c280ec280bc2803cy"],
  ["O", 11, "wbf8ge42c0bg3834g71dg1d74g74dg1c2cge0390bg2feyi"],
  ["P", 8, "q2ff8281e280b280b281e2ff828g28g28g28w"],
  ["Q", 11, "wbf8ge42c0bg3834g71dg1d74g74dg1c2cge0390bg2fei2ci2cq"],
  ["R", 10, "t2ff80281e0280b0280b0281e02ff80281d0280b0280382801cy"],
  ["S", 9, "s2f9029050dh38h7e4g1bdh2ch7090781bf8x"],
  ["T", 9, "r3fffe01ch7h1ch7h1ch7h1ch7h1cy"],
  ["U", 10, "t2801c2801c2801c2801c2801c2801c2801c2c0280e07406f9y0"],
  ["V", 10, "tahd7g2c380342c07gd0aga0dg71cg378g2fh1eyg"],
  ["W", 14, "y07gegd341f01c341a42828268341c31c340d70c7gea09aga90adg7c07dg3c03cyn"],
  ["X", 10, "t280380d0bg71dg2b4heh1fh368ga0d02c07074028y"],
  ["Y", 9, "r2801d340e074aga74gf4g1ch7h1ch7h1cy"],
  ["Z", 10, "t7fff8h74g1eh38hbh2dh74g1eh38h7fffcy"],
  ["[", 5, "j2f09024090240902409024090240bcm"],
  ["\\", 5, "l340a01c0340901803g901807gd028j"],
  ["]", 5, "j2f40d0340d0340d0340d0340d034bdm"],
  ["^", 12, "y7ch1ebh7428gdgayyy0"],
  ["_", 7, "yyq3fffi"],
  ["`", 7, "l18g24g3yyi"],
  ["a", 9, "yhbf8h2ch341bfd0e034301d0e1b41fddx"],
  ["b", 9, "n28hah28habe02d1d0a01c28070a01c28070b4742af8x"],
  ["c", 8, "y07e42d1834g7h7h34g2d1807e4u"],
  ["d", 9, "qah28ha02fa82d2e0d0387ga1c028340e0b4b80beax"],
  ["e", 9, "yh1fd01d1d0d0187fff1ch34hb41407f8x"],
  ["f", 5, "kbc70182ff18060180601806018p"],
  ["g", 9, "yh2fa82d2e0d0387ga1c028340e0b4b80beah34142c02f9k"],
  ["h", 9, "n28hah28habe02d1d0a028280a0a028280a0a028280ax"],
  ["i", 4, "i2828g2828282828282828m"],
  ["j", 4, "i2828g28282828282828282834eh"],
  ["k", 8, "m28g28g28g281d287429d02f402b8028e02838280eu"],
  ["l", 4, "i2828282828282828282828m"],
  ["m", 14, "yt2af8bd02d1f470280a034280a024280a024280a024280a024280a024ym"],
  ["n", 9, "yhabe02d1d0a028280a0a028280a0a028280ax"],
  ["o", 9, "yh2f902d2c0d0283ga1c028340a0b47gbe4x"],
  ["p", 9, "yhabe02d1d0a01c28070a01c28070b4742af80ah28ham"],
  ["q", 9, "yh2fa82d2e0d0387ga1c028340e0b4b80beah28hah28j"],
  ["r", 6, "t2ae2d028028028028028028r"],
  ["s", 7, "w6f43424cg2e401acg2991d1bet"],
  ["t", 5, "ma0282ff280a0280a0280agbco"],
  ["u", 9, "yh9028240a09028240a09028280a0b0780beax"],
  ["v", 8, "y7ga340d281c1c280d340a7g7eg3dv"],
  ["w", 11, "yl1c0e0a347c249270d28d970732a80e87902d0f40b42cyh"],
  ["x", 8, "y341d1d380bbg3dg3dga702c28740du"],
  ["y", 8, "y7ga340d281c1c28097g7ag3dg2cg28g7403dk"],
  ["z", 7, "v1ffeg3403802802c01d01dg7ff8s"],
  ["{", 9, "p7cg34hch3ichbg1f4hbh1ch3ich34h7co"],
  ["|", 5, "j1c0701c0701c0701c0701c0701c0701c07i"],
  ["}", 9, "n1f4hbh1ch7h1ch34h7cg34g1ch7h1chbg1f4p"],
  ["~", 12, "yynbe424141bdyyh"],
  ["µ", 9, "yh9028240a09028240a09028280a0b4782ae749h24h9m"],
  ["×", 12, "yp9g5g741dg1d74h7di7dh1d74g741dg9g5yj"],
  ["≥", 12, "yo19j6f9i1beh1beg6f9g19o2ffff4yi"],
  ["≤", 12, "yr1a4g6f901f94g1f94i6f9i1a4k2ffff4yi"],
  ["·", 4, "s2c2cu"],
  ["–", 7, "yp1ffdyj"],
  ["—", 14, "yyyh7fffffdyyn"],
  ["÷", 12, "yq38i38m2ffff4m38i38yq"],
  ["°", 7, "p2e024609180b8yu"],
  ["±", 12, "yk24i24i24g2ffff4g24i24i24m2ffff4yi"],
  ["→", 12, "yx18j747ffffci74h18yv"],
];
