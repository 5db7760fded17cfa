// Resuming an export into a folder that was interrupted (tab closed, machine slept): the folder holds
// `slidetile-export.json` (what is being exported: the slide and the plan, written first) and
// `slidetile-progress.csv` (one line per committed tile, appended as the run goes, in grid order).
// A new run of the same plan into the same folder reads both, checks every saved tile's file is
// there with the size the journal recorded, and carries those outcomes over (extractTiles' `known`):
// only what is missing is read and written. A file that is missing or has another size is read again.
import { SLIDETILE_VERSION, type Plan, type SlideInfo } from '../core/index.ts';
import { failureText, type KnownOutcome, type TileOutcome, type TileStatus } from './extract.ts';

export const EXPORT_MANIFEST = 'slidetile-export.json';
export const PROGRESS_JOURNAL = 'slidetile-progress.csv';
const JOURNAL_HEADER = 'index,status,std,bytes,error';

/** What identifies an export: the same slide and the same plan give the same identity. */
export function exportIdentity(plan: Plan, info: SlideInfo, slideName: string): string {
  return JSON.stringify({
    slide: slideName,
    // OpenSlide's hash of the slide's bytes where the format has one; else the levels and properties
    quickhash: info.properties['openslide.quickhash-1'] ?? null,
    levels: info.levels.map((l) => [l.width, l.height]),
    params: plan.params,
    level: plan.level,
    tiles: plan.grid.count,
    // manual choices change which tiles are saved
    manual: manualDigest(plan.manual),
  });
}

function manualDigest(m: Uint8Array): string {
  let out = '';
  for (let i = 0; i < m.length; i++) if (m[i] !== 0) out += `${i}:${m[i]};`;
  return out;
}

export function exportManifest(plan: Plan, info: SlideInfo, slideName: string): string {
  return JSON.stringify({ slidetile: SLIDETILE_VERSION, identity: exportIdentity(plan, info, slideName), started: 'interrupted runs of this plan can resume here' }, null, 2) + '\n';
}

/** The identity a manifest records, or null when it is not a Slidetile export manifest. */
export function manifestIdentity(text: string): string | null {
  try {
    const o = JSON.parse(text) as { identity?: unknown };
    return typeof o.identity === 'string' ? o.identity : null;
  } catch {
    return null;
  }
}

export function journalHeader(): string {
  return JOURNAL_HEADER + '\n';
}

const quote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** One journal line for a committed outcome; `bytes` is the saved file's size (0 otherwise). */
export function journalLine(o: TileOutcome, bytes: number): string {
  return `${o.index},${o.status},${o.std === null ? '' : String(o.std)},${bytes},${quote(failureText(o))}\n`;
}

export interface JournalEntry extends KnownOutcome {
  index: number;
  /** the saved file's size in bytes (0 unless saved) */
  bytes: number;
}

const STATUSES: readonly TileStatus[] = ['saved', 'std', 'failed'];

/**
 * Parses a journal. A last line cut short by the interruption (no newline, or unparsable) is
 * dropped: that tile is simply done again.
 */
export function parseJournal(text: string): JournalEntry[] {
  const out: JournalEntry[] = [];
  const complete = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  const lines = complete.split('\n');
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k];
    if (!line || (k === 0 && line === JOURNAL_HEADER)) continue;
    const m = /^(\d+),(saved|std|failed),([^,]*),(\d+),(.*)$/.exec(line);
    if (!m || !STATUSES.includes(m[2] as TileStatus)) continue;
    const std = m[3] === '' ? null : Number(m[3]);
    if (std !== null && !Number.isFinite(std)) continue;
    let error: string | null = m[5] === '' ? null : m[5];
    if (error?.startsWith('"')) error = error.slice(1, -1).replace(/""/g, '"');
    out.push({ index: Number(m[1]), status: m[2] as TileStatus, std, bytes: Number(m[4]), error });
  }
  return out;
}

/**
 * The outcomes a resumed run may carry over: journal entries whose saved file is present with the
 * recorded size (`sizeOf` answers null when the file is missing). Read failures are tried again
 * (a failed read may have been the disk, not the slide).
 */
export async function carriedOutcomes(
  entries: readonly JournalEntry[],
  pathFor: (i: number) => string,
  sizeOf: (path: string) => Promise<number | null>,
): Promise<{ known: Map<number, KnownOutcome>; missing: number }> {
  const known = new Map<number, KnownOutcome>();
  let missing = 0;
  for (const e of entries) {
    if (e.status === 'failed') continue;
    if (e.status === 'saved') {
      const size = await sizeOf(pathFor(e.index));
      if (size === null || size !== e.bytes || size === 0) {
        missing++;
        continue;
      }
    }
    known.set(e.index, { status: e.status, std: e.std, error: e.error });
  }
  return { known, missing };
}
