// The export's Node pieces for the CLI: a PNG encoder (pngjs) and a sink writing into a directory.
// The browser never imports this file.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PNG } from 'pngjs';
import type { PngEncoder } from './planImage.ts';
import type { TileSink } from './sink.ts';

export const nodePngEncoder: PngEncoder = async (img) => {
  const png = new PNG({ width: img.width, height: img.height });
  png.data = Buffer.from(img.data.buffer, img.data.byteOffset, img.width * img.height * 4);
  return new Uint8Array(PNG.sync.write(png));
};

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
