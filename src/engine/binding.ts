// The typed OpenSlide binding over one module instance. OpenSlide's error state is sticky: every C
// call goes through `check()`, the one place where it becomes an EngineError. After a failed read
// the handle is closed and reopened, never reused.
import { EngineError, type EngineErrorCode, type Level0Px, type LevelPx, type RGBAImage, type RGBImage } from './types.ts';
import { readOrigin } from '../core/coords.ts';
import type { SlideInfo } from '../core/slide.ts';
import type { EngineModule, Ptr } from './module.ts';
import { userPaths } from './files.ts';

/** openslide-python's message for a NULL from openslide_open. */
export const UNSUPPORTED_MESSAGE = 'Unsupported or missing image file';

/** Requests larger than this are refused before they can exhaust the 4 GB wasm heap. */
const MAX_REGION_PIXELS = 64 * 1024 * 1024;

export class OpenSlideHandle {
  private osr: Ptr = 0;
  private buf: Ptr = 0;
  private bufSize = 0;
  readonly info: SlideInfo;

  private constructor(
    private readonly m: EngineModule,
    /** the slide's path inside the module's file system */
    readonly path: string,
    /** the name to show in errors (the user's file name) */
    readonly displayName: string,
  ) {
    this.osr = this.openRaw();
    this.info = this.readInfo();
  }

  static open(m: EngineModule, path: string, displayName = path): OpenSlideHandle {
    return new OpenSlideHandle(m, path, displayName);
  }

  /** openslide_detect_vendor: the driver's name, or null when no driver claims the file. */
  static detectVendor(m: EngineModule, path: string): string | null {
    return withCString(m, path, (p) => cString(m, m._openslide_detect_vendor(p)) || null);
  }

  private openRaw(): Ptr {
    const osr = withCString(this.m, this.path, (p) => this.m._openslide_open(p));
    if (!osr) throw new EngineError('unsupported-format', UNSUPPORTED_MESSAGE, this.displayName);
    const err = this.m._openslide_get_error(osr);
    if (err) {
      const message = userPaths(cString(this.m, err), this.path, this.displayName);
      this.m._openslide_close(osr);
      throw new EngineError('corrupt-slide', message, this.displayName);
    }
    return osr;
  }

  /** The one choke point for OpenSlide's sticky error: throws, and reopens the handle for the next call. */
  private check(code: EngineErrorCode): void {
    const err = this.m._openslide_get_error(this.osr);
    if (!err) return;
    // OpenSlide names files by their path inside the engine; the user knows them by theirs
    const message = userPaths(cString(this.m, err), this.path, this.displayName);
    this.m._openslide_close(this.osr);
    this.osr = 0;
    try {
      this.osr = this.openRaw();
    } catch {
      // the slide became unreadable (e.g. the File went away): later calls fail with this message
    }
    throw new EngineError(code, message, this.displayName);
  }

  private live(): Ptr {
    if (!this.osr) throw new EngineError('read-failed', 'the slide handle is closed', this.displayName);
    return this.osr;
  }

  private readInfo(): SlideInfo {
    const m = this.m;
    const osr = this.live();
    const levels: SlideInfo['levels'] = [];
    const count = m._openslide_get_level_count(osr);
    this.check('corrupt-slide');
    const wh = m._malloc(16);
    try {
      for (let l = 0; l < count; l++) {
        m._openslide_get_level_dimensions(osr, l, wh, wh + 8);
        const downsample = m._openslide_get_level_downsample(osr, l);
        levels.push({ width: readI64(m, wh), height: readI64(m, wh + 8), downsample });
      }
      this.check('corrupt-slide');
      const properties: Record<string, string> = {};
      for (const name of this.stringList(m._openslide_get_property_names(osr))) {
        properties[name] = withCString(m, name, (p) => cString(m, m._openslide_get_property_value(osr, p)));
      }
      const associated: SlideInfo['associated'] = [];
      for (const name of this.stringList(m._openslide_get_associated_image_names(osr))) {
        withCString(m, name, (p) => m._openslide_get_associated_image_dimensions(osr, p, wh, wh + 8));
        associated.push({ name, width: readI64(m, wh), height: readI64(m, wh + 8) });
      }
      this.check('corrupt-slide');
      return { vendor: properties['openslide.vendor'] ?? null, levels, properties, associated };
    } finally {
      m._free(wh);
    }
  }

