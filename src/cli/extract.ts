// `slidetile extract`: the app's export from the command line. The core plans (makePlan, the same
// parameters with ratiopath's names), src/export builds the job (exportJobFor), runs the seed's loop
// and lays out the zip (runExport: tiles/, tiles.csv, slide.json, ratiopath_recipe.py,
// annotations.geojson, plan.png); every pixel is read through the engine's worker pool in Node
// threads (the browser's pool and worker code, libpng in the engine). This file only parses options,
// reads the overview and picks the sink: a zip streamed into OUT.zip.part, or a folder.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  boundsOffset,
  candidateIndices,
  classLabels,
  LABEL_RULES,
  makePlan,
  reopenSlideJson,
  MissingMppError,
  parseAnnotations,
  tissueMaskFromRGBA,
  type AnnotationShape,
  type LabelRule,
  type Plan,
  type PlanParamsInput,
  type SlideInfo,
  type TissueMask,
} from '../core/index.ts';
import { pseudonymFor, renameInValue } from '../core/pseudonym.ts';
import { planningMpp } from '../core/scanMpp.ts';
import { TISSUE_MODES, tissueMorphologyFor, type TissueMode } from '../core/filters/tissue.ts';
import { classColor, classNames } from '../core/annotations/colors.ts';
import { AnnotationError } from '../core/annotations/types.ts';
import { openNodePool } from '../engine/node-pool.ts';
import { level0, levelPx, type PooledSlide, type RGBAImage, type SlideSource } from '../engine/types.ts';
import { runExport, type ExportFormats } from '../export/bundle.ts';
import type { ExtractProgress } from '../export/extract.ts';
import { progressRates } from '../core/export/progressRates.ts';
import { exportJobFor } from '../export/job.ts';
import { DirectorySink, openZipFileSink } from '../export/node.ts';
import { hexRgb, type PlanRing } from '../export/planImage.ts';
import type { TileSink } from '../export/sink.ts';
import { makeTables } from '../export/tables.ts';
import { UsageError as ExtractUsageError } from './usage.ts';

export const EXTRACT_USAGE = `usage:
  slidetile extract SLIDE [--mpp M | --level L] [--slide-mpp U] [--tile W,H] [--stride X,Y]
      [--last drop|keep|shift] [--std-threshold T|none] [--tissue-threshold F]
      [--annotations FILE [--coverage F] [--classes A,B]] [--limit N|none]
      [--format png|jpeg] [--quality Q] [--naming index|qupath] [--background 0..255]
      [--workers N] [--keep-identifiers] [--layout tiles|webdataset|coords] [--shard-mb S]
      [--h5] [--parquet] [--pseudonym KEY] [--label largest|centre [--by-class]] --out OUT.zip|DIR
  slidetile extract SLIDE --from OLD/slide.json [--annotations FILE] [--workers N] … --out OUT.zip|DIR

The app's export: tiles/ (the saved tiles), tiles.csv, slide.json, ratiopath_recipe.py, plan.png and,
with --annotations, annotations.geojson. Options mean what they mean in ratiopath; defaults are the
seed's: --mpp 0.5, --tile 512,512, --stride = tile, --last shift, --std-threshold 8, --limit 64, png.
--quality is the JPEG quality, 0..1 as the browser's (0.9) or 1..100. --coverage keeps tiles whose
annotated fraction is >= F (of the --classes given, default all). --workers reads in N engine threads.
slide.json leaves out the slide properties that identify a patient, a person, a date, a scanner or the
original file (listed by name in slide.json); --keep-identifiers keeps them. --pseudonym KEY replaces the
slide's file name everywhere in the export by slide-<12 hex digits of HMAC-SHA256(KEY, file name)>.
--label (with --annotations) labels each tile by class: the class covering most of it (largest) or the
class over its centre pixel (centre); tiles.csv gets label and coverage_<class> columns, --by-class files
the tiles under tiles/<class>/.
--from re-plans exactly as a previous export did (its slide.json: parameters, typed µm/px, manual
choices), warning when the slide or the annotation file is not the one it was made from; the options
that set the plan cannot be given with it.
Dataset formats: --layout webdataset writes the saved tiles as WebDataset tar shards
(shards/SLIDE-000000.tar, a tile and its JSON per sample, at most --shard-mb MB each, default 256);
--layout coords keeps no pixels (the tiles are still read for their std). --h5 adds coords.h5 (level-0
coordinates with the attributes CLAM and TRIDENT read), --parquet adds tiles.parquet (ratiopath's Ray
columns: path, tile_x, tile_y, level, tile_extent_x, tile_extent_y, and ours).`;

