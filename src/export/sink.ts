// Where extracted files go: a zip streamed entry by entry into a byte stream (StreamZipSink; the
// default writes it to a browser download through the service worker, downloadSink.ts), a folder
// the user picked (File System Access API), or — only as the fallback when no service worker
// controls the page — a zip built in memory (JSZip). The CLI can pass its own sink (node:fs).
import JSZip from 'jszip';
import { ZipStreamWriter, type ByteWritable } from './zipStream.ts';

export interface TileSink {
  readonly kind: 'zip' | 'zip-stream' | 'folder' | 'custom';
  /** write one file; `path` uses '/' separators, e.g. "tiles/tile_00012.png" */
  write(path: string, data: Uint8Array | string): Promise<void>;
  /** finish writing; a zip sink returns its bytes */
  close(): Promise<Uint8Array | Blob | null>;
}

const isCompressed = (path: string) => /\.(png|jpe?g)$/i.test(path);

export class ZipSink implements TileSink {
  readonly kind = 'zip' as const;
  private zip = new JSZip();
  private bytes = 0;
  constructor(private readonly output: 'blob' | 'uint8array' = 'blob') {}
  async write(path: string, data: Uint8Array | string): Promise<void> {
    // png/jpeg are compressed already: storing them keeps zipping fast
    this.zip.file(path, data, { compression: isCompressed(path) ? 'STORE' : 'DEFLATE', binary: typeof data !== 'string' });
    this.bytes += typeof data === 'string' ? data.length : data.byteLength;
  }
  get size(): number {
    return this.bytes;
  }
  async close(): Promise<Uint8Array | Blob> {
    return this.zip.generateAsync({ type: this.output, streamFiles: true, compressionOptions: { level: 6 } });
  }
}

/** The subset of FileSystemDirectoryHandle we use (typed here: lib.dom lacks createWritable in places). */
interface DirHandle {
  name: string;
  getDirectoryHandle(name: string, o?: { create?: boolean }): Promise<DirHandle>;
  getFileHandle(name: string, o?: { create?: boolean }): Promise<{ createWritable(): Promise<{ write(d: BufferSource | string): Promise<void>; close(): Promise<void> }> }>;
}

export class FolderSink implements TileSink {
  readonly kind = 'folder' as const;
  private dirs = new Map<string, Promise<DirHandle>>();
  constructor(private readonly root: DirHandle) {}
  get name(): string {
    return this.root.name;
  }
  private dir(path: string): Promise<DirHandle> {
    if (!path) return Promise.resolve(this.root);
    let d = this.dirs.get(path);
    if (!d) {
      const i = path.lastIndexOf('/');
      const parent = i < 0 ? '' : path.slice(0, i);
      d = this.dir(parent).then((p) => p.getDirectoryHandle(path.slice(i + 1), { create: true }));
      this.dirs.set(path, d);
    }
    return d;
  }
  async write(path: string, data: Uint8Array | string): Promise<void> {
    const i = path.lastIndexOf('/');
    const dir = await this.dir(i < 0 ? '' : path.slice(0, i));
    const fh = await dir.getFileHandle(path.slice(i + 1), { create: true });
    const w = await fh.createWritable();
    await w.write(typeof data === 'string' ? data : (data as Uint8Array<ArrayBuffer>));
    await w.close();
  }
  async close(): Promise<null> {
    return null;
  }
}

/** Asks the user for a folder, when the browser can (Chromium's File System Access API). */
export async function pickFolderSink(): Promise<FolderSink | null> {
  const picker = (globalThis as unknown as { showDirectoryPicker?: (o?: object) => Promise<DirHandle> }).showDirectoryPicker;
  if (!picker) return null;
  const root = await picker({ mode: 'readwrite', id: 'slidetile-export' });
  return new FolderSink(root);
}

export const canWriteFolders = () => typeof (globalThis as { showDirectoryPicker?: unknown }).showDirectoryPicker === 'function';

/** Text files are deflated in the streamed zip; tiles are stored (PNG/JPEG are compressed already). */
const deflatable = (path: string) => !isCompressed(path);

/** A zip written entry by entry into a writable (a streamed download): memory stays bounded. */
export class StreamZipSink implements TileSink {
  readonly kind = 'zip-stream' as const;
  private readonly zip: ZipStreamWriter;
  constructor(
    out: ByteWritable,
    readonly name: string,
  ) {
    this.zip = new ZipStreamWriter(out, { deflate: deflatable });
  }
  get size(): number {
    return this.zip.size;
  }
  write(path: string, data: Uint8Array | string): Promise<void> {
    return this.zip.add(path, data);
  }
  async close(): Promise<null> {
    await this.zip.close();
    return null;
  }
  abort(reason?: unknown): Promise<void> {
    return this.zip.abort(reason);
  }
}

/**
 * @deprecated kept so App.tsx compiles while it still passes `canSaveFile: canSaveFiles()` to
 * chooseExportPath: it now means "a zip can be streamed to a download" (downloadSink.ts). The
 * showSaveFilePicker path is gone: the streamed download does the same in every browser, unasked.
 */
export const canSaveFiles = () => Boolean((globalThis as { navigator?: { serviceWorker?: { controller?: unknown } } }).navigator?.serviceWorker?.controller);
