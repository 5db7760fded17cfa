// Whole-export parity against native OpenSlide: every tiles.csv row and every saved tile of an
// export (CLI or app zip) compared with tools/parity/native_export.py (ratiopath's local loop, no
// limit, run by Debian's /usr/bin/python3). Shared by tools/parity/cli-export-parity.test.ts and
// e2e/export-parity.spec.ts; it only collects mismatches, the tests assert on them.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';
import { PNG } from 'pngjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED = path.resolve(ROOT, '../shared/slides');
export const REAL = path.join(SHARED, 'real');
export const SAMPLES = path.join(ROOT, '.cache/samples');
export const DEMO_ANNOTATIONS = path.join(ROOT, 'public/demo/CMU-1-Small-Region.tissue.geojson');

/** |Δ| allowed between tiles.csv's std and numpy's float64 std. */
export const STD_TOLERANCE = 1e-4;
/** coverage is stored as Float32 (7 significant digits in the csv). */
export const COVERAGE_TOLERANCE = 1e-6;

export type Last = 'drop' | 'keep' | 'shift';

export interface ParityCase {
  /** short id for test titles */
  id: string;
  /** the slide's main file */
  slide: string;
  /** every file the app needs (MIRAX: the .mrxs and its folder's files); default [slide] */
  files?: string[];
  /** the folder to give the app's folder picker (MIRAX), instead of files */
  folder?: string;
  /** name the app shows once open */
  name: string;
  resolution: { level: number } | { mpp: number };
  tile: [number, number];
  stride: [number, number];
  last: Last;
  stdThreshold: number;
  annotations?: string;
  coverage?: number;
  tissueThreshold?: number;
}

export interface NativeTile {
  index: number;
  x: number;
  y: number;
  std: string;
  std_value: number;
  accepted: boolean;
  reason: '' | 'std' | 'coverage';
  sha256: string;
  coverage?: number;
}

export interface NativeExport {
  level: number;
  downsample: number;
  extent: [number, number];
  tile: [number, number];
  count: number;
  accepted: number;
  rejected_std: number;
  rejected_coverage: number;
  warnings: string[];
  tiles: NativeTile[];
}

const mrxsFiles = (id: string) => {
  const d = path.join(SAMPLES, id);
  return [path.join(d, 'slide.mrxs'), path.join(d, 'slide/Slidedat.ini'), path.join(d, 'slide/Index.dat'), path.join(d, 'slide/Data0000.dat'), path.join(d, 'slide/Data0001.dat')];
};

/** The four slides of the parity matrix (one per format family) and how to open them. */
export const SLIDES = {
  aperio: { id: 'aperio', slide: path.join(REAL, 'aperio/CMU-1-Small-Region.svs'), name: 'CMU-1-Small-Region.svs', resolution: { level: 0 } },
  // 0.228 µm/px at level 0: closest_level(0.5) is level 1 (1984 × 2432)
  ndpi: { id: 'ndpi', slide: path.join(REAL, 'hamamatsu-ndpi/test3-TRITC 2 (560).ndpi'), name: 'test3-TRITC 2 (560).ndpi', resolution: { mpp: 0.5 } },
  mirax: { id: 'mirax', slide: path.join(SAMPLES, 'mirax-jpeg/slide.mrxs'), files: mrxsFiles('mirax-jpeg'), folder: path.join(SAMPLES, 'mirax-jpeg'), name: 'slide.mrxs', resolution: { level: 0 } },
  tiff: { id: 'tiff', slide: path.join(SAMPLES, 'generic-tiff-jpeg/slide.tiff'), name: 'slide.tiff', resolution: { level: 0 } },
} satisfies Record<string, Omit<ParityCase, 'tile' | 'stride' | 'last' | 'stdThreshold'>>;

export const GEOMETRIES: { id: string; tile: [number, number]; stride: [number, number]; last: Last }[] = [
  { id: '256/256 shift', tile: [256, 256], stride: [256, 256], last: 'shift' },
  { id: '512/512 shift', tile: [512, 512], stride: [512, 512], last: 'shift' },
  // non-square, stride ≠ tile, keep: the last column and row overhang the level (background)
  { id: '300x200 stride 250x180 keep', tile: [300, 200], stride: [250, 180], last: 'keep' },
];

