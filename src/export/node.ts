// The export's Node pieces for the CLI: a sink writing into a directory, and a zip streamed into a
// file entry by entry. The browser never imports this file.
import { mkdir, open, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { StreamZipSink, type TileSink } from './sink.ts';
import type { ByteWritable } from './zipStream.ts';

export class DirectorySink implements TileSink {
  readonly kind = 'folder' as const;
  private made = new Set<string>();
  constructor(private readonly root: string) {}
  async write(p: string, data: Uint8Array | string): Promise<void> {
    const full = path.join(this.root, ...p.split('/'));
    const dir = path.dirname(full);
    if (!this.made.has(dir)) {
      await mkdir(dir, { recursive: true });
      this.made.add(dir);
    }
    await writeFile(full, data);
  }
  async close(): Promise<null> {
    return null;
  }
}

/**
 * A file written as `FILE.part` and renamed to `FILE` only when closed, so a run that fails or is
 * killed never leaves a half-written file under the finished name. Each write resolves once the
 * kernel has the bytes: the writer waits, which is the backpressure (memory holds one entry).
 */
export class PartFileWritable implements ByteWritable {
  private constructor(
    private readonly fh: FileHandle,
    readonly file: string,
    readonly part: string,
  ) {}

  static async open(file: string): Promise<PartFileWritable> {
    const part = `${file}.part`;
    return new PartFileWritable(await open(part, 'w'), file, part);
  }

  async write(chunk: Uint8Array<ArrayBuffer>): Promise<void> {
    for (let at = 0; at < chunk.length; ) {
      const { bytesWritten } = await this.fh.write(chunk, at, chunk.length - at);
      at += bytesWritten;
    }
  }

  async close(): Promise<void> {
    await this.fh.close();
    await rename(this.part, this.file);
  }

  async abort(): Promise<void> {
    await this.fh.close().catch(() => {}); // closed already when close() failed at the rename
    await rm(this.part, { force: true });
  }
}

/** The app's streamed zip (ZIP64 when large) into `file`, via `file.part`. */
export async function openZipFileSink(file: string): Promise<StreamZipSink> {
  return new StreamZipSink(await PartFileWritable.open(file), path.basename(file));
}
