// Which way an export is written, and why — decided before it starts, from its estimated size
// (core/export/sizeEstimate.ts), so the UI can say so.
//   folder      the user asked for a folder and the browser can write one (File System Access)
//   zip-stream  the default: the zip is streamed entry by entry to an ordinary download through the
//               app's service worker (downloadSink.ts), in every browser that has one; memory stays
//               bounded whatever the size, and nothing has to be picked
//   zip         the fallback, when no service worker controls the page (first visit before it took
//               over, a hard reload, a browser without service workers): the zip is built in memory
//               and downloaded when done

/** A zip in memory above this is likely to exhaust the tab; only the fallback path warns about it. */
export const STREAM_THRESHOLD_BYTES = 1024 ** 3;

export type ExportPath = 'folder' | 'zip-stream' | 'zip';

export interface PathChoice {
  path: ExportPath;
  estimateBytes: number;
  why: string;
}

import type { SizeEstimate } from '../core/export/sizeEstimate.ts';

const gb = (b: number) => (b >= 1024 ** 3 ? `${(b / 1024 ** 3).toFixed(1)} GB` : `${Math.max(1, Math.round(b / 1024 ** 2))} MB`);

export function chooseExportPath(o: {
  estimateBytes: number;
  toFolder: boolean;
  canFolder: boolean;
  /** a zip can be streamed to a download (a service worker controls the page) */
  canStream?: boolean;
  /** why it cannot, for the panel (downloadSink.ts's streamUnavailableReason) */
  streamWhyNot?: string | null;
  threshold?: number;
}): PathChoice {
  const threshold = o.threshold ?? STREAM_THRESHOLD_BYTES;
  const est = o.estimateBytes;
  const canStream = o.canStream ?? false;
  if (o.toFolder && o.canFolder)
    return { path: 'folder', estimateBytes: est, why: 'tiles are written one by one into a folder you pick (File System Access); nothing large is held in memory.' };
  if (canStream)
    return {
      path: 'zip-stream',
      estimateBytes: est,
      why: "the zip is streamed entry by entry to a normal download as tiles are read (through the app's own service worker, nothing leaves this machine), so memory stays small whatever the size.",
    };
  const whyNot = o.streamWhyNot ?? 'no service worker controls this page';
  if (est > threshold)
    return {
      path: 'zip',
      estimateBytes: est,
      why: `about ${gb(est)}, over ${gb(threshold)}, but the zip cannot be streamed (${whyNot}): it is built in memory and may run out of it — reload the page, lower the limit or write into a folder.`,
    };
  return { path: 'zip', estimateBytes: est, why: `the zip cannot be streamed (${whyNot}), so it is collected in memory, then downloaded.` };
}

/** Bytes for people: "850 KB", "12.4 MB", "3.1 GB". */
export function humanBytes(b: number): string {
  if (b >= 1024 ** 3) return `${(b / 1024 ** 3).toFixed(1)} GB`;
  if (b >= 1024 ** 2) return `${(b / 1024 ** 2).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(b / 1024))} KB`;
}

/**
 * The estimate in words, saying where each part comes from, e.g. "about 9.8 MB: 24 tiles × 391 KB
 * (mean of 8 PNG tiles of this plan, encoded to measure), plan.png 610 KB, tables 7 KB".
 */
export function describeEstimate(e: SizeEstimate, o: { tiles: number; format: 'png' | 'jpeg'; upperBound: boolean; planPngMeasured: boolean }): string {
  const fmt = o.format === 'png' ? 'PNG' : 'JPEG';
  const per =
    e.measured > 0
      ? `mean of ${e.measured.toLocaleString('en-US')} ${fmt} tile${e.measured === 1 ? '' : 's'} of this plan, encoded to measure`
      : `typical H&E ${fmt} until tiles of this plan are measured`;
  const png = `plan.png ${o.planPngMeasured ? '' : '~'}${humanBytes(e.planPng)}`;
  return `${o.upperBound ? 'at most about' : 'about'} ${humanBytes(e.total)}: ${o.tiles.toLocaleString('en-US')} tile${o.tiles === 1 ? '' : 's'} × ${humanBytes(e.perTile)} (${per}), ${png}, tables ${humanBytes(e.tables)}`;
}
