// N engine workers, each with its own module instance and slide handle. One request at a time per
// worker (a worker is single-threaded; queueing inside it would make cancellation impossible), so
// the pool keeps the queue: aborted requests leave it before they cost anything, and a worker that
// traps is replaced and its request retried once. No call can hang on a dead worker.
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
  signal?: AbortSignal;
  attempts: number;
  settled: boolean;
}

interface Slot {
  worker: Worker;
  api: Comlink.Remote<EngineWorkerApi>;
  /** resolves when the slide is open in this worker */
  ready: Promise<SlideInfo>;
  /** rejects when the worker dies (uncaught error, failed to load) */
  died: Promise<never>;
  busy: boolean;
}

export type WorkerFactory = () => Worker;

const defaultFactory: WorkerFactory = () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });

export class WorkerPool {
  private slots: Slot[] = [];
  private queue: Task[] = [];
  private closed = false;

  constructor(
    private readonly files: SlideFile[],
    private readonly main: string,
    readonly size: number,
    private readonly factory: WorkerFactory = defaultFactory,
  ) {
    installErrorTransfer();
  }

  /** Opens the slide in the first worker (its errors are the user's answer), then the rest. */
  async start(): Promise<SlideInfo> {
    const first = this.spawn();
    this.slots.push(first);
    try {
      const info = await Promise.race([first.ready, first.died]);
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
    const api = Comlink.wrap<EngineWorkerApi>(worker);
    let die!: (e: EngineError) => void;
    const died = new Promise<never>((_, reject) => (die = reject));
    died.catch(() => {}); // observed through races only
    worker.addEventListener('error', (ev) => {
      ev.preventDefault();
      die(new EngineError('engine-crashed', `the engine worker failed: ${ev.message || 'unknown error'}`, this.main));
    });
    worker.addEventListener('messageerror', () => die(new EngineError('engine-crashed', 'the engine worker sent an unreadable message', this.main)));
    const ready = api.open(this.files, this.main);
    ready.catch(() => {});
    return { worker, api, ready, died, busy: false };
  }

  /** Runs a job on the next free worker; `signal` cancels it (queued: at once; running: result dropped). */
  run<T>(job: (api: Comlink.Remote<EngineWorkerApi>) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.closed) return Promise.reject(new EngineError('aborted', 'the slide was closed', this.main));
    if (signal?.aborted) return Promise.reject(abortError(this.main));
    return new Promise<T>((resolve, reject) => {
      const task: Task = { job, resolve: resolve as (v: unknown) => void, reject, signal, attempts: 0, settled: false };
      signal?.addEventListener(
        'abort',
        () => {
          const i = this.queue.indexOf(task);
          if (i >= 0) this.queue.splice(i, 1);
          this.settle(task, undefined, abortError(this.main));
        },
        { once: true },
      );
      this.queue.push(task);
      this.pump();
    });
  }

  private settle(task: Task, value: unknown, error?: unknown) {
    if (task.settled) return;
    task.settled = true;
    if (error !== undefined) task.reject(error);
    else task.resolve(value);
  }

  private pump() {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (!slot.busy) void this.execute(slot, this.queue.shift()!);
    }
  }

  private async execute(slot: Slot, task: Task) {
    slot.busy = true;
    task.attempts++;
    try {
      await Promise.race([slot.ready, slot.died]);
      const value = await Promise.race([task.job(slot.api), slot.died]);
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
      slot.busy = false;
    }
    this.pump();
  }

  private replace(slot: Slot) {
    const i = this.slots.indexOf(slot);
    slot.worker.terminate();
    if (i >= 0) this.slots[i] = this.spawn();
  }

  /** Each worker's wasm heap in bytes (the benchmark's memory figure). */
  async memory(): Promise<number[]> {
    return Promise.all(this.slots.map((s) => s.api.memory()));
  }

  terminate() {
    this.closed = true;
    for (const t of this.queue.splice(0)) this.settle(t, undefined, new EngineError('aborted', 'the slide was closed', this.main));
    for (const s of this.slots) s.worker.terminate();
    this.slots = [];
  }
}

function abortError(file: string) {
  return new EngineError('aborted', 'the read was cancelled', file);
}
