// Everything the app needs, fetched right after first paint instead of when the first slide opens:
// the engine worker's script and its .wasm (the two big files), and the service worker that keeps
// every built file for offline use. Same origin only; after this the page makes no request that
// the service worker cannot answer from its cache.
import workerUrl from '../../engine/worker.ts?worker&url';
import wasmUrl from '../../../wasm/dist/slidetile-engine.wasm?url';

export type OfflineState =
  | { status: 'preparing' }
  | { status: 'ready' }
  /** the app works, but a reload without network will not (no service worker here, or it failed) */
  | { status: 'online-only'; reason: string };

/** Fetches the worker script and compiles the wasm once, so a broken download shows up now. */
async function preloadEngine(): Promise<void> {
  const [worker, wasm] = await Promise.all([fetch(workerUrl), fetch(wasmUrl)]);
  if (!worker.ok) throw new Error(`${workerUrl}: HTTP ${worker.status}`);
  await worker.arrayBuffer();
  // compileStreaming also warms the browser's compiled-code cache for the worker's own instantiate
  await WebAssembly.compileStreaming(wasm);
}

async function registerWorker(): Promise<void> {
  if (!('serviceWorker' in navigator)) throw new Error('this browser (or an insecure http origin) has no service workers');
  // relative to the page: the app's own directory is the scope, wherever it is served from
  await navigator.serviceWorker.register('./sw.js');
  // `ready` resolves once a worker is active, i.e. after its install precached every file
  await navigator.serviceWorker.ready;
}

function afterFirstPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

/** Starts warming; reports the offline state as it settles. */
export async function warmUp(report: (s: OfflineState) => void): Promise<void> {
  report({ status: 'preparing' });
  await afterFirstPaint();
  // the dev server has no sw.js and serves sources, not the build
  const sw = import.meta.env.PROD ? registerWorker() : Promise.reject(new Error('development server: no offline cache'));
  const [engine, offline] = await Promise.allSettled([preloadEngine(), sw]);
  if (engine.status === 'rejected') console.warn('slidetile: engine preload failed', engine.reason);
  if (offline.status === 'fulfilled') report({ status: 'ready' });
  else report({ status: 'online-only', reason: offline.reason instanceof Error ? offline.reason.message : String(offline.reason) });
}
