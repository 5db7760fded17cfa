// PNG files for the CLI (Node has no canvas): pngjs, pure JS.
import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';

/** Writes 8-bit RGBA (channels 4) or RGB (channels 3) pixels as a PNG of the same colour type. */
export function writePng(file: string, width: number, height: number, data: Uint8Array, channels: 3 | 4): void {
  const png = { width, height, data: Buffer.from(data.buffer, data.byteOffset, data.byteLength) } as unknown as PNG;
  const colorType = channels === 4 ? 6 : 2;
  writeFileSync(file, PNG.sync.write(png, { colorType, inputColorType: colorType, inputHasAlpha: channels === 4 }));
}
