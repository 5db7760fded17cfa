// The pool's scheduling, cancellation and crash handling, with workers that are MessageChannel ports
// behind the Web Worker adapter (the real engine in Node threads: node-pool.test.ts; in the browser:
// e2e). A "crash" is the worker's error event.
import * as Comlink from 'comlink';
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { WorkerPool, webWorker } from './pool.ts';
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
    return webWorker(w as unknown as Worker);
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

  it('removes its abort listener when a request settles, however it settles', async () => {
    let calls = 0;
    const { factory } = fakeWorkers(() => ({
      memory: async () => {
        if (++calls % 3 === 0) throw new EngineError('read-failed', 'bad tile'); // rejected requests must detach too
        return calls;
      },
    }));
    const pool = new WorkerPool([], 'x.svs', 2, factory);
    await pool.start();
    const ac = new AbortController();
    const runs = Array.from({ length: 300 }, () => pool.run((api) => api.memory(), ac.signal).then(() => 'ok', () => 'failed'));
    // while they run, one listener for the signal, however many requests wait on it
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(1);
    const outcomes = await Promise.all(runs);
    expect(outcomes.filter((o) => o === 'failed')).toHaveLength(100);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
    // cancelled ones detach as well: the signal fires once and keeps nothing
    const queued = Array.from({ length: 20 }, () => pool.run((api) => api.memory(), ac.signal).catch((e) => e.code));
    ac.abort();
    expect(new Set(await Promise.all(queued))).toEqual(new Set(['aborted']));
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
    pool.terminate();
  });

  it('keeps nothing of a settled request: no wait on a worker outlives it (results are not retained)', async () => {
    // Promise.race with a worker's never-settling "died" promise kept every result (a tile's bytes)
    // reachable for the worker's life: the CLI's memory grew with the export
    const { factory } = fakeWorkers(() => ({ memory: async () => 1 }));
    const pool = new WorkerPool([], 'x.svs', 2, factory);
    await pool.start();
    await Promise.all(Array.from({ length: 200 }, () => pool.run((api) => api.memory())));
    const slots = (pool as unknown as { slots: { mourners: Set<unknown> }[] }).slots;
    expect(slots).toHaveLength(2);
    for (const s of slots) expect(s.mourners.size).toBe(0);
    pool.terminate();
  });

  it('rejects a running request when the pool is terminated, rather than leaving it pending', async () => {
    const { factory } = fakeWorkers(() => ({ memory: () => new Promise<number>(() => {}) }));
    const pool = new WorkerPool([], 'x.svs', 1, factory);
    await pool.start();
    const running = pool.run((api) => api.memory());
    const queued = pool.run((api) => api.memory());
    pool.terminate();
    await expect(running).rejects.toMatchObject({ code: 'aborted' });
    await expect(queued).rejects.toMatchObject({ code: 'aborted' });
  });

  it('keeps each worker busy with at most two requests (one running, one waiting) and queues the rest', async () => {
    const inWorker = [0, 0];
    let most = [0, 0];
    const gates: (() => void)[] = [];
    const { factory } = fakeWorkers((id) => ({
      memory: async () => {
        inWorker[id]++;
        most = most.map((m, i) => Math.max(m, inWorker[i]));
        await new Promise<void>((r) => gates.push(r));
        inWorker[id]--;
        return id;
      },
    }));
    const pool = new WorkerPool([], 'x.svs', 2, factory);
    await pool.start();
    const runs = Array.from({ length: 10 }, () => pool.run((api) => api.memory()));
    // both workers get two requests before any finishes; the other six wait in the pool
    await expect.poll(() => gates.length).toBe(4);
    await new Promise((r) => setTimeout(r, 20));
    expect(gates).toHaveLength(4);
    while (gates.length > 0 || inWorker.some((n) => n > 0)) {
      gates.shift()?.();
      await new Promise((r) => setTimeout(r, 1));
    }
    expect(new Set(await Promise.all(runs))).toEqual(new Set([0, 1]));
    expect(most).toEqual([2, 2]);
    pool.terminate();
  });
});