/** Slides × geometries, std threshold 8 (the seed's), no limit. */
export function matrix(): ParityCase[] {
  const out: ParityCase[] = [];
  for (const s of Object.values(SLIDES)) for (const g of GEOMETRIES) out.push({ ...s, id: `${s.id} ${g.id}`, tile: g.tile, stride: g.stride, last: g.last, stdThreshold: 8 });
  return out;
}

export function slideAvailable(c: ParityCase): boolean {
  return (c.files ?? [c.slide]).every((f) => existsSync(f));
}

/** native_export.py for a case (cached under .cache/parity/ by the script itself). */
export function nativeExport(c: ParityCase): NativeExport {
  const args = [path.join(ROOT, 'tools/parity/native_export.py'), c.slide];
  if ('level' in c.resolution) args.push('--level', String(c.resolution.level));
  else args.push('--mpp', String(c.resolution.mpp));
  args.push('--tile', c.tile.join(','), '--stride', c.stride.join(','), '--last', c.last, '--std-threshold', String(c.stdThreshold), '--background', '255');
  if (c.annotations) args.push('--annotations', c.annotations);
  if (c.coverage !== undefined) args.push('--coverage', String(c.coverage));
  const out = execFileSync('/usr/bin/python3', args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return JSON.parse(out) as NativeExport;
}

/** `slidetile extract` arguments for a case. */
export function cliArgs(c: ParityCase, out: string): string[] {
  const a = ['extract', c.slide];
  if ('level' in c.resolution) a.push('--level', String(c.resolution.level));
  else a.push('--mpp', String(c.resolution.mpp));
  a.push('--tile', c.tile.join(','), '--stride', c.stride.join(','), '--last', c.last, '--std-threshold', String(c.stdThreshold), '--limit', 'none', '--background', '255');
  if (c.annotations) a.push('--annotations', c.annotations);
  if (c.coverage !== undefined) a.push('--coverage', String(c.coverage));
  if (c.tissueThreshold !== undefined) a.push('--tissue-threshold', String(c.tissueThreshold));
  return [...a, '--out', out];
}

/** RFC 4180 csv (quoted fields allowed) into objects keyed by the header. */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (q) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') q = false;
      else field += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  const [head, ...body] = rows.filter((r) => r.length > 1 || r[0] !== '');
  return body.map((r) => Object.fromEntries(head.map((h, k) => [h, r[k] ?? ''])));
}

/** RGB bytes of a PNG (alpha dropped; the tiles are composited, so opaque). */
export function pngRgb(bytes: Uint8Array): { width: number; height: number; rgb: Buffer; opaque: boolean } {
  const png = PNG.sync.read(Buffer.from(bytes), { skipRescale: true });
  const rgb = Buffer.alloc(png.width * png.height * 3);
  let opaque = true;
  for (let p = 0, q = 0; p < png.data.length; p += 4, q += 3) {
    rgb[q] = png.data[p];
    rgb[q + 1] = png.data[p + 1];
    rgb[q + 2] = png.data[p + 2];
    if (png.data[p + 3] !== 255) opaque = false;
  }
  return { width: png.width, height: png.height, rgb, opaque };
}

export const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

export type MismatchKind =
  | 'row-count'
  | 'row-geometry'
  | 'std'
  | 'decision'
  | 'png'
  | 'saved-set'
  | 'coverage'
  | 'tissue';

export interface Mismatch {
  kind: MismatchKind;
  /** grid index, -1 for whole-export checks */
  index: number;
  detail: string;
}

export interface ExportReport {
  rows: number;
  /** rows whose std was compared (read tiles) */
  stdCompared: number;
  csvAccepted: number;
  nativeAccepted: number;
  saved: number;
  /** tiles.csv rows per reason ('' = accepted) */
  reasons: Record<string, number>;
  /** tiles/NAME → bytes, for comparing two exports of the same plan */
  files: Map<string, Uint8Array>;
  mismatches: Mismatch[];
}

