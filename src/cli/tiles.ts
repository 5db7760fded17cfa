// The export pipeline's tile reader for Node: what a pool worker does in the browser (read_tile, the
// core's rgbStd, skip at or below the std threshold, encode), done over an in-process NodeSlide with
// pngjs / the CLI's JPEG encoder instead of OffscreenCanvas.
import { PNG } from 'pngjs';
import { rgbStd } from '../core/filters/std.ts';
import type { EncodedTile, EncodeOptions, LevelPx, PooledSlide, RGBImage, SlideSource } from '../engine/types.ts';
import { encodeJpeg } from './jpeg.ts';

export type TileReader = Pick<PooledSlide, 'readTileEncoded' | 'workers'> & { close(): Promise<void> };

/** 8-bit RGB PNG (colour type 2) of a read_tile result. */
export function encodePngRgb(tile: RGBImage): Uint8Array {
  const png = { width: tile.width, height: tile.height, data: Buffer.from(tile.data.buffer, tile.data.byteOffset, tile.width * tile.height * 3) } as unknown as PNG;
  return new Uint8Array(PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false }));
}

export function encodeTile(tile: RGBImage, format: 'png' | 'jpeg', quality = 0.9): Uint8Array {
  return format === 'png' ? encodePngRgb(tile) : encodeJpeg(tile.data, tile.width, tile.height, Math.round(quality * 100));
}

/** read_tile + std + encode, as the browser worker's readTileEncoded. */
export async function readTileEncoded(slide: Pick<SlideSource, 'readTile'>, x: LevelPx, y: LevelPx, level: number, width: LevelPx, height: LevelPx, opts: EncodeOptions): Promise<EncodedTile> {
  const tile = await slide.readTile(x, y, level, width, height, opts.background ?? 255, { signal: opts.signal });
  const std = rgbStd(tile.data);
  const skip = opts.skipStdAtOrBelow !== undefined && std <= opts.skipStdAtOrBelow;
  return { width: tile.width, height: tile.height, std, bytes: skip ? null : encodeTile(tile, opts.format, opts.quality) };
}

/** One in-process slide: reads run one after another on this thread. */
export function inProcessReader(slide: Pick<SlideSource, 'readTile'>): TileReader {
  return {
    workers: 1,
    readTileEncoded: (x, y, level, width, height, opts) => readTileEncoded(slide, x, y, level, width, height, opts),
    close: async () => {},
  };
}
