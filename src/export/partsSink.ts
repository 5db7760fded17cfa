// The fallback when a zip cannot be streamed to a download (no service worker controls the page):
// the zip is collected in memory and downloaded when done. So that this path too stays bounded at
// any export size, an export that outgrows one part is written as several complete zips of at most
// `partBytes` each: a part is handed over (downloaded) as soon as it is full and then let go. The
// tables (tiles.csv, slide.json, plan.png, the recipe) are written last, so they are in the last
// part; the parts unzipped into one folder are the export.
//
// The bytes gather in Blobs of a few MB, not in one growing array: the page holds at most one small
// buffer, and the browser keeps a Blob's bytes in its own storage (on disk when large).
import { ZipStreamWriter, type ByteWritable } from './zipStream.ts';
import type { TileSink } from './sink.ts';

/**
 * One part of 100 MB (~1,500 256-px PNG tiles): a part being written and the one the browser is still
 * saving are what this path holds; with 256-MB parts a 1.3 GB export peaked 1.29× above a small
 * one's memory, with 100 MB it stays within the 1.2× the other paths keep (bench/export.mjs).
 */
export const ZIP_PART_BYTES = 100 * 1024 * 1024;
/** The page's buffer before its bytes move into a Blob. */
const BLOB_CHUNK_BYTES = 8 * 1024 * 1024;

export interface ZipPart {
  /** 1-based */
  index: number;
  name: string;
  blob: Blob;
}

const isTile = (path: string) => /\.(png|jpe?g)$/i.test(path) && path.startsWith('tiles/');
const deflatable = (path: string) => !/\.(png|jpe?g)$/i.test(path);

/** Bytes written into Blobs of BLOB_CHUNK_BYTES. */
class BlobWritable implements ByteWritable {
  private chunks: Uint8Array<ArrayBuffer>[] = [];
  private buffered = 0;
  private blobs: Blob[] = [];
  async write(chunk: Uint8Array<ArrayBuffer>): Promise<void> {
    this.chunks.push(chunk);
    this.buffered += chunk.byteLength;
    if (this.buffered >= BLOB_CHUNK_BYTES) this.spill();
  }
  private spill() {
    if (this.chunks.length === 0) return;
    this.blobs.push(new Blob(this.chunks));
    this.chunks = [];
    this.buffered = 0;
  }
  async close(): Promise<void> {
    this.spill();
  }
  blob(): Blob {
    return new Blob(this.blobs, { type: 'application/zip' });
  }
}

export class ZipPartsSink implements TileSink {
  readonly kind = 'zip' as const;
  private out = new BlobWritable();
  private zip = new ZipStreamWriter(this.out, { deflate: deflatable });
  private parts = 0;
  private total = 0;

  /**
   * `base`: the zip's name without ".zip" (parts are "<base>.part1.zip", …; a single part is
   * "<base>.zip"). `onPart` gets every part but the last, which close() returns.
   */
  constructor(
    private readonly base: string,
    private readonly onPart: (part: ZipPart) => void | Promise<void>,
    private readonly partBytes = ZIP_PART_BYTES,
  ) {}

  /** The name of the zip close() returns: the whole export, or its last part. */
  get lastName(): string {
    return this.parts === 0 ? `${this.base}.zip` : `${this.base}.part${this.parts + 1}.zip`;
  }

  /** Parts handed over so far (the last one, from close(), not counted). */
  get partsDone(): number {
    return this.parts;
  }

  /** Bytes of every part so far, the open one included. */
  get size(): number {
    return this.total + this.zip.size;
  }

  async write(path: string, data: Uint8Array | string): Promise<void> {
    const bytes = typeof data === 'string' ? data.length * 3 : data.byteLength;
    // only a tile starts a new part: the tables that follow the tiles stay together in the last one
    if (isTile(path) && this.zip.count > 0 && this.zip.size + bytes + 1024 > this.partBytes) await this.nextPart();
    await this.zip.add(path, data);
  }

  private async nextPart() {
    await this.zip.close();
    this.parts++;
    this.total += this.zip.size;
    const part: ZipPart = { index: this.parts, name: `${this.base}.part${this.parts}.zip`, blob: this.out.blob() };
    this.out = new BlobWritable();
    this.zip = new ZipStreamWriter(this.out, { deflate: deflatable });
    await this.onPart(part);
  }

  async close(): Promise<Blob> {
    await this.zip.close();
    return this.out.blob();
  }
}
