// One export: read + filter + encode the candidate tiles (extractTiles), write them to a sink, then
// the tables (tiles.csv, slide.json, ratiopath_recipe.py) and plan.png. Browser and Node alike: the
// sink and the table builders are passed in.
import { REASONS, SLIDETILE_VERSION, sampleKey, slideStem, type Plan } from '../core/index.ts';
import type { RGBAImage } from '../engine/types.ts';
import { extractTiles, type ExtractJob, type ExtractProgress, type ExtractResult, type TileOutcome } from './extract.ts';
import {
  BOX,
  CropPicker,
  MAX_CROPS,
  boxKindOf,
  encodeIndexedPng,
  planLayout,
  planLegend,
  renderPlanFigure,
  type PlanRing,
  type RGB,
} from './planImage.ts';
import type { TileSink } from './sink.ts';
import { journalLine } from './resume.ts';
import { finalPlan } from './tables.ts';
import { TarShardWriter } from './formats/tarShards.ts';

/** What the tables need to know after the run: the final decision per tile is the caller's plan. */
export interface Tables {
  /** tiles.csv for the plan after applying `result` (every planned tile, saved ones with file names) */
  tilesCsv(result: ExtractResult, files: ReadonlyMap<number, string>): string;
  slideJson(result: ExtractResult): string;
  recipe(): string;
  /** more files to include, e.g. the annotations the recipe reads */
  extraFiles?(): [string, string | Uint8Array][];
  /** the dataset files `formats` asks for (coords.h5, tiles.parquet) over the selected tiles, in grid order */
  datasetFiles?(result: ExtractResult, selected: readonly number[], files: ReadonlyMap<number, string>, formats: ExportFormats): Promise<[string, Uint8Array][]>;
  /** a WebDataset sample's JSON for a saved tile */
  sampleJson?(o: TileOutcome): string;
}

/**
 * What the export holds besides tiles.csv, slide.json, the recipe and plan.png. `layout`: the saved
 * tiles as files under tiles/ (default); as WebDataset tar shards (a tile and its JSON per sample);
 * or not at all (coordinates only: the tiles are still read, for their std, but no pixels are kept).
 */
export interface ExportFormats {
  layout?: 'files' | 'webdataset' | 'coords';
  /** coords.h5 for CLAM and TRIDENT */
  h5?: boolean;
  /** tiles.parquet with ratiopath's Ray columns */
  parquet?: boolean;
  /** the most bytes a shard holds (webdataset; default 256 MB) */
  shardBytes?: number;
}

export const DEFAULT_SHARD_BYTES = 256 * 1024 * 1024;

/** What plan.png needs beyond the tile job: the plan's decisions and parameters, and the slide. */
export interface FigureContext {
  /** the plan the export started from (without the preview's limit marks) */
  plan: Plan;
  slideName: string;
  /** level-0 width and height */
  slideSize: [number, number];
  /** annotation classes with their outline colour, for the legend */
  classes?: { name: string; rgb: RGB }[];
  /** a saved tile's bytes decoded at most `maxSide` px, for the crops panel; without it crops are cut from the overview */
  decodeThumbnail?(bytes: Uint8Array, maxSide: number): Promise<RGBAImage>;
  /** reads the slide's overview when `overview` is null (the export started before it loaded) */
  loadOverview?(signal?: AbortSignal): Promise<{ image: RGBAImage; downsample: number } | null>;
}

export interface ExportInput {
  job: Omit<ExtractJob, 'signal'>;
  sink: TileSink;
  tables: Tables;
  /** the slide's picture for plan.png, with its level-0 px per pixel; null: figure.loadOverview, else a grey backdrop */
  overview: { image: RGBAImage; downsample: number } | null;
  /** tiles that passed every filter but std (drawn as accepted when no `figure.plan` says more) */
  acceptedBoxes?: ArrayLike<number>;
  rings: PlanRing[];
  downsample: number;
  figure?: FigureContext;
  formats?: ExportFormats;
  signal?: AbortSignal;
  /**
   * Resumable exports (a folder): where each committed tile's journal line goes (resume.ts),
   * after its file is written — so a line never promises a file that is not there.
   */
  journal?: { append(line: string): Promise<void> };
  /** after each tile is written; `bytes` (saved tiles only) must not be kept beyond what is shown */
  onTile?(o: TileOutcome, p: ExtractProgress, bytes: Uint8Array | null): void;
}

