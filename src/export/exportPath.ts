// Which way an export is written, and why — decided before it starts so the UI can say so.
//   folder      the user asked for a folder and the browser can write one (File System Access)
//   zip-stream  the estimate is over STREAM_THRESHOLD and the browser can save to a picked file:
//               the zip is written entry by entry into it, memory stays bounded
//   zip         otherwise: the zip is built in memory and downloaded (works in every browser)

/** Exports estimated above this are streamed into a file when the browser allows. Change here. */
export const STREAM_THRESHOLD_BYTES = 1024 ** 3;

export type ExportPath = 'folder' | 'zip-stream' | 'zip';

export interface PathChoice {
  path: ExportPath;
  estimateBytes: number;
  why: string;
}

/**
 * Rough bytes per tile pixel, from typical H&E tiles: PNG of RGB about 2 B/px, JPEG about 0.1 B/px
 * at quality 50 rising to about 0.5 B/px at 95. Only used to pick the path, never to promise a size.
 */
export function bytesPerPixel(format: 'png' | 'jpeg', jpegQuality: number): number {
  if (format === 'png') return 2;
  const q = Math.min(100, Math.max(1, jpegQuality)) / 100;
  return 0.08 + 0.45 * q ** 3;
}

export function estimateExportBytes(tiles: number, tileW: number, tileH: number, format: 'png' | 'jpeg', jpegQuality: number): number {
  // + ~100 B per tile for its zip entries and its tiles.csv row
  return Math.round(tiles * (tileW * tileH * bytesPerPixel(format, jpegQuality) + 100));
}

const gb = (b: number) => (b >= 1024 ** 3 ? `${(b / 1024 ** 3).toFixed(1)} GB` : `${Math.max(1, Math.round(b / 1024 ** 2))} MB`);

export function chooseExportPath(o: {
  estimateBytes: number;
  toFolder: boolean;
  canFolder: boolean;
  canSaveFile: boolean;
  threshold?: number;
}): PathChoice {
  const threshold = o.threshold ?? STREAM_THRESHOLD_BYTES;
  const est = o.estimateBytes;
  const big = est > threshold;
  if (o.toFolder && o.canFolder)
    return { path: 'folder', estimateBytes: est, why: `about ${gb(est)}: tiles are written one by one into a folder you pick (File System Access); nothing large is held in memory.` };
  if (big && o.canSaveFile)
    return {
      path: 'zip-stream',
      estimateBytes: est,
      why: `about ${gb(est)}, over the ${gb(threshold)} a zip in memory is allowed: the zip is streamed into a file you pick, entry by entry, so memory stays small.`,
    };
  if (big)
    return {
      path: 'zip',
      estimateBytes: est,
      why: `about ${gb(est)}, over ${gb(threshold)}, but this browser cannot save to a picked file (no File System Access): the zip is built in memory and may run out of it — lower the limit or use Chromium.`,
    };
  return { path: 'zip', estimateBytes: est, why: `about ${gb(est)}: tiles are collected into a zip in memory, then downloaded.` };
}
