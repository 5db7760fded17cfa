// The browser's engine worker: the shared implementation (workerApi.ts) over WORKERFS, which reads the
// dropped files lazily (FileReaderSync on slices: nothing is copied whole into memory), with JPEG
// from the browser's own encoder.
import * as Comlink from 'comlink';
import createEngine from '../../wasm/dist/slidetile-engine.mjs';
import wasmUrl from '../../wasm/dist/slidetile-engine.wasm?url';
import { installBlockCache } from './blockcache.ts';
import { installErrorTransfer } from './errors-transfer.ts';
import type { EngineModule } from './module.ts';
import type { RGBImage } from './types.ts';
import { makeEngineWorkerApi } from './workerApi.ts';

installErrorTransfer();

const MOUNT = '/slide';

async function loadModule(): Promise<EngineModule> {
  const m: EngineModule = await createEngine({ locateFile: () => wasmUrl, print: () => {}, printErr: () => {} });
  const reader = new FileReaderSync();
  installBlockCache(m.WORKERFS as Parameters<typeof installBlockCache>[0], (b) => reader.readAsArrayBuffer(b));
  return m;
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

/** The canvas encoder, off the main thread (PNG is libpng in the module, see workerApi.ts). */
async function encodeJpeg(tile: RGBImage, quality: number): Promise<Uint8Array> {
  const canvas = new OffscreenCanvas(tile.width, tile.height);
  const ctx = canvas.getContext('2d')!;
  ctx.putImageData(new ImageData(rgbToRgba(tile), tile.width, tile.height), 0, 0);
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality });
  return new Uint8Array(await blob.arrayBuffer());
}

const api = makeEngineWorkerApi({
  loadModule,
  mount(m, files, main) {
    if (!m.FS.analyzePath(MOUNT).exists) m.FS.mkdir(MOUNT);
    // WORKERFS makes the folders named in each blob's path
    m.FS.mount(m.WORKERFS, { blobs: files.map((f) => ({ name: f.path, data: f.file })) }, MOUNT);
    return {
      path: `${MOUNT}/${main}`,
      unmount: () => m.FS.unmount(MOUNT),
    };
  },
  encodeJpeg,
});

Comlink.expose(api);
