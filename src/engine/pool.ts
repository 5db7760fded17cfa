// N engine workers, each with its own module instance and slide handle. At most `depth` requests per
// worker (default 2: one running, one waiting in the worker's message queue, so a worker never idles
// for a round trip through a busy main thread; more would make cancellation slow), and the pool keeps
// the rest: aborted requests leave its queue before they cost anything, and a worker that dies is
// replaced and its requests retried once. No call can hang on a dead worker.
//
// The pool runs on whatever a factory makes: a browser Web Worker (webWorker below) or a Node worker
// thread (node-pool.ts). It sees only a Comlink endpoint, a death notice and a kill switch.
import * as Comlink from 'comlink';
import type { SlideInfo } from '../core/slide.ts';
import { installErrorTransfer } from './errors-transfer.ts';
import type { EngineWorkerApi, SlideFile } from './protocol.ts';
import { EngineError } from './types.ts';

type Job = (api: Comlink.Remote<EngineWorkerApi>) => Promise<unknown>;

interface Task {
  job: Job;
  resolve(v: unknown): void;
  reject(e: unknown): void;
  /** removes the abort listener: one AbortSignal may serve 100,000 reads of an export */
  detach(): void;
  attempts: number;
  settled: boolean;
}

/** What the pool needs of a worker, whatever runs it. */
export interface PoolWorker {
  readonly endpoint: Comlink.Endpoint;
  /** Calls `cb` (perhaps more than once) when the worker dies, terminate() included. */
  onDeath(cb: (why: string) => void): void;
  terminate(): void;
}

export type WorkerFactory = () => PoolWorker;

/** A browser Web Worker (or anything with its events) as a pool worker. */
export function webWorker(w: Worker): PoolWorker {
  const deaths: ((why: string) => void)[] = [];
  const die = (why: string) => deaths.forEach((cb) => cb(why));
  w.addEventListener('error', (ev) => {
    ev.preventDefault();
    die(`the engine worker failed: ${ev.message || 'unknown error'}`);
  });
  w.addEventListener('messageerror', () => die('the engine worker sent an unreadable message'));
  return {
    endpoint: w,
    onDeath: (cb) => void deaths.push(cb),
    terminate() {
      w.terminate();
      // a terminated Web Worker fires nothing: say so, or a request in flight would wait forever
      die('the engine worker was terminated');
    },
  };
}

