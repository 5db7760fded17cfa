// An engine worker: one wasm module instance, one open slide, files read lazily through WORKERFS
// (FileReaderSync on slices of the dropped File: nothing is copied whole into memory).
import * as Comlink from 'comlink';
import createEngine from '../../wasm/dist/slidetile-engine.mjs';
import wasmUrl from '../../wasm/dist/slidetile-engine.wasm?url';
import { rgbStd } from '../core/filters/std.ts';
import { OpenSlideHandle, encodePngRgb, toEngineError } from './binding.ts';
import { installBlockCache } from './blockcache.ts';
import { installErrorTransfer } from './errors-transfer.ts';
import type { EngineModule } from './module.ts';
import type { EncodeRequest, EngineWorkerApi, SlideFile } from './protocol.ts';
import { EngineError, level0, levelPx, type EncodedTile, type RGBImage } from './types.ts';

installErrorTransfer();

const MOUNT = '/slide';
// tile PNGs: the Paeth filter on every row at zlib level 1 gives files within ~6 % of PIL's (adaptive
// filters, level 6) in less than half its time; adaptive filters or higher levels buy <1 % for +25 %.
const PNG_ZLIB_LEVEL = 1;
const PNG_FILTER_PAETH = 0x80;
let enginePromise: Promise<EngineModule> | null = null;
let handle: OpenSlideHandle | null = null;
let crashed: EngineError | null = null;

function engine(): Promise<EngineModule> {
  const p =
    enginePromise ??
    createEngine({ locateFile: () => wasmUrl, print: () => {}, printErr: () => {} }).then((m: EngineModule) => {
      const reader = new FileReaderSync();
      installBlockCache(m.WORKERFS as Parameters<typeof installBlockCache>[0], (b) => reader.readAsArrayBuffer(b));
      return m;
    });
  enginePromise = p;
  return p;
}

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

function rgbToRgba(tile: RGBImage): Uint8ClampedArray<ArrayBuffer> {
  const n = tile.width * tile.height;
  const out = new Uint8ClampedArray(n * 4);
  const src = tile.data;
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    out[i * 4] = src[j];
    out[i * 4 + 1] = src[j + 1];
    out[i * 4 + 2] = src[j + 2];
    out[i * 4 + 3] = 255;
  }
  return out;
}

/** PNG: libpng in the module (PIL-like files); JPEG: the browser's own encoder. Both off the main thread. */
async function encode(tile: RGBImage, req: EncodeRequest): Promise<Uint8Array> {
  if (req.format === 'png') return encodePngRgb(await engine(), tile, PNG_ZLIB_LEVEL, PNG_FILTER_PAETH);
  const canvas = new OffscreenCanvas(tile.width, tile.height);
  const ctx = canvas.getContext('2d')!;
  ctx.putImageData(new ImageData(rgbToRgba(tile), tile.width, tile.height), 0, 0);
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: req.quality ?? 0.9 });
  return new Uint8Array(await blob.arrayBuffer());
}

const api: EngineWorkerApi = {
  async open(files: SlideFile[], main: string) {
    const m = await engine();
    if (handle) await api.close();
    if (!m.FS.analyzePath(MOUNT).exists) m.FS.mkdir(MOUNT);
    // WORKERFS makes the folders named in each blob's path
    m.FS.mount(m.WORKERFS, { blobs: files.map((f) => ({ name: f.path, data: f.file })) }, MOUNT);
    try {
      handle = OpenSlideHandle.open(m, `${MOUNT}/${main}`, main);
    } catch (e) {
      m.FS.unmount(MOUNT);
      throw toEngineError(e, main);
    }
    return handle.info;
  },
  async readRegion(x0, y0, level, width, height) {
    const img = guarded((h) => h.readRegion(level0(x0), level0(y0), level, levelPx(width), levelPx(height)));
    return Comlink.transfer(img, [img.data.buffer]);
  },
  async readTile(x, y, level, width, height, background) {
    const img = guarded((h) => h.readTile(levelPx(x), levelPx(y), level, levelPx(width), levelPx(height), background));
    return Comlink.transfer(img, [img.data.buffer]);
  },
  async readTileEncoded(x, y, level, width, height, req) {
    const tile = guarded((h) => h.readTile(levelPx(x), levelPx(y), level, levelPx(width), levelPx(height), req.background));
    const std = rgbStd(tile.data);
    const skip = req.skipStdAtOrBelow !== undefined && std <= req.skipStdAtOrBelow;
    const bytes = skip ? null : await encode(tile, req);
    const out: EncodedTile = { width, height, std, bytes };
    return Comlink.transfer(out, bytes ? [bytes.buffer] : []);
  },
  async associatedImage(name) {
    const img = guarded((h) => h.associatedImage(name));
    return Comlink.transfer(img, [img.data.buffer]);
  },
  async memory() {
    return (await engine()).HEAPU8.length;
  },
  async close() {
    const m = await engine();
    handle?.close();
    handle = null;
    try {
      m.FS.unmount(MOUNT);
    } catch {
      // nothing mounted
    }
  },
};

Comlink.expose(api);
