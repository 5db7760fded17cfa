// One export: read + filter + encode the candidate tiles (extractTiles), write them to a sink, then
// the tables (tiles.csv, slide.json, ratiopath_recipe.py) and plan.png. Browser and Node alike: the
// sink, the PNG encoder and the table builders are passed in.
import type { RGBAImage } from '../engine/types.ts';
import { extractTiles, type ExtractJob, type ExtractProgress, type ExtractResult, type TileOutcome } from './extract.ts';
import { renderPlan, type PlanBox, type PlanRing, type PngEncoder } from './planImage.ts';
import type { TileSink } from './sink.ts';
import { journalLine } from './resume.ts';

/** What the tables need to know after the run: the final decision per tile is the caller's plan. */
export interface Tables {
  /** tiles.csv for the plan after applying `result` (every planned tile, saved ones with file names) */
  tilesCsv(result: ExtractResult, files: ReadonlyMap<number, string>): string;
  slideJson(result: ExtractResult): string;
  recipe(): string;
  /** more files to include, e.g. the annotations the recipe reads */
  extraFiles?(): [string, string | Uint8Array][];
}

export interface ExportInput {
  job: Omit<ExtractJob, 'signal'>;
  sink: TileSink;
  tables: Tables;
  /** overview for plan.png, with its level-0 px per pixel; null skips plan.png */
  overview: { image: RGBAImage; downsample: number } | null;
  /** accepted-but-not-saved boxes are drawn thin, saved ones thick */
  acceptedBoxes?: ArrayLike<number>;
  rings: PlanRing[];
  encodePng: PngEncoder;
  downsample: number;
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
}

const BLUE: [number, number, number] = [31, 111, 235];
const FAINT: [number, number, number] = [140, 170, 220];

export async function runExport(input: ExportInput): Promise<ExportOutput> {
  const files = new Map<number, string>();
  const written: string[] = [];
  const write = async (path: string, data: Uint8Array | string) => {
    await input.sink.write(path, data);
    written.push(path);
  };
  const result = await extractTiles({ ...input.job, signal: input.signal }, async (o, p, bytes) => {
    if (o.status === 'saved' && bytes && o.path) await write(o.path, bytes);
    // a tile carried over from an interrupted run is saved, its file already there
    if (o.status === 'saved' && o.path) files.set(o.index, o.path);
    if (input.journal && !o.carried) await input.journal.append(journalLine(o, bytes?.byteLength ?? 0));
    input.onTile?.(o, p, bytes);
  });
  await write('tiles.csv', input.tables.tilesCsv(result, files));
  await write('slide.json', input.tables.slideJson(result));
  await write('ratiopath_recipe.py', input.tables.recipe());
  for (const [p, data] of input.tables.extraFiles?.() ?? []) await write(p, data);
  if (input.overview) {
    const { origins, tileW, tileH } = input.job;
    const ds = input.downsample;
    const box = (i: number, saved: boolean): PlanBox => ({
      x: origins[2 * i] * ds,
      y: origins[2 * i + 1] * ds,
      w: tileW * ds,
      h: tileH * ds,
      rgb: saved ? BLUE : FAINT,
      width: saved ? 2 : 1,
    });
    const boxes: PlanBox[] = [];
    const saved = new Set(files.keys());
    if (input.acceptedBoxes) for (let k = 0; k < input.acceptedBoxes.length; k++) if (!saved.has(input.acceptedBoxes[k])) boxes.push(box(input.acceptedBoxes[k], false));
    for (const i of saved) boxes.push(box(i, true));
    const pic = renderPlan(input.overview.image, input.overview.downsample, boxes, input.rings);
    await write('plan.png', await input.encodePng(pic));
  }
  const archive = await input.sink.close();
  return { result, archive, files, written };
}
