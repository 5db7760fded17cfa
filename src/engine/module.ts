// The shape of the Emscripten module built by wasm/build.sh (exports listed in wasm/exports.json).
// Only src/engine touches it; everything above sees SlideSource.

/** A pointer into the wasm heap. */
export type Ptr = number;

export interface EmscriptenFS {
  mkdir(path: string): void;
  mount(type: unknown, opts: Record<string, unknown>, mountpoint: string): void;
  unmount(mountpoint: string): void;
  rmdir(path: string): void;
  analyzePath(path: string): { exists: boolean };
}

export interface EngineModule {
  HEAPU8: Uint8Array;
  FS: EmscriptenFS;
  NODEFS: unknown;
  WORKERFS: unknown;
  UTF8ToString(ptr: Ptr): string;
  stringToUTF8(s: string, ptr: Ptr, max: number): void;
  lengthBytesUTF8(s: string): number;
  getValue(ptr: Ptr, type: 'i8' | 'i32' | 'i64' | 'double' | '*'): number | bigint;

  _malloc(n: number): Ptr;
  _free(p: Ptr): void;
  _openslide_detect_vendor(path: Ptr): Ptr;
  _openslide_open(path: Ptr): Ptr;
  _openslide_close(osr: Ptr): void;
  _openslide_get_error(osr: Ptr): Ptr;
  _openslide_get_level_count(osr: Ptr): number;
  _openslide_get_level_dimensions(osr: Ptr, level: number, w: Ptr, h: Ptr): void;
  _openslide_get_level_downsample(osr: Ptr, level: number): number;
  _openslide_get_property_names(osr: Ptr): Ptr;
  _openslide_get_property_value(osr: Ptr, name: Ptr): Ptr;
  _openslide_get_associated_image_names(osr: Ptr): Ptr;
  _openslide_get_associated_image_dimensions(osr: Ptr, name: Ptr, w: Ptr, h: Ptr): void;
  // OpenSlide 4.0's ICC profile API (patch openslide-08); sizes are int64_t (BigInt)
  _openslide_get_icc_profile_size(osr: Ptr): bigint;
  _openslide_read_icc_profile(osr: Ptr, dest: Ptr): void;
  _openslide_get_associated_image_icc_profile_size(osr: Ptr, name: Ptr): bigint;
  _openslide_read_associated_image_icc_profile(osr: Ptr, name: Ptr, dest: Ptr): void;
  _openslide_get_version(): Ptr;
  // int64_t parameters are BigInt (-sWASM_BIGINT)
  _st_read_region_rgba(osr: Ptr, dest: Ptr, x: bigint, y: bigint, level: number, w: bigint, h: bigint): void;
  _st_read_tile_rgb(osr: Ptr, dest: Ptr, x: bigint, y: bigint, level: number, w: bigint, h: bigint, bg: number): void;
  _st_read_associated_rgba(osr: Ptr, name: Ptr, dest: Ptr, pixels: bigint): void;
  /** PNG of packed RGB into a malloc'd buffer written at *out; returns its length (0: failed). */
  _st_encode_png_rgb(rgb: Ptr, w: number, h: number, zlibLevel: number, filters: number, out: Ptr): number;
  /** JPEG (PIL's save(quality=Q) settings) of packed RGB into a malloc'd buffer written at *out; returns its length (0: failed). */
  _st_encode_jpeg_rgb(rgb: Ptr, w: number, h: number, quality: number, out: Ptr): number;
}

export interface ModuleOptions {
  wasmBinary?: ArrayBuffer | Uint8Array;
  locateFile?(path: string, prefix: string): string;
  print?(s: string): void;
  printErr?(s: string): void;
}

export type EngineFactory = (opts: ModuleOptions) => Promise<EngineModule>;