/** A wrong `slidetile extract` command line: the CLI's one UsageError, under the name callers catch. */
export { ExtractUsageError };

export interface ExtractIO {
  stdout(s: string): void;
  stderr(s: string): void;
  /** a live progress line on stderr (only when it is a terminal) */
  progress?: boolean;
  signal?: AbortSignal;
}

/** Opens the slide in N engine threads (default: openNodePool); tests wrap it to reach the pool. */
export type PoolOpener = (slidePath: string, workers: number) => Promise<PooledSlide>;

function pair(v: string | undefined, name: string): [number, number] | undefined {
  if (v === undefined) return undefined;
  const parts = v.split(/[,x×]/).map((s) => s.trim());
  const nums = parts.map(Number);
  if (parts.length === 1 && Number.isInteger(nums[0]) && nums[0] > 0) return [nums[0], nums[0]];
  if (parts.length !== 2 || !nums.every((n) => Number.isInteger(n) && n > 0)) throw new ExtractUsageError(`--${name} must be two positive integers like 512,512, got "${v}"`);
  return [nums[0], nums[1]];
}

function num(v: string | undefined, name: string, check: (n: number) => boolean, what: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || !check(n)) throw new ExtractUsageError(`--${name} must be ${what}, got "${v}"`);
  return n;
}

const OFF = /^(none|off|null)$/i;

// the coarsest level small enough to read whole (the app's overview: preview, tissue mask, plan.png)
const MAX_SIDE = 2048;
const MAX_PIXELS = 16_000_000;
function overviewLevel(info: SlideInfo): number | null {
  const levels = info.levels;
  for (let i = 0; i < levels.length; i++) if (Math.max(levels[i].width, levels[i].height) <= MAX_SIDE) return i;
  const last = levels.length - 1;
  return levels[last].width * levels[last].height <= MAX_PIXELS ? last : null;
}

// plan.png's outlines, in the app's colours
function ringsOf(shapes: readonly AnnotationShape[]): PlanRing[] {
  const classes = classNames(shapes);
  const out: PlanRing[] = [];
  for (const s of shapes) {
    if (s.negative) continue;
    const rgb = hexRgb(classColor(s, classes));
    for (const poly of s.polygons) {
      const ring = poly[0];
      if (!ring) continue;
      const pts = new Float64Array(ring.length * 2);
      ring.forEach((p, j) => {
        pts[2 * j] = p[0];
        pts[2 * j + 1] = p[1];
      });
      out.push({ points: pts, rgb });
    }
  }
  return out;
}