export interface ExportOutput {
  result: ExtractResult;
  /** zip bytes/blob from the sink, null for folder sinks */
  archive: Uint8Array | Blob | null;
  files: Map<number, string>;
  written: string[];
  /** plan.png's size in bytes */
  planPngBytes: number;
}

export async function runExport(input: ExportInput): Promise<ExportOutput> {
  const files = new Map<number, string>();
  const written: string[] = [];
  const write = async (path: string, data: Uint8Array | string) => {
    await input.sink.write(path, data);
    written.push(path);
  };
  const formats = input.formats ?? {};
  const layout = formats.layout ?? 'files';
  if (layout !== 'files' && input.journal) throw new Error(`a ${layout} export cannot be resumed: choose the tiles/ layout for a resumable folder`);
  const ext = input.job.format === 'png' ? 'png' : 'jpg';
  // a shard goes to the sink whole when full, so memory holds at most one shard of tiles
  const shards =
    layout === 'webdataset'
      ? new TarShardWriter({ write }, { prefix: `shards/${slideStem(input.figure?.slideName ?? 'tiles')}-`, maxBytes: formats.shardBytes ?? DEFAULT_SHARD_BYTES })
      : null;
  /** Puts a saved tile's bytes where the layout says; returns where they are ('' = nowhere). */
  const place = async (o: TileOutcome, bytes: Uint8Array): Promise<string> => {
    if (layout === 'coords') return '';
    if (!shards) {
      await write(o.path!, bytes);
      return o.path!;
    }
    const key = sampleKey(o.index);
    const json = input.tables.sampleJson?.(o) ?? JSON.stringify({ index: o.index, std: o.std });
    const shard = await shards.add([[`${key}.${ext}`, bytes], [`${key}.json`, json]]);
    return `${shard}#${key}.${ext}`;
  };
  const selected: number[] = [];
  // the crops panel: an evenly spread handful of the saved tiles' bytes, whatever the export's size
  const crops = new CropPicker<Uint8Array | null>();
  const result = await extractTiles({ ...input.job, signal: input.signal }, async (o, p, bytes) => {
    let where = o.path;
    if (o.status === 'saved' && bytes && o.path) where = await place(o, bytes);
    // a tile carried over from an interrupted run is saved, its file already there
    if (o.status === 'saved' && o.path) {
      selected.push(o.index);
      if (where) files.set(o.index, where);
      crops.offer(o.index, bytes);
    }
    if (input.journal && !o.carried) await input.journal.append(journalLine(o, bytes?.byteLength ?? 0));
    input.onTile?.(o, p, bytes);
  });
  await shards?.flush();
  await write('tiles.csv', input.tables.tilesCsv(result, files));
  await write('slide.json', input.tables.slideJson(result));
  await write('ratiopath_recipe.py', input.tables.recipe());
  for (const [p, data] of input.tables.extraFiles?.() ?? []) await write(p, data);
  if (formats.h5 || formats.parquet) {
    if (!input.tables.datasetFiles) throw new Error('this export cannot write coords.h5 or tiles.parquet (no dataset tables)');
    for (const [p, data] of await input.tables.datasetFiles(result, selected, files, formats)) await write(p, data);
  }
  // plan.png is always written: without the slide's picture it still shows the boxes and the legend
  const png = await planPng(input, result, selected, crops.pick());
  await write('plan.png', png);
  const archive = await input.sink.close();
  return { result, archive, files, written, planPngBytes: png.byteLength };
}

