// `extract --workers N`: N worker threads, each with its own engine module and slide handle (the
// wasm engine is single-threaded), so reads, std and encoding run in parallel as in the browser's
// pool. One request per thread at a time; the queue lives here, so a cancelled read leaves it
// before it costs anything. A thread that dies fails its request (recorded as a failed tile).
import { Worker } from 'node:worker_threads';
import type { NodeSlide } from '../engine/node.ts';
import { EngineError, type EncodedTile, type EngineErrorCode, type EncodeOptions } from '../engine/types.ts';
import type { ReaderFactory } from './extract.ts';
import type { TileReply, TileRequest } from './tile-worker.ts';
import type { TileReader } from './tiles.ts';

const BOOTSTRAP = new URL('./tile-worker.mjs', import.meta.url);

interface Pending {
  req: TileRequest;
  signal?: AbortSignal;
  resolve(t: EncodedTile): void;
  reject(e: unknown): void;
}

interface Slot {
  worker: Worker;
  busy: Pending | null;
  dead: boolean;
}

function toError(r: { code: string; message: string; file?: string }): Error {
  const codes: EngineErrorCode[] = ['unsupported-format', 'corrupt-slide', 'read-failed', 'engine-crashed', 'aborted'];
  return codes.includes(r.code as EngineErrorCode) ? new EngineError(r.code as EngineErrorCode, r.message, r.file) : new Error(r.message);
}

function startWorker(slide: string): Promise<Worker> {
  const worker = new Worker(BOOTSTRAP, { workerData: { slide } });
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    worker.once('error', onError);
    worker.once('message', (m: { ready: boolean; code?: string; message?: string; file?: string }) => {
      worker.off('error', onError);
      if (m.ready) resolve(worker);
      else {
        void worker.terminate();
        reject(toError({ code: m.code ?? 'error', message: m.message ?? 'the worker failed to open the slide', file: m.file }));
      }
    });
  });
}

export async function openWorkerReader(slidePath: string, workers: number): Promise<TileReader> {
  const started = await Promise.allSettled(Array.from({ length: workers }, () => startWorker(slidePath)));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    for (const s of started) if (s.status === 'fulfilled') void s.value.terminate();
    throw (failed as PromiseRejectedResult).reason;
  }
  const slots: Slot[] = started.map((s) => ({ worker: (s as PromiseFulfilledResult<Worker>).value, busy: null, dead: false }));
  const queue: Pending[] = [];
  let nextId = 0;

  const pump = () => {
    for (const slot of slots) {
      if (slot.busy || slot.dead) continue;
      let job: Pending | undefined;
      while ((job = queue.shift()) && job.signal?.aborted) job.reject(new EngineError('aborted', 'the read was cancelled'));
      if (!job) return;
      slot.busy = job;
      slot.worker.postMessage(job.req);
    }
    if (slots.every((s) => s.dead)) while (queue.length) queue.shift()!.reject(new EngineError('engine-crashed', 'every extract worker died'));
  };

  for (const slot of slots) {
    slot.worker.on('message', (r: TileReply) => {
      const job = slot.busy;
      slot.busy = null;
      if (job && job.req.id === r.id) {
        if (r.ok) job.resolve({ width: r.width, height: r.height, std: r.std, bytes: r.bytes });
        else job.reject(toError(r));
      }
      pump();
    });
    const die = (why: string) => {
      if (slot.dead) return;
      slot.dead = true;
      slot.busy?.reject(new EngineError('engine-crashed', why));
      slot.busy = null;
      pump();
    };
    slot.worker.on('error', (e) => die(`an extract worker crashed: ${e.message}`));
    slot.worker.on('exit', (code) => die(`an extract worker exited (${code})`));
  }

  return {
    workers,
    readTileEncoded(x, y, level, width, height, opts: EncodeOptions) {
      const { signal, ...rest } = opts;
      if (signal?.aborted) return Promise.reject(new EngineError('aborted', 'the read was cancelled'));
      return new Promise<EncodedTile>((resolve, reject) => {
        queue.push({ req: { id: nextId++, x, y, level, width, height, opts: rest }, signal, resolve, reject });
        pump();
      });
    },
    async close() {
      for (const s of slots) s.dead = true;
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}

/** ReaderFactory for extractCommand: the slide is already open (and checked) in this thread. */
export const workerReaders: ReaderFactory = (slidePath: string, _slide: NodeSlide, workers: number) => openWorkerReader(slidePath, workers);