function seconds(s: number): string {
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${Math.round(s % 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function progressLine(p: ExtractProgress): string {
  // the app's rates (core/export/progressRates.ts): the time left is what is left to read at the read rate
  const r = progressRates({ ...p, carriedSaved: 0 });
  const left = r.secondsLeft === null ? '?' : seconds(r.secondsLeft);
  return `${p.done}/${p.candidates} read, ${p.saved}/${p.target} saved, ${p.skippedStd} below std, ${p.failed} failed — ${r.readPerSecond.toFixed(1)} read/s, ${r.savedPerSecond.toFixed(1)} saved/s, ${left} left`;
}

export interface ExtractOptions {
  slide: string;
  out: string;
  params: PlanParamsInput;
  slideMpp?: number;
  annotations?: string;
  workers: number;
  /** keep identifying slide properties in slide.json */
  keepIdentifiers?: boolean;
  formats: ExportFormats;
  /** the key of the slide name's pseudonym (core/pseudonym.ts) */
  pseudonymKey?: string;
  label?: LabelRule;
  byClass?: boolean;
  /** a previous export's slide.json: the plan is made again from it */
  from?: string;
}

export function parseExtractArgs(argv: string[]): ExtractOptions | 'help' {
  const { values: v, positionals } = parseArgs({
    args: argv,
    options: {
      mpp: { type: 'string' },
      level: { type: 'string' },
      'slide-mpp': { type: 'string' },
      tile: { type: 'string' },
      stride: { type: 'string' },
      last: { type: 'string' },
      'std-threshold': { type: 'string' },
      'tissue-threshold': { type: 'string' },
      annotations: { type: 'string' },
      coverage: { type: 'string' },
      classes: { type: 'string' },
      limit: { type: 'string' },
      format: { type: 'string' },
      quality: { type: 'string' },
      naming: { type: 'string' },
      background: { type: 'string' },
      workers: { type: 'string' },
      'keep-identifiers': { type: 'boolean' },
      layout: { type: 'string' },
      'shard-mb': { type: 'string' },
      h5: { type: 'boolean' },
      parquet: { type: 'boolean' },
      pseudonym: { type: 'string' },
      label: { type: 'string' },
      'by-class': { type: 'boolean' },
      from: { type: 'string' },
      out: { type: 'string', short: 'o' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (v.help) return 'help';
  if (positionals.length !== 1) throw new ExtractUsageError(positionals.length === 0 ? 'SLIDE is required' : `one slide at a time, got ${positionals.length}`);
  if (!v.out) throw new ExtractUsageError('--out OUT.zip|DIR is required');
  if (v.mpp !== undefined && v.level !== undefined) throw new ExtractUsageError('give --mpp or --level, not both');
  const mpp = num(v.mpp, 'mpp', (n) => n > 0, 'a positive number');
  const level = num(v.level, 'level', (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer');
  const slideMpp = num(v['slide-mpp'], 'slide-mpp', (n) => n > 0, 'a positive number');
  const tile = pair(v.tile, 'tile') ?? [512, 512];
  const stride = pair(v.stride, 'stride') ?? tile;
  if (v.last !== undefined && !['drop', 'keep', 'shift'].includes(v.last)) throw new ExtractUsageError(`--last must be drop, keep or shift, got "${v.last}"`);
  const std = v['std-threshold'];
  const stdThreshold = std !== undefined && OFF.test(std) ? null : (num(std, 'std-threshold', (n) => n >= 0, 'a number >= 0 or "none"') ?? 8);
  const tissueThreshold = num(v['tissue-threshold'], 'tissue-threshold', (n) => n >= 0 && n <= 1, 'a fraction 0..1') ?? null;
  const cov = num(v.coverage, 'coverage', (n) => n >= 0 && n <= 1, 'a fraction 0..1');
  const classes = v.classes === undefined ? [] : v.classes.split(',').map((s) => s.trim()).filter(Boolean);
  if ((cov !== undefined || v.classes !== undefined) && v.annotations === undefined) throw new ExtractUsageError('--coverage and --classes need --annotations FILE');
  if (v.classes !== undefined && cov === undefined) throw new ExtractUsageError('--classes needs --coverage F (the fraction of the tile those classes must cover)');
  const limit = v.limit !== undefined && OFF.test(v.limit) ? null : (num(v.limit, 'limit', (n) => Number.isInteger(n) && n > 0, 'a positive integer or "none"') ?? 64);
  const format = v.format === undefined ? 'png' : v.format.toLowerCase() === 'jpg' ? 'jpeg' : v.format.toLowerCase();
  if (format !== 'png' && format !== 'jpeg') throw new ExtractUsageError(`--format must be png or jpeg, got "${v.format}"`);
  if (v.quality !== undefined && format !== 'jpeg') throw new ExtractUsageError('--quality is for --format jpeg');
  const q = num(v.quality, 'quality', (n) => n > 0 && n <= 100, 'a JPEG quality 0..1 or 1..100');
  const jpegQuality = q === undefined ? 90 : Math.max(1, Math.round(q <= 1 ? q * 100 : q));
  if (v.naming !== undefined && v.naming !== 'index' && v.naming !== 'qupath') throw new ExtractUsageError(`--naming must be index or qupath, got "${v.naming}"`);
  const background = num(v.background, 'background', (n) => Number.isInteger(n) && n >= 0 && n <= 255, 'an integer 0..255') ?? 255;
  const workers = num(v.workers, 'workers', (n) => Number.isInteger(n) && n >= 1 && n <= 64, 'an integer 1..64') ?? 1;
  if (v.label !== undefined && !(LABEL_RULES as readonly string[]).includes(v.label)) throw new ExtractUsageError(`--label must be ${LABEL_RULES.join(' or ')}, got "${v.label}"`);
  if (v.label !== undefined && v.annotations === undefined) throw new ExtractUsageError('--label needs --annotations FILE (the classes come from it)');
  if (v['by-class'] && v.label === undefined) throw new ExtractUsageError('--by-class needs --label largest|centre (the rule that picks a tile\'s class)');
  const planFlags = ['mpp', 'level', 'slide-mpp', 'tile', 'stride', 'last', 'std-threshold', 'tissue-threshold', 'coverage', 'classes', 'limit', 'format', 'quality', 'naming', 'background'] as const;
  const clash = planFlags.filter((f) => v[f] !== undefined);
  if (v.from !== undefined && clash.length > 0) throw new ExtractUsageError(`--from takes the plan from slide.json: drop ${clash.map((f) => `--${f}`).join(', ')}`);
  if (v.pseudonym === '') throw new ExtractUsageError('--pseudonym needs a key (any text you keep, to reproduce the names later)');
  if (v.layout !== undefined && !['tiles', 'webdataset', 'coords'].includes(v.layout)) throw new ExtractUsageError(`--layout must be tiles, webdataset or coords, got "${v.layout}"`);
  const shardMb = num(v['shard-mb'], 'shard-mb', (n) => n > 0, 'a size in MB > 0');
  if (shardMb !== undefined && v.layout !== 'webdataset') throw new ExtractUsageError('--shard-mb is for --layout webdataset');
  const layout = v.layout === 'webdataset' ? 'webdataset' : v.layout === 'coords' ? 'coords' : 'files';
  return {
    slide: positionals[0],
    out: v.out,
    slideMpp,
    annotations: v.annotations,
    workers,
    keepIdentifiers: v['keep-identifiers'] === true,
    ...(v.pseudonym !== undefined ? { pseudonymKey: v.pseudonym } : {}),
    ...(v.from !== undefined ? { from: v.from } : {}),
    ...(v.label !== undefined ? { label: v.label as LabelRule, byClass: v['by-class'] === true } : {}),
    formats: { layout, h5: v.h5 === true, parquet: v.parquet === true, ...(shardMb !== undefined ? { shardBytes: Math.round(shardMb * 1024 * 1024) } : {}) },
    params: {
      resolution: level !== undefined ? { mode: 'level', level } : { mode: 'mpp', mpp: mpp ?? 0.5 },
      tile,
      stride,
      last: (v.last ?? 'shift') as 'drop' | 'keep' | 'shift',
      stdThreshold,
      tissueThreshold,
      coverage: cov === undefined ? null : { min: cov, classes },
      limit,
      format,
      jpegQuality,
      naming: (v.naming ?? 'index') as 'index' | 'qupath',
      background,
    },
  };
}

async function readOverview(slide: SlideSource): Promise<{ image: RGBAImage; downsample: number } | null> {
  const level = overviewLevel(slide.info);
  if (level === null) return null;
  const l = slide.info.levels[level];
  const image = await slide.readRegion(level0(0), level0(0), level, levelPx(l.width), levelPx(l.height));
  return { image, downsample: l.downsample };
}

/**
 * Runs the export. Returns the exit code: 0 done, 3 when some tile reads failed (the export is
 * still written, with the failures in tiles.csv). Engine errors opening the slide are thrown for
 * the caller's exit codes; usage errors as ExtractUsageError.
 */
export async function extractCommand(argv: string[], io: ExtractIO, openPool: PoolOpener = openNodePool): Promise<number> {
  const opts = parseExtractArgs(argv);
  if (opts === 'help') {
    io.stdout(EXTRACT_USAGE + '\n');
    return 0;
  }
  const started = performance.now();
  const slide = await openPool(opts.slide, opts.workers);
  try {
    const info = slide.info;
    const originalName = path.basename(opts.slide);
    // with a pseudonym, the original name goes nowhere in the export: every name below is derived from slideName
    const slideName = opts.pseudonymKey !== undefined ? await pseudonymFor(originalName, opts.pseudonymKey) : originalName;
    const pseudonym = slideName !== originalName ? { original: originalName, pseudonym: slideName } : undefined;

    let shapes: AnnotationShape[] | null = null;
    let annotationFile: { name: string; sha256: string } | undefined;
    if (opts.annotations) {
      const bytes = await readFile(opts.annotations);
      // slide.json names the file and its hash: the coverage is reproducible from that exact file
      const annotationName = path.basename(opts.annotations);
      annotationFile = { name: pseudonym ? renameInValue(annotationName, originalName, slideName) : annotationName, sha256: createHash('sha256').update(bytes).digest('hex') };
      const text = bytes.toString('utf8');
      let set;
      try {
        set = parseAnnotations(text, path.basename(opts.annotations), { offset: boundsOffset(info) });
      } catch (e) {
        // the file at fault is the annotation file, not the slide the command line names first
        throw e instanceof AnnotationError ? Object.assign(e, { file: opts.annotations }) : e;
      }
      shapes = set.shapes;
      const ig = set.ignored;
      if (ig.points + ig.lines + ig.other > 0) io.stderr(`note: ${opts.annotations}: ignored ${ig.points} point(s), ${ig.lines} line(s), ${ig.other} other geometries without area\n`);
    }

    // --from: the previous export's plan, and what may make this one differ
    const reopened = opts.from ? reopenSlideJson(await readFile(opts.from, 'utf8'), info) : null;
    if (reopened) {
      for (const w of reopened.warnings) io.stderr(`warning: ${w}\n`);
      const theirs = reopened.annotationFile;
      if (theirs && !annotationFile) io.stderr(`warning: the export used annotations from ${theirs.name}: give --annotations to plan with them\n`);
      else if (theirs && annotationFile && theirs.sha256 !== annotationFile.sha256) io.stderr(`warning: ${annotationFile.name} is not the annotation file the export used (${theirs.name}, sha256 ${theirs.sha256.slice(0, 12)}…)\n`);
    }
    const params = reopened?.params ?? opts.params;
    const mppOverride = reopened ? reopened.mppOverride : opts.slideMpp;

    // plan.png's backdrop and the tissue mask, as the app's overview: the same mode (auto unless a
    // re-opened plan says otherwise) and the same morphology, sized in µm with planning's µm/px
    const overview = await readOverview(slide);
    const bg = params.background ?? 255;
    const typedMpp = mppOverride === undefined ? undefined : typeof mppOverride === 'number' ? mppOverride : mppOverride.x;
    const mpp0 = planningMpp(info, typedMpp);
    const mode = reopened?.tissue ? ((reopened.tissue as { mode?: string }).mode ?? reopened.tissue.channel) : 'auto';
    if (!(TISSUE_MODES as readonly string[]).includes(mode)) throw new Error(`slide.json's tissue rule has an unknown mode "${mode}"`);
    const tissue: TissueMask | undefined = overview
      ? tissueMaskFromRGBA(overview.image.data, overview.image.width, overview.image.height, overview.downsample, {
          background: bg,
          channel: mode as TissueMode,
          morphology: tissueMorphologyFor(mpp0 !== null ? mpp0 * overview.downsample : null),
        })
      : undefined;
    if (!tissue && params.tissueThreshold != null) {
      throw new Error(`--tissue-threshold needs a tissue mask, but no level of ${slideName} is small enough to read whole (≤ ${MAX_PIXELS / 1e6} M pixels)`);
    }

    let plan: Plan;
    try {
      plan = makePlan(info, params, { annotations: shapes ?? undefined, tissue, mppOverride, ...(reopened ? { manual: reopened.manual } : {}) });
    } catch (e) {
      if (e instanceof MissingMppError) throw new Error(`${e.message} (--level L, or --slide-mpp U)`, { cause: e });
      throw e;
    }
    for (const w of plan.warnings) io.stderr(`warning: ${w}\n`);
    if (reopened && (plan.level !== reopened.expected.level || plan.grid.count !== reopened.expected.tiles)) {
      io.stderr(`warning: this plan has ${plan.grid.count} tiles at level ${plan.level}; the export had ${reopened.expected.tiles} at level ${reopened.expected.level}\n`);
    }
    const candidates = candidateIndices(plan);
    const labels = opts.label && shapes ? classLabels(plan, shapes, opts.label) : undefined;

    const zip = /\.zip$/i.test(opts.out);
    const zipSink = zip ? await openZipFileSink(opts.out) : null;
    const sink: TileSink = zipSink ?? new DirectorySink(opts.out);

    let lastDraw = 0;
    const draw = (p: ExtractProgress, force = false) => {
      const now = performance.now();
      if (!force && now - lastDraw < 100) return;
      lastDraw = now;
      io.stderr(`\r\x1b[2K${progressLine(p)}`);
    };
    let out: Awaited<ReturnType<typeof runExport>>;
    try {
      out = await runExport({
        job: exportJobFor(plan, { slide, slideName, candidates, ...(opts.byClass ? { byClass: labels } : {}) }),
        sink,
        tables: makeTables(plan, info, [slideName], new Map(), shapes, { identifying: opts.keepIdentifiers, annotationFile, pseudonym, labels, byClass: opts.byClass }),
        overview,
        acceptedBoxes: candidates,
        rings: shapes ? ringsOf(shapes) : [],
        downsample: plan.downsample,
        // the app's figure: legend with the parameters, boxes per decision; the crops panel is cut
        // from the overview (Node has no image decoder for the saved JPEG tiles)
        figure: {
          plan,
          slideName,
          slideSize: [info.levels[0].width, info.levels[0].height],
          classes: shapes ? classNames(shapes).map((name) => ({ name, rgb: hexRgb(classColor(shapes!.find((s) => s.className === name)!, classNames(shapes!))) })) : [],
        },
        formats: opts.formats,
        signal: io.signal,
        onTile: io.progress ? (_o, p) => draw(p) : undefined,
      });
    } catch (e) {
      // OUT.zip.part goes away: no half zip is left behind, under either name
      await zipSink?.abort(e);
      throw e;
    }
    if (io.progress) {
      draw(out.result, true);
      io.stderr('\n');
    }

    const r = out.result;
    const m = plan.mpp ? `${plan.mpp.x.toPrecision(4)} µm/px` : 'µm/px unknown';
    const secs = (performance.now() - started) / 1000;
    const stopped = r.cancelled ? ' (cancelled)' : r.reachedLimit ? ` (limit ${plan.params.limit} reached)` : '';
    io.stdout(
      `${opts.out}: saved ${r.saved} tiles${stopped} of ${candidates.length} candidates / ${plan.grid.count} planned at level ${plan.level} (${m}); ` +
        `${r.skippedStd} below std, ${r.failed} failed reads; ${seconds(secs)}, ${((r.done * 1000) / Math.max(1, r.elapsedMs)).toFixed(1)} tiles/s\n`,
    );
    if (r.failed > 0) {
      const first = r.outcomes.find((o) => o.status === 'failed');
      io.stderr(`slidetile: ${opts.slide}: ${r.failed} tile read(s) failed, first at tile ${first?.index}: ${first?.error}\n`);
      return 3;
    }
    return r.cancelled ? 130 : 0;
  } finally {
    await slide.close();
  }
}
