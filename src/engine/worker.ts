// The browser's engine worker: the shared implementation (workerApi.ts) over WORKERFS, which reads the
// dropped files lazily (FileReaderSync on slices: nothing is copied whole into memory).
import * as Comlink from 'comlink';
import createEngine from '../../wasm/dist/slidetile-engine.mjs';
import wasmUrl from '../../wasm/dist/slidetile-engine.wasm?url';
import { installBlockCache } from './blockcache.ts';
import { installErrorTransfer } from './errors-transfer.ts';
import type { EngineModule } from './module.ts';
import { makeEngineWorkerApi } from './workerApi.ts';

installErrorTransfer();

const MOUNT = '/slide';

async function loadModule(): Promise<EngineModule> {
  const m: EngineModule = await createEngine({ locateFile: () => wasmUrl, print: () => {}, printErr: () => {} });
  const reader = new FileReaderSync();
  installBlockCache(m.WORKERFS as Parameters<typeof installBlockCache>[0], (b) => reader.readAsArrayBuffer(b));
  return m;
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
});

Comlink.expose(api);
