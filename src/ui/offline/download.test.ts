// The streamed-download protocol, both real halves wired by a real MessageChannel (Node's): the
// page's PortWritable (src/export/downloadSink.ts) and the service worker's portStream (sw.ts).
// What the browser does — read the worker's stream into a download — is done here by a reader.
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { DownloadCancelledError, PortWritable } from '../../export/downloadSink.ts';
import type { WorkerMessage } from '../../export/downloadProtocol.ts';
import { StreamZipSink } from '../../export/sink.ts';
import { contentDisposition, portStream } from './sw.ts';

/** Page and worker ends of one download, as openDownloadSink and the worker's fetch handler make them. */
function wire(highWaterMark: number, chunkBytes: number) {
  const ch = new MessageChannel();
  const page = new PortWritable(ch.port1, chunkBytes);
  const worker = portStream(ch.port2, highWaterMark);
  return { page, worker, ch };
}

function bytes(n: number, seed: number): Uint8Array<ArrayBuffer> {
  const a = new Uint8Array(n);
  for (let i = 0; i < n; i++) a[i] = (i * 31 + seed) & 0xff;
  return a;
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('streamed download protocol', () => {
  it('delivers every byte in order and completes the stream on close', async () => {
    const { page, worker } = wire(64 * 1024, 16 * 1024);
    const parts = [bytes(10, 1), bytes(40_000, 2), bytes(3, 3), bytes(100_000, 4), bytes(0, 5), bytes(17_000, 6)];
    const reading = new Response(worker.stream).arrayBuffer();
    for (const p of parts) await page.write(p);
    await page.close();
    const got = new Uint8Array(await reading);
    const want = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      want.set(p, at);
      at += p.length;
    }
    expect(got).toEqual(want);
    expect(page.sent).toBe(want.length);
  });

  it('backpressure: with nobody reading, writes stop once the worker queue is full', async () => {
    const hwm = 64 * 1024;
    const chunk = 16 * 1024;
    const { page, worker } = wire(hwm, chunk);
    const reader = worker.stream.getReader();
    // write 2 MB as fast as the page may; nobody reads yet
    let written = 0;
    const writer = (async () => {
      for (let i = 0; i < 128; i++) {
        await page.write(bytes(chunk, i));
        written += chunk;
      }
    })();
    for (let i = 0; i < 50; i++) await tick();
    const blocked = written < 128 * chunk;
    // at most the worker's high-water mark plus one chunk in the page's buffer has been accepted
    expect(blocked).toBe(true);
    expect(page.sent).toBeLessThanOrEqual(hwm + chunk);
    expect(written).toBeLessThanOrEqual(hwm + 2 * chunk);
    // reading frees room, and the writer runs to the end; the queue never outgrows the bound
    let read = 0;
    let maxAhead = 0;
    for (;;) {
      const r = await reader.read();
      if (r.done) break;
      read += r.value.byteLength;
      maxAhead = Math.max(maxAhead, page.sent - read);
      if (read === 128 * chunk) break;
    }
    await writer;
    expect(read).toBe(128 * chunk);
    expect(maxAhead).toBeLessThanOrEqual(hwm + chunk);
    await page.close();
    expect((await reader.read()).done).toBe(true);
  });

  it('the user cancelling the download rejects the pending write and calls onCancel once', async () => {
    const { page, worker } = wire(16 * 1024, 16 * 1024);
    const reader = worker.stream.getReader();
    const cancels: Error[] = [];
    page.onCancel = (e) => cancels.push(e);
    await page.write(bytes(16 * 1024, 1));
    await reader.read();
    // fill the queue, then one write that has to wait for room
    await page.write(bytes(16 * 1024, 2));
    const waiting = page.write(bytes(16 * 1024, 3)).then(
      () => 'written',
      (e: unknown) => e,
    );
    await reader.cancel('user cancelled');
    const outcome = await waiting;
    expect(outcome).toBeInstanceOf(DownloadCancelledError);
    expect(String((outcome as Error).message)).toMatch(/cancelled in the browser.*user cancelled/);
    expect(cancels).toHaveLength(1);
    expect(page.cancelled).toBe(true);
    await expect(page.write(bytes(1, 4))).rejects.toBeInstanceOf(DownloadCancelledError);
    await expect(page.close()).rejects.toBeInstanceOf(DownloadCancelledError);
    await worker.done;
  });

  it('a page abort (an export error, a reload) errors the stream: the download fails, not truncates', async () => {
    const { page, worker } = wire(1 << 20, 1024);
    const reading = new Response(worker.stream).arrayBuffer();
    await page.write(bytes(5000, 1));
    await page.abort(new Error('the page was closed or reloaded during the export'));
    await expect(reading).rejects.toThrow(/closed or reloaded/);
    await expect(page.write(bytes(1, 2))).rejects.toThrow(/aborted/);
  });

  it("the worker's own fail (the page vanished) errors the stream and rejects the page's writes", async () => {
    const { page, worker } = wire(1024, 1024);
    const reading = new Response(worker.stream).arrayBuffer();
    worker.fail('the page writing this download was closed or reloaded');
    await expect(reading).rejects.toThrow(/closed or reloaded/);
    await worker.done;
    // the port is closed: the page's write can never get room; nothing is delivered
    expect(page.sent).toBe(0);
  });

  it('answers setup messages: ready carries the URL, started resolves', async () => {
    const ch = new MessageChannel();
    const page = new PortWritable(ch.port1, 4);
    const ready: WorkerMessage = { type: 'ready', url: 'http://127.0.0.1/__slidetile-download__/x/a.zip' };
    ch.port2.postMessage(ready);
    ch.port2.postMessage({ type: 'started' } satisfies WorkerMessage);
    expect(await page.ready).toBe(ready.url);
    await page.started;
        const writing = page.write(bytes(8, 1));
    ch.port2.postMessage({ type: 'error', reason: 'unknown download' } satisfies WorkerMessage);
    // a write that waits for room fails with the worker's reason
    await expect(writing).rejects.toThrow(/unknown download/);
    ch.port2.close();
  });

  it('a zip of 3,000 entries streamed through it opens with every CRC intact', async () => {
    const { page, worker } = wire(256 * 1024, 64 * 1024);
    const reading = new Response(worker.stream).arrayBuffer();
    const sink = new StreamZipSink(page, 'x.zip');
    for (let i = 0; i < 3000; i++) await sink.write(`tiles/t${i}.png`, bytes(100 + (i % 700), i));
    await sink.write('tiles.csv', 'index\n' + Array.from({ length: 3000 }, (_, i) => i).join('\n'));
    await sink.close();
    const zip = await JSZip.loadAsync(await reading, { checkCRC32: true });
    const names = Object.keys(zip.files);
    expect(names).toHaveLength(3001);
    expect(await zip.file('tiles/t2999.png')!.async('uint8array')).toEqual(bytes(100 + (2999 % 700), 2999));
    for (const n of names) await zip.file(n)!.async('uint8array'); // checkCRC32 verifies each
  });

  it('names the file for every browser: ASCII fallback and the exact UTF-8 name', () => {
    expect(contentDisposition('CMU-1_tiles.zip')).toBe(`attachment; filename="CMU-1_tiles.zip"; filename*=UTF-8''CMU-1_tiles.zip`);
    expect(contentDisposition('µm "x" (1).zip')).toBe(`attachment; filename="_m _x_ (1).zip"; filename*=UTF-8''%C2%B5m%20%22x%22%20%281%29.zip`);
  });
});