export interface CheckOptions {
  /** the tissue filter was on with this threshold: rows rejected for tissue are not compared with
   *  native's std decision (native has no tissue mask); the tissue column is checked against the
   *  threshold and the decisions instead. */
  tissueThreshold?: number;
}

/**
 * Every row of tiles.csv and every file under tiles/ against native. Mismatches are collected,
 * never thrown, so a test can say which rows are wrong and how.
 */
export async function checkExport(zipBytes: Uint8Array, native: NativeExport, c: Pick<ParityCase, 'tile'>, opts: CheckOptions = {}): Promise<ExportReport> {
  const zip = await JSZip.loadAsync(zipBytes);
  const mismatches: Mismatch[] = [];
  const bad = (kind: MismatchKind, index: number, detail: string) => mismatches.push({ kind, index, detail });
  const csvFile = zip.file('tiles.csv');
  if (!csvFile) {
    bad('row-count', -1, 'no tiles.csv in the zip');
    return { rows: 0, stdCompared: 0, csvAccepted: 0, nativeAccepted: native.accepted, saved: 0, reasons: {}, files: new Map(), mismatches };
  }
  const rows = parseCsv(await csvFile.async('string'));
  const files = new Map<string, Uint8Array>();
  for (const name of Object.keys(zip.files)) {
    if (name.startsWith('tiles/') && !zip.files[name].dir) files.set(name, await zip.files[name].async('uint8array'));
  }
  if (rows.length !== native.count) bad('row-count', -1, `tiles.csv has ${rows.length} rows, the grid has ${native.count}`);

  const tissueOn = opts.tissueThreshold !== undefined;
  const reasons: Record<string, number> = {};
  for (const r of rows) reasons[r.reason ?? ''] = (reasons[r.reason ?? ''] ?? 0) + 1;
  const expectSaved = new Set<string>();
  let stdCompared = 0;
  let csvAccepted = 0;
  const n = Math.min(rows.length, native.count);
  for (let k = 0; k < n; k++) {
    const r = rows[k];
    const t = native.tiles[k];
    const i = t.index;
    if (Number(r.index) !== i || Number(r.x) !== t.x || Number(r.y) !== t.y) {
      bad('row-geometry', i, `row ${k}: index ${r.index} at (${r.x}, ${r.y}), native tile ${i} at (${t.x}, ${t.y})`);
      continue;
    }
    const accepted = r.accepted === '1' || r.accepted === 'true';
    if (accepted) csvAccepted++;
    const reason = r.reason ?? '';

    // the decision native would make; with the tissue filter on, a tissue rejection is the app's own
    let wantAccepted = t.accepted;
    let wantReason: string = t.reason;
    if (tissueOn) {
      const tissue = r.tissue === '' ? Number.NaN : Number(r.tissue);
      const thr = opts.tissueThreshold!;
      // the csv holds Float32 values, the app decides on the float64 fraction: allow its rounding
      if (Number.isNaN(tissue)) bad('tissue', i, 'tissue column is empty with the tissue filter on');
      else if (reason === 'tissue' && !(tissue < thr + COVERAGE_TOLERANCE)) bad('tissue', i, `rejected for tissue with tissue ${r.tissue} >= threshold ${thr}`);
      else if (reason !== 'tissue' && t.reason !== 'coverage' && !(tissue >= thr - COVERAGE_TOLERANCE)) bad('tissue', i, `tissue ${r.tissue} < threshold ${thr} but reason is "${reason}"`);
      // native has no tissue mask: a (consistent) tissue rejection is the expected decision
      if (reason === 'tissue' && t.reason !== 'coverage') {
        wantAccepted = false;
        wantReason = 'tissue';
      }
    }

    // std: every tile that was read has one; tiles rejected before reading (coverage, tissue) may not
    const readExpected = wantReason !== 'coverage' && wantReason !== 'tissue';
    if (r.std === '') {
      if (readExpected) bad('std', i, `std empty, native ${t.std}`);
    } else {
      const v = Number(r.std);
      stdCompared++;
      const d = Math.abs(v - t.std_value);
      if (!(d <= STD_TOLERANCE)) bad('std', i, `std ${r.std}, native ${t.std} (|Δ| ${d.toExponential(2)})`);
    }

    if (accepted !== wantAccepted || reason !== wantReason) {
      bad('decision', i, `csv accepted=${r.accepted} reason="${reason}", native accepted=${wantAccepted ? 1 : 0} reason="${wantReason}" (native std ${t.std})`);
    }

    if (native.tiles[k].coverage !== undefined && r.coverage !== undefined) {
      const cv = r.coverage === '' ? Number.NaN : Number(r.coverage);
      const d = Math.abs(cv - t.coverage!);
      if (!(d <= COVERAGE_TOLERANCE)) bad('coverage', i, `coverage ${r.coverage}, native ${t.coverage} (|Δ| ${d.toExponential(2)})`);
    }

    // the saved file: present iff native accepts, decoded RGB equal to native's read_tile
    const file = r.file ? (r.file.startsWith('tiles/') ? r.file : `tiles/${r.file}`) : '';
    if (wantAccepted) {
      if (!file) {
        bad('png', i, 'native saves this tile; tiles.csv names no file');
        continue;
      }
      expectSaved.add(file);
      const bytes = files.get(file);
      if (!bytes) {
        bad('png', i, `${file} named in tiles.csv is not in the zip`);
        continue;
      }
      try {
        const { width, height, rgb, opaque } = pngRgb(bytes);
        if (width !== c.tile[0] || height !== c.tile[1]) bad('png', i, `${file} is ${width}×${height}, tile is ${c.tile[0]}×${c.tile[1]}`);
        else if (!opaque) bad('png', i, `${file} has non-opaque pixels`);
        else if (sha256(rgb) !== t.sha256) bad('png', i, `${file} RGB sha256 ${sha256(rgb).slice(0, 12)}…, native ${t.sha256.slice(0, 12)}…`);
      } catch (e) {
        bad('png', i, `${file} does not decode: ${(e as Error).message}`);
      }
    } else if (file) {
      bad('png', i, `native does not save this tile (${wantReason}); tiles.csv names ${file}`);
    }
  }
  const got = [...files.keys()].sort();
  const want = [...expectSaved].sort();
  const extra = got.filter((f) => !expectSaved.has(f));
  const missing = want.filter((f) => !files.has(f));
  const nativeAccepted = tissueOn ? want.length : native.accepted;
  if (extra.length || missing.length || got.length !== nativeAccepted) {
    bad('saved-set', -1, `zip has ${got.length} tiles, native saves ${nativeAccepted}; not native's: [${extra.join(', ')}] named in tiles.csv but absent: [${missing.join(', ')}]`);
  }
  return { rows: rows.length, stdCompared, csvAccepted, nativeAccepted, saved: files.size, reasons, files, mismatches };
}

/** One line per mismatch kind: "std on 40 of 108 rows: 3, 5, 9 …" with the first few details. */
export function summarize(report: ExportReport, kind: MismatchKind, show = 6): string {
  const m = report.mismatches.filter((x) => x.kind === kind);
  if (m.length === 0) return '';
  const rows = m.filter((x) => x.index >= 0).map((x) => x.index);
  const head = rows.length ? `${kind} wrong on ${rows.length} of ${report.rows} rows: ${rows.slice(0, 40).join(', ')}${rows.length > 40 ? ' …' : ''}` : kind;
  return [head, ...m.slice(0, show).map((x) => `  ${x.index >= 0 ? `tile ${x.index}: ` : ''}${x.detail}`)].join('\n');
}

export const KINDS: MismatchKind[] = ['row-count', 'row-geometry', 'std', 'decision', 'png', 'saved-set', 'coverage', 'tissue'];

/** Reads a zip written by the CLI. */
export const readBytes = (f: string) => new Uint8Array(readFileSync(f));