  /** A NULL-terminated array of C strings. */
  private stringList(arr: Ptr): string[] {
    const out: string[] = [];
    for (let i = 0; arr; i++) {
      const p = Number(this.m.getValue(arr + 4 * i, '*'));
      if (!p) break;
      out.push(cString(this.m, p));
    }
    return out;
  }

  /** A scratch buffer reused across reads: the heap never shrinks, so do not churn it. */
  private scratch(bytes: number): Ptr {
    if (bytes > this.bufSize) {
      if (this.buf) this.m._free(this.buf);
      this.buf = this.m._malloc(bytes);
      if (!this.buf) {
        this.bufSize = 0;
        throw new EngineError('read-failed', `out of memory allocating ${bytes} bytes`, this.displayName);
      }
      this.bufSize = bytes;
    }
    return this.buf;
  }

  private validateSize(level: number, width: number, height: number): void {
    if (!Number.isInteger(level) || level < 0 || level >= this.info.levels.length) {
      throw new EngineError('read-failed', `level ${level} does not exist (the slide has ${this.info.levels.length})`, this.displayName);
    }
    if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
      throw new EngineError('read-failed', `invalid region size ${width}x${height}`, this.displayName);
    }
    if (width * height > MAX_REGION_PIXELS) {
      throw new EngineError('read-failed', `region ${width}x${height} is larger than ${MAX_REGION_PIXELS} pixels`, this.displayName);
    }
  }

  /** openslide_read_region → straight RGBA bytes (a copy, safe to transfer). */
  readRegion(x0: Level0Px, y0: Level0Px, level: number, width: LevelPx, height: LevelPx): RGBAImage {
    this.validateSize(level, width, height);
    const bytes = width * height * 4;
    const dest = this.scratch(bytes);
    this.m._st_read_region_rgba(this.live(), dest, BigInt(Math.trunc(x0)), BigInt(Math.trunc(y0)), level, BigInt(width), BigInt(height));
    this.check('read-failed');
    return { width, height, data: this.m.HEAPU8.slice(dest, dest + bytes) };
  }

  /** ratiopath read_tile: x,y in the level's pixels, level-0 origin int(x * downsample). */
  readTile(x: LevelPx, y: LevelPx, level: number, width: LevelPx, height: LevelPx, background = 255): RGBImage {
    this.validateSize(level, width, height);
    const ds = this.info.levels[level].downsample;
    const dest = this.scratch(width * height * 4);
    this.m._st_read_tile_rgb(this.live(), dest, BigInt(readOrigin(x, ds)), BigInt(readOrigin(y, ds)), level, BigInt(width), BigInt(height), background);
    this.check('read-failed');
    return { width, height, data: this.m.HEAPU8.slice(dest, dest + width * height * 3) };
  }

  associatedImage(name: string): RGBAImage {
    const a = this.info.associated.find((x) => x.name === name);
    if (!a) {
      const names = this.info.associated.map((x) => x.name).join(', ') || 'none';
      throw new EngineError('read-failed', `no associated image "${name}" (the slide has: ${names})`, this.displayName);
    }
    const bytes = a.width * a.height * 4;
    const dest = this.scratch(bytes);
    withCString(this.m, name, (p) => this.m._st_read_associated_rgba(this.live(), p, dest, BigInt(a.width * a.height)));
    this.check('read-failed');
    return { width: a.width, height: a.height, data: this.m.HEAPU8.slice(dest, dest + bytes) };
  }

  /**
   * The ICC profile's bytes (OpenSlide 4.0's openslide_read_icc_profile), of the slide or of an
   * associated image; null when it has none. Its size is also the property openslide.icc-size.
   */
  iccProfile(associated?: string): Uint8Array | null {
    const m = this.m;
    const size = Number(
      associated === undefined
        ? m._openslide_get_icc_profile_size(this.live())
        : withCString(m, associated, (p) => m._openslide_get_associated_image_icc_profile_size(this.live(), p)),
    );
    this.check('read-failed');
    if (size <= 0) return null;
    const dest = m._malloc(size);
    try {
      if (associated === undefined) m._openslide_read_icc_profile(this.live(), dest);
      else withCString(m, associated, (p) => m._openslide_read_associated_image_icc_profile(this.live(), p, dest));
      this.check('read-failed');
      return m.HEAPU8.slice(dest, dest + size);
    } finally {
      m._free(dest);
    }
  }

  close(): void {
    if (this.osr) this.m._openslide_close(this.osr);
    this.osr = 0;
    if (this.buf) this.m._free(this.buf);
    this.buf = 0;
    this.bufSize = 0;
  }
}

