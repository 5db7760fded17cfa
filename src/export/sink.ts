// Where extracted files go: a zip in memory (JSZip) or a folder the user picked (File System Access
// API). The CLI can pass its own sink that writes with node:fs.
import JSZip from 'jszip';

export interface TileSink {
  readonly kind: 'zip' | 'folder' | 'custom';
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
