// The engine in Node worker threads: the browser's WorkerPool over Node's Worker, each thread
// running node-worker.ts (the same worker implementation as the browser's, on NODEFS). The CLI's
// extract reads every tile through this, as the app reads through its Web Workers.
import { Worker } from 'node:worker_threads';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { WorkerPool, type PoolWorker, type WorkerFactory } from './pool.ts';
import { PoolSlide } from './pooled.ts';

// plain Node cannot load the TypeScript entry: this bootstrap registers tsx in the thread first
const BOOTSTRAP = new URL('./node-worker.mjs', import.meta.url);

/** A Node worker thread as a pool worker: 'error' and 'exit' are its deaths. */
export function nodeWorker(w: Worker): PoolWorker {
  return {
    endpoint: nodeEndpoint(w as unknown as Parameters<typeof nodeEndpoint>[0]),
    onDeath(cb) {
      w.on('error', (e: Error) => cb(`the engine worker failed: ${e.message}`));
      w.on('messageerror', () => cb('the engine worker sent an unreadable message'));
      w.on('exit', (code: number) => cb(`the engine worker exited (code ${code})`));
    },
    terminate() {
      void w.terminate();
    },
  };
}

export const nodeWorkerFactory: WorkerFactory = () => nodeWorker(new Worker(BOOTSTRAP));

/**
 * Opens `slidePath` (as given: errors name it so) in `workers` threads. Companion files are found
 * beside it, as OpenSlide does.
 */
export async function openNodePool(slidePath: string, workers: number, factory: WorkerFactory = nodeWorkerFactory): Promise<PoolSlide> {
  const pool = new WorkerPool([], slidePath, Math.max(1, workers), factory);
  const info = await pool.start();
  return new PoolSlide(pool, info, slidePath);
}
