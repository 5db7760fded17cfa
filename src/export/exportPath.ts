// Which way an export is written, and why — decided before it starts so the UI can say so.
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
    return { path: 'folder', estimateBytes: est, why: `about ${gb(est)}: tiles are written one by one into a folder you pick (File System Access); nothing large is held in memory.` };
  if (canStream)
    return {
      path: 'zip-stream',
      estimateBytes: est,
      why: `about ${gb(est)}: the zip is streamed entry by entry to a normal download as tiles are read (through the app's own service worker, nothing leaves this machine), so memory stays small whatever the size.`,
    };
  const whyNot = o.streamWhyNot ?? 'no service worker controls this page';
  if (est > threshold)
    return {
      path: 'zip',
      estimateBytes: est,
      why: `about ${gb(est)}, over ${gb(threshold)}, but the zip cannot be streamed (${whyNot}): it is built in memory and may run out of it — reload the page, lower the limit or write into a folder.`,
    };
  return { path: 'zip', estimateBytes: est, why: `about ${gb(est)}: the zip cannot be streamed (${whyNot}), so it is collected in memory, then downloaded.` };
}
