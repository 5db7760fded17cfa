// The engine worker's implementation, shared by the browser's Web Worker (worker.ts: WORKERFS) and
// Node's worker thread (node-worker.ts: NODEFS). Each entry supplies only what differs between the
// platforms, so a tile read in the CLI and in the app is the same code: read_tile, the core's std,
// the std skip, and libpng / libjpeg-turbo inside the module (the same bytes everywhere).
import * as Comlink from 'comlink';
import { rgbStd, stdRejects } from '../core/filters/std.ts';
import { OpenSlideHandle, encodeJpegRgb, encodePngRgb, toEngineError } from './binding.ts';
import type { EngineModule } from './module.ts';
import type { EngineWorkerApi, SlideFile } from './protocol.ts';
import { EngineError, level0, levelPx, type EncodedTile, type RGBImage } from './types.ts';

// tile PNGs: the Paeth filter on every row at zlib level 1 gives files within ~6 % of PIL's (adaptive
// filters, level 6) in less than half its time; adaptive filters or higher levels buy <1 % for +25 %.
const PNG_ZLIB_LEVEL = 1;
const PNG_FILTER_PAETH = 0x80;

/** A tile's PNG exactly as every engine worker writes it (tests compare exported files with it). */
export function encodeTilePng(m: EngineModule, tile: RGBImage): Uint8Array {
  return encodePngRgb(m, tile, PNG_ZLIB_LEVEL, PNG_FILTER_PAETH);
}

/** Where a mounted slide lives in the module's file system, and how to take it away again. */
export interface Mounted {
  /** the main file's path inside the module's file system */
  path: string;
  unmount(): void;
}

export interface WorkerPlatform {
  /** Instantiates the module once per worker (its own heap and file system). */
  loadModule(): Promise<EngineModule>;
  /** Makes the slide's files readable by the module; `main` is the file OpenSlide opens. */
  mount(m: EngineModule, files: SlideFile[], main: string): Mounted;
}

export function makeEngineWorkerApi(platform: WorkerPlatform): EngineWorkerApi {
  let enginePromise: Promise<EngineModule> | null = null;
  let handle: OpenSlideHandle | null = null;
  let mounted: Mounted | null = null;
  let crashed: EngineError | null = null;

  const engine = () => (enginePromise ??= platform.loadModule());

  /** Runs a module call; a trap leaves the instance unusable, so remember it and say so. */
  function guarded<T>(fn: (h: OpenSlideHandle) => T): T {
    if (crashed) throw crashed;
    if (!handle) throw new EngineError('read-failed', 'no slide is open in this worker');
    try {
      return fn(handle);
    } catch (e) {
      const err = toEngineError(e, handle.displayName);
      if (err.code === 'engine-crashed') crashed = err;
      throw err;
    }
  }

  async function encode(tile: RGBImage, format: 'png' | 'jpeg', quality = 0.9): Promise<Uint8Array> {
    if (format === 'png') return encodeTilePng(await engine(), tile);
    // libjpeg-turbo in the engine, as PIL's save(quality=Q): the app and the CLI write the same bytes
    return encodeJpegRgb(await engine(), tile, Math.min(100, Math.max(1, Math.round(quality * 100))));
  }

  const api: EngineWorkerApi = {
    async open(files: SlideFile[], main: string) {
      const m = await engine();
      if (handle || mounted) await api.close();
      const mount = platform.mount(m, files, main);
      try {
        handle = OpenSlideHandle.open(m, mount.path, main);
      } catch (e) {
        mount.unmount();
        throw toEngineError(e, main);
      }
      mounted = mount;
      return handle.info;
    },
    async readRegion(x0, y0, level, width, height) {
      const img = guarded((h) => h.readRegion(level0(x0), level0(y0), level, levelPx(width), levelPx(height)));
      return Comlink.transfer(img, [img.data.buffer as ArrayBuffer]);
    },
    async readTile(x, y, level, width, height, background) {
      const img = guarded((h) => h.readTile(levelPx(x), levelPx(y), level, levelPx(width), levelPx(height), background));
      return Comlink.transfer(img, [img.data.buffer as ArrayBuffer]);
    },
    async readTileEncoded(x, y, level, width, height, req) {
      const tile = guarded((h) => h.readTile(levelPx(x), levelPx(y), level, levelPx(width), levelPx(height), req.background));
      const std = rgbStd(tile.data);
      const skip = req.skipStdAtOrBelow !== undefined && stdRejects(std, req.skipStdAtOrBelow);
      const bytes = skip ? null : await encode(tile, req.format, req.quality);
      const out: EncodedTile = { width, height, std, bytes };
      return Comlink.transfer(out, bytes ? [bytes.buffer as ArrayBuffer] : []);
    },
    async associatedImage(name) {
      const img = guarded((h) => h.associatedImage(name));
      return Comlink.transfer(img, [img.data.buffer as ArrayBuffer]);
    },
    async memory() {
      return (await engine()).HEAPU8.length;
    },
    async close() {
      handle?.close();
      handle = null;
      mounted?.unmount();
      mounted = null;
    },
  };
  return api;
}
