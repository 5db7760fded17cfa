// Node's engine worker thread: the shared implementation (workerApi.ts) over NODEFS — the folder
// holding the slide is mounted, so companions are found beside it as OpenSlide expects .
// Spoken to over Comlink's Node adapter by node-pool.ts.
import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { installErrorTransfer } from './errors-transfer.ts';
import { loadEngineNode, mountBeside } from './node.ts';
import { makeEngineWorkerApi } from './workerApi.ts';

installErrorTransfer();

const api = makeEngineWorkerApi({
  loadModule: loadEngineNode,
  // `main` is a host path; the files list is for the browser's dropped files and is empty here
  mount(m, _files, main) {
    const { mountPoint, inside } = mountBeside(m, main);
    return {
      path: inside,
      unmount() {
        m.FS.unmount(mountPoint);
        m.FS.rmdir(mountPoint);
      },
    };
  },
});

if (!parentPort) throw new Error('node-worker.ts runs as a worker thread (see node-pool.ts)');
Comlink.expose(api, nodeEndpoint(parentPort));