const defaultFactory: WorkerFactory = () => webWorker(new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' }));

interface Slot {
  worker: PoolWorker;
  api: Comlink.Remote<EngineWorkerApi>;
  /** resolves when the slide is open in this worker */
  ready: Promise<SlideInfo>;
  /** set when the worker dies (uncaught error, exit, failed to load) */
  death: EngineError | null;
  /** who waits on this worker: told once if it dies, removed when their wait ends */
  mourners: Set<(e: EngineError) => void>;
  /** the tasks sent to this worker and not yet settled (≤ depth) */
  tasks: Set<Task>;
}

/** Requests a worker holds at once: one running and one waiting (see the header). */
export const DEFAULT_DEPTH = 2;

export class WorkerPool {
  private slots: Slot[] = [];
  private queue: Task[] = [];
  /** abort signals being listened to, with their pending tasks (watch) */
  private readonly watched = new Map<AbortSignal, Set<Task>>();
  private readonly unwatch = new WeakMap<Set<Task>, () => void>();
  private closed = false;
  /** workers started so far, replacements included */
  spawned = 0;

  constructor(
    private readonly files: SlideFile[],
    private readonly main: string,
    readonly size: number,
    private readonly factory: WorkerFactory = defaultFactory,
    private readonly depth = DEFAULT_DEPTH,
  ) {
    installErrorTransfer();
  }

  /** Opens the slide in the first worker (its errors are the user's answer), then the rest. */
  async start(): Promise<SlideInfo> {
    const first = this.spawn();
    this.slots.push(first);
    try {
      const info = await untilDeath(first, first.ready);
      for (let i = 1; i < this.size; i++) this.slots.push(this.spawn());
      this.pump();
      return info;
    } catch (e) {
      this.terminate();
      throw e;
    }
  }

  private spawn(): Slot {
    const worker = this.factory();
    this.spawned++;
    const api = Comlink.wrap<EngineWorkerApi>(worker.endpoint);
    const ready = api.open(this.files, this.main);
    ready.catch(() => {});
    const slot: Slot = { worker, api, ready, death: null, mourners: new Set(), tasks: new Set() };
    worker.onDeath((why) => {
      if (slot.death) return;
      slot.death = new EngineError('engine-crashed', why, this.main);
      for (const m of slot.mourners) m(slot.death);
      slot.mourners.clear();
    });
    return slot;
  }

  /** Runs a job on the next free worker; `signal` cancels it (queued: at once; running: result dropped). */
  run<T>(job: (api: Comlink.Remote<EngineWorkerApi>) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.closed) return Promise.reject(new EngineError('aborted', 'the slide was closed', this.main));
    if (signal?.aborted) return Promise.reject(abortError(this.main));
    return new Promise<T>((resolve, reject) => {
      const task: Task = { job, resolve: resolve as (v: unknown) => void, reject, detach: () => {}, attempts: 0, settled: false };
      if (signal) this.watch(signal, task);
      this.queue.push(task);
      this.pump();
    });
  }

  /**
   * One abort listener per signal, however many of its tasks are pending (an export's one signal
   * serves a window of reads; a listener each would pile up), removed with its last task.
   */
  private watch(signal: AbortSignal, task: Task) {
    let tasks = this.watched.get(signal);
    if (!tasks) {
      const mine = new Set<Task>();
      tasks = mine;
      const onAbort = () => {
        // queued ones leave the queue (one pass, whatever its length); running ones are dropped
        this.queue = this.queue.filter((t) => !mine.has(t));
        for (const t of [...mine]) this.settle(t, undefined, abortError(this.main));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.watched.set(signal, mine);
      this.unwatch.set(mine, () => {
        signal.removeEventListener('abort', onAbort);
        this.watched.delete(signal);
      });
    }
    const set = tasks;
    set.add(task);
    task.detach = () => {
      set.delete(task);
      if (set.size === 0) this.unwatch.get(set)?.();
    };
  }

  private settle(task: Task, value: unknown, error?: unknown) {
    if (task.settled) return;
    task.settled = true;
    task.detach();
    if (error !== undefined) task.reject(error);
    else task.resolve(value);
  }

  /** Hands queued tasks to the least busy workers, up to `depth` each. */
  private pump() {
    while (this.queue.length > 0) {
      let best: Slot | null = null;
      for (const slot of this.slots) if (slot.tasks.size < this.depth && (!best || slot.tasks.size < best.tasks.size)) best = slot;
      if (!best) return;
      void this.execute(best, this.queue.shift()!);
    }
  }

  private async execute(slot: Slot, task: Task) {
    slot.tasks.add(task);
    task.attempts++;
    try {
      await untilDeath(slot, slot.ready);
      const value = await untilDeath(slot, task.job(slot.api));
      this.settle(task, value);
    } catch (e) {
      const err = e instanceof EngineError ? e : new EngineError('engine-crashed', String(e), this.main);
      if (err.code === 'engine-crashed' && !this.closed) {
        this.replace(slot);
        if (task.attempts < 2 && !task.settled) {
          this.queue.unshift(task); // retried once on a fresh worker
        } else {
          this.settle(task, undefined, err);
        }
        this.pump();
        return;
      }
      this.settle(task, undefined, err);
    } finally {
      slot.tasks.delete(task);
    }
    this.pump();
  }

  private replace(slot: Slot) {
    const i = this.slots.indexOf(slot);
    if (i < 0) return; // replaced already
    const fresh = this.spawn();
    // the dead slot keeps its tasks until execute's finally: the fresh one takes the queue from now
    this.slots[i] = fresh;
    slot.worker.terminate();
  }

  /**
   * Test hook: kills the worker that serves `api` (a job's argument) as a crash would, so the pool's
   * replacement and retry run on a real death. False when `api` is no current worker's.
   */
  killWorker(api: Comlink.Remote<EngineWorkerApi>): boolean {
    const slot = this.slots.find((s) => s.api === api);
    slot?.worker.terminate();
    return slot !== undefined;
  }

  /** Each worker's wasm heap in bytes (the benchmark's memory figure). */
  async memory(): Promise<number[]> {
    return Promise.all(this.slots.map((s) => s.api.memory()));
  }

  terminate() {
    this.closed = true;
    const closed = () => new EngineError('aborted', 'the slide was closed', this.main);
    for (const t of this.queue.splice(0)) this.settle(t, undefined, closed());
    // settled before the workers go, so their deaths are not reported as crashes
    for (const s of this.slots) for (const t of s.tasks) this.settle(t, undefined, closed());
    for (const s of this.slots) s.worker.terminate();
    this.slots = [];
  }
}

function abortError(file: string) {
  return new EngineError('aborted', 'the read was cancelled', file);
}

/**
 * `p`, or the worker's death if that comes first. Not Promise.race with a long-lived "died" promise:
 * every race leaves a reaction on that promise holding the race's result, so each tile's bytes stayed
 * reachable for the worker's whole life (memory grew with the export). The listener here is removed
 * as soon as `p` settles.
 */
function untilDeath<T>(slot: Slot, p: Promise<T>): Promise<T> {
  if (slot.death) return Promise.reject(slot.death);
  return new Promise<T>((resolve, reject) => {
    const mourn = (e: EngineError) => reject(e);
    slot.mourners.add(mourn);
    p.then(
      (v) => {
        slot.mourners.delete(mourn);
        resolve(v);
      },
      (e: unknown) => {
        slot.mourners.delete(mourn);
        reject(e);
      },
    );
  });
}
