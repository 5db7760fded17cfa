// Where extracted files go: a zip streamed entry by entry into a byte stream (StreamZipSink; the
// default writes it to a browser download through the service worker, downloadSink.ts), a folder
// the user picked (File System Access API), or — only as the fallback when no service worker
// controls the page — a zip built in memory (JSZip). The CLI can pass its own sink (node:fs).
import type JSZip from 'jszip';
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
  // imported when a ZipSink is made, so JSZip stays out of the page's first load
  private zip: Promise<JSZip> = import('jszip').then(({ default: Zip }) => new Zip());
  private bytes = 0;
  constructor(private readonly output: 'blob' | 'uint8array' = 'blob') {}
  async write(path: string, data: Uint8Array | string): Promise<void> {
    // png/jpeg are compressed already: storing them keeps zipping fast
    (await this.zip).file(path, data, { compression: isCompressed(path) ? 'STORE' : 'DEFLATE', binary: typeof data !== 'string' });
    this.bytes += typeof data === 'string' ? data.length : data.byteLength;
  }
  get size(): number {
    return this.bytes;
  }
  async close(): Promise<Uint8Array | Blob> {
    return (await this.zip).generateAsync({ type: this.output, streamFiles: true, compressionOptions: { level: 6 } });
  }
}

/** The subset of FileSystemDirectoryHandle we use (typed here: lib.dom lacks createWritable in places). */
interface Writable {
  write(d: BufferSource | string | { type: 'write'; position: number; data: BufferSource | string }): Promise<void>;
  close(): Promise<void>;
}
interface FileHandle {
  createWritable(o?: { keepExistingData?: boolean }): Promise<Writable>;
  getFile(): Promise<Blob>;
}
interface DirHandle {
  name: string;
  getDirectoryHandle(name: string, o?: { create?: boolean }): Promise<DirHandle>;
  getFileHandle(name: string, o?: { create?: boolean }): Promise<FileHandle>;
}

const notFound = (e: unknown) => e instanceof DOMException && (e.name === 'NotFoundError' || e.name === 'TypeMismatchError');

/** Lines buffered, then appended to a file in the folder; `flush` writes what is buffered. */
export interface Appender {
  append(line: string): Promise<void>;
  flush(): Promise<void>;
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
  private async file(path: string, create: boolean): Promise<FileHandle | null> {
    const i = path.lastIndexOf('/');
    try {
      const dir = create ? await this.dir(i < 0 ? '' : path.slice(0, i)) : await this.existingDir(i < 0 ? '' : path.slice(0, i));
      return dir ? await dir.getFileHandle(path.slice(i + 1), { create }) : null;
    } catch (e) {
      if (!create && notFound(e)) return null;
      throw e;
    }
  }
  private async existingDir(path: string): Promise<DirHandle | null> {
    let d = this.root;
    for (const part of path.split('/').filter(Boolean)) {
      try {
        d = await d.getDirectoryHandle(part);
      } catch (e) {
        if (notFound(e)) return null;
        throw e;
      }
    }
    return d;
  }
  async write(path: string, data: Uint8Array | string): Promise<void> {
    const fh = (await this.file(path, true))!;
    // the browser writes into a swap file and moves it into place on close: a file is whole or absent
    const w = await fh.createWritable();
    await w.write(typeof data === 'string' ? data : (data as Uint8Array<ArrayBuffer>));
    await w.close();
  }
  /** A file's size, or null when it is not there (resume checks what an earlier run wrote). */
  async sizeOf(path: string): Promise<number | null> {
    const fh = await this.file(path, false);
    return fh ? (await fh.getFile()).size : null;
  }
  /** A text file's contents, or null when it is not there. */
  async readText(path: string): Promise<string | null> {
    const fh = await this.file(path, false);
    return fh ? (await fh.getFile()).text() : null;
  }
  /**
   * Appends lines to `path` in batches (one write per `every` lines, and on flush), keeping what the
   * file holds: a journal that survives the tab being closed, up to its last flush.
   */
  appender(path: string, every = 64): Appender {
    let buffered: string[] = [];
    let chain = Promise.resolve();
    const flush = () => {
      if (buffered.length === 0) return chain;
      const text = buffered.join('');
      buffered = [];
      chain = chain.then(async () => {
        const fh = (await this.file(path, true))!;
        const at = (await fh.getFile()).size;
        const w = await fh.createWritable({ keepExistingData: true });
        await w.write({ type: 'write', position: at, data: text });
        await w.close();
      });
      return chain;
    };
    return {
      append: async (line) => {
        buffered.push(line);
        if (buffered.length >= every) await flush();
      },
      flush,
    };
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