/** Each tile's decision as drawn: saved, or the final plan's reason (what tiles.csv says). */
function decisions(input: ExportInput, result: ExtractResult, selected: readonly number[]): Uint8Array {
  const n = input.job.origins.length / 2;
  const kind = new Uint8Array(n).fill(BOX.none);
  const plan = input.figure?.plan;
  if (plan) {
    const fp = finalPlan(plan, result);
    for (let i = 0; i < n; i++) kind[i] = boxKindOf(REASONS[fp.reason[i]]);
  } else {
    // only the job is known: the candidates and what the run decided about them
    const c = input.acceptedBoxes ?? input.job.candidates;
    for (let k = 0; k < c.length; k++) kind[c[k]] = BOX.accepted;
    let last = -1;
    for (const o of result.outcomes) {
      if (o.status === 'std') kind[o.index] = BOX.std;
      if (o.status === 'failed') kind[o.index] = BOX.readFailed;
      last = Math.max(last, o.index);
    }
    if (result.reachedLimit || result.cancelled)
      for (let k = 0; k < c.length; k++) if (c[k] > last) kind[c[k]] = result.reachedLimit ? BOX.limit : BOX.notReached;
  }
  for (const i of selected) kind[i] = BOX.saved;
  return kind;
}

async function planPng(input: ExportInput, result: ExtractResult, selected: readonly number[], picked: { index: number; item: Uint8Array | null }[]): Promise<Uint8Array> {
  const { job, figure } = input;
  const ds = input.downsample;
  let overview = input.overview;
  let noPicture: string | null = null;
  if (!overview && figure?.loadOverview) {
    try {
      // not tied to the export's signal: a cancelled export still finishes its zip, plan.png included
      overview = await figure.loadOverview();
    } catch (e) {
      noPicture = `the overview could not be read (${e instanceof Error ? e.message : String(e)})`;
    }
  }
  if (!overview && !noPicture) noPicture = 'no overview of this slide could be made';
  const slideSize: [number, number] = figure?.slideSize ?? (overview ? [overview.image.width * overview.downsample, overview.image.height * overview.downsample] : extentOf(job, ds));
  const kind = decisions(input, result, selected);
  const scale = planLayout(slideSize[0], slideSize[1], 0, 0).overview.scale;
  const legend = planLegend({
    plan: figure?.plan ?? null,
    kind,
    saved: result.saved,
    cancelled: result.cancelled,
    classes: figure?.classes ?? [],
    noPicture,
    boxPx: Math.min(job.tileW, job.tileH) * ds * scale,
  });
  // the crops' pictures: the saved bytes decoded small when the caller can, else cut from the overview
  const crops: { index: number; image: RGBAImage | null }[] = [];
  for (const c of picked) {
    let image: RGBAImage | null = null;
    if (c.item && figure?.decodeThumbnail) image = await figure.decodeThumbnail(c.item, 256).catch(() => null);
    crops.push({ index: c.index, image });
  }
  const fig = renderPlanFigure({
    title: `${figure?.slideName ?? 'slide'} — tile plan · Slidetile ${SLIDETILE_VERSION}`,
    slideSize,
    overview,
    tiles: { origins: job.origins, tileW: job.tileW, tileH: job.tileH, downsample: ds, kind },
    rings: input.rings,
    legend,
    crops,
    cropsCaption: result.saved > MAX_CROPS ? `${crops.length} of ${result.saved.toLocaleString('en-US')} saved crops, spread over the run (grid index)` : 'saved crops (grid index)',
  });
  return encodeIndexedPng(fig, { Software: `Slidetile ${SLIDETILE_VERSION}`, Title: `${figure?.slideName ?? 'slide'} tile plan` });
}

/** Level-0 extent covered by the grid, when nothing else gives the slide's size. */
function extentOf(job: ExportInput['job'], ds: number): [number, number] {
  let w = 1;
  let h = 1;
  for (let i = 0; i < job.origins.length; i += 2) {
    w = Math.max(w, (job.origins[i] + job.tileW) * ds);
    h = Math.max(h, (job.origins[i + 1] + job.tileH) * ds);
  }
  return [w, h];
}
