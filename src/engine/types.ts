// The one seam between pixels and everything else: the UI, export, CLI and benchmark see only these types.
import { SlidetileError } from '../core/errors.ts';
import type { SlideInfo } from '../core/slide.ts';

export type { SlideInfo };

// OpenSlide's two coordinate spaces, as branded numbers (core/coords.ts): read_region takes x/y in
// level-0 pixels but width/height in the chosen level's pixels; ratiopath's read_tile, level pixels.
import type { Level0Px, LevelPx } from '../core/coords.ts';
export { level0, levelPx, type Level0Px, type LevelPx } from '../core/coords.ts';

/** Straight (un-premultiplied) RGBA, row-major, 4 bytes a pixel — the same bytes as openslide-python. */
export interface RGBAImage {
  width: number;
  height: number;
  data: Uint8Array;
}
/** RGB composited onto a background, 3 bytes a pixel — the same as ratiopath's read_tile. */
export interface RGBImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export interface ReadOptions {
  signal?: AbortSignal;
}

export interface SlideSource {
  readonly info: SlideInfo;
  /** openslide_read_region: x0,y0 in level-0 pixels, width/height in the level's pixels. */
  readRegion(x0: Level0Px, y0: Level0Px, level: number, width: LevelPx, height: LevelPx, opts?: ReadOptions): Promise<RGBAImage>;
  /** ratiopath read_tile: x,y in the level's pixels; composited onto `background` (0..255). */
  readTile(x: LevelPx, y: LevelPx, level: number, width: LevelPx, height: LevelPx, background?: number, opts?: ReadOptions): Promise<RGBImage>;
  associatedImage(name: string, opts?: ReadOptions): Promise<RGBAImage>;
  close(): Promise<void>;
}

export type EngineErrorCode = 'unsupported-format' | 'corrupt-slide' | 'read-failed' | 'encode-failed' | 'engine-crashed' | 'aborted' | 'unsupported-browser';

/** Every failure the engine reports. `message` carries OpenSlide's own words where it had any. */
export class EngineError extends SlidetileError<EngineErrorCode> {
  override name = 'EngineError';
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    readonly file?: string,
  ) {
    super(message);
  }
}

export interface EncodeOptions extends ReadOptions {
  background?: number;
  format: 'png' | 'jpeg';
  /** 0..1, JPEG only. */
  quality?: number;
  /** Skip encoding (bytes = null) when the tile's RGB std is <= this: the std filter runs where the pixels are. */
  skipStdAtOrBelow?: number;
}

export interface EncodedTile {
  width: number;
  height: number;
  /** Population std of the composited RGB bytes (numpy `tile.std()`). */
  std: number;
  /** The encoded file, or null when skipped by `skipStdAtOrBelow`. */
  bytes: Uint8Array | null;
}

/** A slide served by the worker pool: reads run in parallel across workers. */
export interface PooledSlide extends SlideSource {
  readonly workers: number;
  /** the path of the file OpenSlide opened (the engine's choice of main file: engine/files.ts) */
  readonly name: string;
  /** read_tile + std + encode, all inside a worker; only the encoded bytes cross back. */
  readTileEncoded(x: LevelPx, y: LevelPx, level: number, width: LevelPx, height: LevelPx, opts: EncodeOptions): Promise<EncodedTile>;
}