/** An int64_t out-parameter (getValue's 'i64' keeps only the low word in emscripten 3.1.6). */
function readI64(m: EngineModule, p: Ptr): number {
  return Number(new DataView(m.HEAPU8.buffer).getBigInt64(p, true));
}

const utf8 = new TextDecoder('utf-8');

/** A NUL-terminated C string, decoded like openslide-python does (invalid UTF-8 → U+FFFD). */
function cString(m: EngineModule, p: Ptr): string {
  if (!p) return '';
  const heap = m.HEAPU8;
  let end = p;
  while (heap[end] !== 0) end++;
  return utf8.decode(heap.subarray(p, end));
}

function withCString<T>(m: EngineModule, s: string, fn: (p: Ptr) => T): T {
  const n = m.lengthBytesUTF8(s) + 1;
  const p = m._malloc(n);
  m.stringToUTF8(s, p, n);
  try {
    return fn(p);
  } finally {
    m._free(p);
  }
}

/**
 * PNG of a read_tile result with libpng inside the module, at `zlibLevel` with the row `filters`
 * mask (libpng's PNG_FILTER_* bits; 0 = libpng's adaptive choice, as PIL). The exported tiles use
 * Paeth at level 1 (workerApi.ts, encodeTilePng).
 */
export function encodePngRgb(m: EngineModule, img: RGBImage, zlibLevel = 2, filters = 0): Uint8Array {
  return encodeInEngine(m, img, 'PNG', (src, out) => m._st_encode_png_rgb(src, img.width, img.height, zlibLevel, filters, out));
}

/**
 * JPEG of a read_tile result with the engine's libjpeg-turbo: the bytes PIL's
 * `Image.save(fp, 'JPEG', quality=quality)` writes for the same RGB pixels (Debian 12's PIL uses the
 * same libjpeg-turbo 2.1.5 and these settings: 4:2:0, standard tables scaled by quality, baseline,
 * no optimize, no progressive, JFIF 1.01 header with no density unit), so the app and the CLI write
 * the same files as ratiopath would. quality: 0-100 as PIL's (0 acts as 1); 75 is PIL's default.
 */
export function encodeJpegRgb(m: EngineModule, img: RGBImage, quality = 75): Uint8Array {
  if (!Number.isInteger(quality) || quality < 0 || quality > 100) {
    throw new EngineError('read-failed', `JPEG quality must be an integer from 0 to 100, not ${quality}`);
  }
  return encodeInEngine(m, img, 'JPEG', (src, out) => m._st_encode_jpeg_rgb(src, img.width, img.height, quality, out));
}

/**
 * Copies an RGB tile into the heap, runs one of the shim's encoders (which mallocs the file and
 * writes its address to `out`), and returns the file's bytes, freeing everything on every path.
 */
function encodeInEngine(m: EngineModule, img: RGBImage, what: string, encode: (src: number, out: number) => number): Uint8Array {
  const n = img.width * img.height * 3;
  const src = m._malloc(n);
  const out = m._malloc(4);
  try {
    m.HEAPU8.set(img.data.subarray(0, n), src);
    const len = encode(src, out);
    if (!len) throw new EngineError('encode-failed', `could not encode a ${img.width}x${img.height} ${what}`);
    const p = new DataView(m.HEAPU8.buffer).getUint32(out, true);
    const bytes = m.HEAPU8.slice(p, p + len);
    m._free(p);
    return bytes;
  } finally {
    m._free(src);
    m._free(out);
  }
}

/** Turns anything thrown by a module call into an EngineError (a wasm trap means the instance is dead). */
export function toEngineError(e: unknown, file?: string): EngineError {
  if (e instanceof EngineError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new EngineError('engine-crashed', `the engine stopped: ${message}`, file);
}
