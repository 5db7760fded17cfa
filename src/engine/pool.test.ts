// The pool's scheduling, cancellation and crash handling, with workers that are MessageChannel ports
// (the real engine worker needs a browser; e2e covers it). A "crash" is the worker's error event.
import * as Comlink from 'comlink';
import { describe, expect, it } from 'vitest';
import { WorkerPool } from './pool.ts';
import { EngineError } from './types.ts';
import type { EngineWorkerApi } from './protocol.ts';

interface FakeWorker extends EventTarget {
  postMessage(m: unknown, t?: Transferable[]): void;
  terminate(): void;
  terminated: boolean;
}

function fakeWorkers(behaviour: (id: number) => Partial<EngineWorkerApi>) {
  const workers: FakeWorker[] = [];
  const factory = () => {
    const id = workers.length;
    const { port1, port2 } = new MessageChannel();
    const w = port1 as unknown as FakeWorker;
    w.terminated = false;
    w.terminate = () => {
      w.terminated = true;
      port1.close();
      port2.close();
    };
    const api = {
      open: async () => ({ vendor: 'test', levels: [{ width: 10, height: 10, downsample: 1 }], properties: {}, associated: [] }),
      ...behaviour(id),
    };
    Comlink.expose(api, port2);
    workers.push(w);
    return w as unknown as Worker;
  };
  return { workers, factory };
}

const crash = (w: FakeWorker) => w.dispatchEvent(Object.assign(new Event('error'), { message: 'RuntimeError: unreachable' }));

describe('WorkerPool', () => {
  it('runs jobs on every worker and returns results', async () => {
    const { workers, factory } = fakeWorkers((id) => ({ memory: async () => id }));
    const pool = new WorkerPool([], 'x.svs', 3, factory);
    await pool.start();
    const got = await Promise.all(Array.from({ length: 9 }, () => pool.run((api) => api.memory())));
    expect(new Set(got)).toEqual(new Set([0, 1, 2]));
    expect(workers).toHaveLength(3);
    pool.terminate();
    expect(workers.every((w) => w.terminated)).toBe(true);
  });

  it('reports the open error of the first worker and starts no others', async () => {
    const { workers, factory } = fakeWorkers(() => ({
      open: async () => {
        throw new Error('boom');
      },
    }));
    const pool = new WorkerPool([], 'x.svs', 4, factory);
    await expect(pool.start()).rejects.toBeInstanceOf(Error);
    expect(workers).toHaveLength(1);
    expect(workers[0].terminated).toBe(true);
  });

  it('cancels queued jobs at once and drops the result of a running one', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { factory } = fakeWorkers(() => ({ memory: async () => (await gate, 42) }));
    const pool = new WorkerPool([], 'x.svs', 1, factory);
    await pool.start();
    const running = new AbortController();
    const queued = new AbortController();
    const a = pool.run((api) => api.memory(), running.signal);
    const b = pool.run((api) => api.memory(), queued.signal);
    queued.abort();
    await expect(b).rejects.toMatchObject({ code: 'aborted' });
    running.abort();
    await expect(a).rejects.toMatchObject({ code: 'aborted' });
    release();
    await expect(pool.run((api) => api.memory())).resolves.toBe(42); // the worker is still serviceable
    pool.terminate();
  });

  it('replaces a crashed worker and retries its job once', async () => {
    const { workers, factory } = fakeWorkers((id) => ({
      memory: async () => {
        if (id === 0) {
          setTimeout(() => crash(workers[0]), 5);
          return new Promise<number>(() => {}); // never answers: it "died"
        }
        return 7;
      },
    }));
    const pool = new WorkerPool([], 'x.svs', 1, factory);
    await pool.start();
    await expect(pool.run((api) => api.memory())).resolves.toBe(7);
    expect(workers).toHaveLength(2);
    expect(workers[0].terminated).toBe(true);
    pool.terminate();
  });

  it('reports engine-crashed after the retry crashes too, and never hangs', async () => {
    const { workers, factory } = fakeWorkers((id) => ({
      memory: async () => {
        setTimeout(() => crash(workers[id]), 5);
        return new Promise<number>(() => {});
      },
    }));
    const pool = new WorkerPool([], 'x.svs', 1, factory);
    await pool.start();
    const err = await pool.run((api) => api.memory()).catch((e) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect(err.code).toBe('engine-crashed');
    expect(workers.length).toBe(3); // the first, its replacement, and a fresh one for the next job
    pool.terminate();
  });
});
