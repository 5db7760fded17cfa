// The default export path (issue 8): a zip streamed to an ordinary browser download through the
// app's own service worker, in every browser that has one — no file picker, and memory bounded
// whatever the export's size. The page writes zip bytes (ZipStreamWriter, entry by entry as tiles
// arrive) into a MessagePort; the worker (src/ui/offline/sw.ts) answers a fetch of a one-off URL
// with a ReadableStream fed from that port; a hidden iframe navigates to it and the browser saves
// the response as a download. Protocol and message types: downloadProtocol.ts.
//
// Backpressure: write() returns only once the worker has asked for the chunk (a `pull`, sent when
// its stream has room under a 1 MB high-water mark), so the page holds at most one coalescing
// buffer and the worker at most its high-water mark, however fast tiles are read.
import type { DownloadKeepAlive, DownloadOpen, PageMessage, WorkerMessage } from './downloadProtocol.ts';
import { StreamZipSink } from './sink.ts';
import type { ByteWritable } from './zipStream.ts';

/** The user cancelled the download in the browser (the worker's stream was cancelled). */
export class DownloadCancelledError extends Error {
  override name = 'DownloadCancelledError';
}

/** Small writes (one small tile each) are gathered to about this size before one message. */
export const DOWNLOAD_CHUNK_BYTES = 256 * 1024;

/**
 * The page end of a download's port, as the ByteWritable a ZipStreamWriter writes into. It also
 * resolves `ready` (the worker's URL for this download) and `started` (the browser fetched it).
 */
export class PortWritable implements ByteWritable {
  readonly ready: Promise<string>;
  readonly started: Promise<void>;
  /** bytes handed to the worker so far */
  sent = 0;
  /** pulls received and not yet answered */
  private credits = 0;
  private wake: (() => void) | null = null;
  private failure: Error | null = null;
  private finished = false;
  private readonly buf: Uint8Array<ArrayBuffer>;
  private fill = 0;
  private resolveReady!: (url: string) => void;
  private resolveStarted!: () => void;
  private rejectSetup!: (e: Error) => void;
  /** called once when the user cancels the download */
  onCancel: ((e: DownloadCancelledError) => void) | null = null;

  constructor(
    private readonly port: MessagePort,
    private readonly chunkBytes = DOWNLOAD_CHUNK_BYTES,
  ) {
    this.buf = new Uint8Array(chunkBytes);
    let rejectReady!: (e: Error) => void;
    let rejectStarted!: (e: Error) => void;
    this.ready = new Promise((res, rej) => ((this.resolveReady = res), (rejectReady = rej)));
    this.started = new Promise((res, rej) => ((this.resolveStarted = res), (rejectStarted = rej)));
    this.ready.catch(() => {});
    this.started.catch(() => {});
    this.rejectSetup = (e) => (rejectReady(e), rejectStarted(e));
    port.onmessage = (ev: MessageEvent<WorkerMessage>) => this.receive(ev.data);
  }

  get cancelled(): boolean {
    return this.failure instanceof DownloadCancelledError;
  }

  private receive(m: WorkerMessage) {
    if (m.type === 'ready') this.resolveReady(m.url);
    else if (m.type === 'started') this.resolveStarted();
    else if (m.type === 'pull') {
      this.credits++;
      this.wakeUp();
    } else if (m.type === 'cancel') {
      const e = new DownloadCancelledError(`the download was cancelled in the browser (${m.reason})`);
      this.stop(e);
      this.onCancel?.(e);
    } else if (m.type === 'error') this.stop(new Error(m.reason));
  }

  private wakeUp() {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private stop(e: Error) {
    if (this.failure || this.finished) return;
    this.failure = e;
    this.rejectSetup(e);
    this.wakeUp();
    this.port.onmessage = null;
    this.port.close();
  }

  private post(m: PageMessage, transfer: Transferable[] = []) {
    this.port.postMessage(m, transfer);
  }

  /** Waits for a pull, then hands one chunk over. */
  private async send(data: Uint8Array, transfer: boolean) {
    while (this.credits === 0 && !this.failure) await new Promise<void>((r) => (this.wake = r));
    if (this.failure) throw this.failure;
    this.credits--;
    const n = data.byteLength; // before a transfer empties it
    this.post({ type: 'chunk', data }, transfer ? [data.buffer as ArrayBuffer] : []);
    this.sent += n;
  }

  private async flush() {
    if (this.fill === 0) return;
    const out = this.buf.slice(0, this.fill); // its own buffer: transferred, not copied again
    this.fill = 0;
    await this.send(out, true);
  }

  async write(chunk: Uint8Array<ArrayBuffer>): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.finished) throw new Error('download already closed');
    if (this.fill > 0 && this.fill + chunk.byteLength > this.chunkBytes) await this.flush();
    if (chunk.byteLength >= this.chunkBytes) return this.send(chunk, false); // cloned by postMessage
    this.buf.set(chunk, this.fill);
    this.fill += chunk.byteLength;
    if (this.fill >= this.chunkBytes) await this.flush();
  }

  /** Sends what is gathered and ends the stream: the browser completes the download. */
  async close(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.finished) return;
    await this.flush();
    this.finished = true;
    this.post({ type: 'end' });
    // the worker closes the channel after `end`: closing here could drop the message in flight
  }

  /** Fails the download (the browser shows it as failed) instead of leaving a truncated zip. */
  async abort(reason?: unknown): Promise<void> {
    if (this.finished || this.failure) return;
    const text = reason instanceof Error ? reason.message : String(reason ?? 'aborted');
    this.post({ type: 'abort', reason: text });
    this.stop(new Error(`download aborted: ${text}`));
  }
}

/** Why a zip cannot be streamed to a download here, or null when it can. */
export function streamUnavailableReason(): string | null {
  const nav = (globalThis as { navigator?: Navigator }).navigator;
  if (!nav || !('serviceWorker' in nav) || !nav.serviceWorker) return 'this browser (or an insecure http page) has no service workers';
  if (!nav.serviceWorker.controller) return "the app's service worker does not control this page yet (first visit, or a hard reload — a normal reload fixes it)";
  return null;
}

export const canStreamDownloads = () => streamUnavailableReason() === null;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(what)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e) => (clearTimeout(t), reject(e)),
    );
  });
}

/** The frame of the last download: kept until the next one (removing it could end a download). */
let lastFrame: HTMLIFrameElement | null = null;

/** A zip streamed to a browser download: a StreamZipSink over the port, plus cancel and cleanup. */
export class DownloadSink extends StreamZipSink {
  private readonly keepAlive: ReturnType<typeof setInterval>;
  private readonly onHide: () => void;

  constructor(
    readonly port: PortWritable,
    name: string,
    id: string,
    worker: ServiceWorker,
  ) {
    super(port, name);
    // port messages do not keep a service worker alive; a message event does
    const ping: DownloadKeepAlive = { type: 'slidetile-download-keepalive', id };
    this.keepAlive = setInterval(() => worker.postMessage(ping), 10_000);
    // a reload or a closed tab ends the download as failed at once, not as a zip cut short
    this.onHide = () => void port.abort('the page was closed or reloaded during the export');
    addEventListener('pagehide', this.onHide);
  }

  get cancelled(): boolean {
    return this.port.cancelled;
  }

  set onCancel(f: ((e: DownloadCancelledError) => void) | null) {
    this.port.onCancel = f;
  }

  private cleanup() {
    clearInterval(this.keepAlive);
    removeEventListener('pagehide', this.onHide);
  }

  override async close(): Promise<null> {
    try {
      return await super.close();
    } finally {
      this.cleanup();
    }
  }

  override async abort(reason?: unknown): Promise<void> {
    this.cleanup();
    await super.abort(reason);
  }
}

export type DownloadOpening = { ok: true; sink: DownloadSink } | { ok: false; reason: string };

/**
 * Opens a streamed download named `name`: asks the service worker for a URL, starts the browser's
 * download of it in a hidden iframe, and returns once the worker is serving it. When that cannot
 * happen, says why; the caller falls back to a zip in memory (nothing has been written yet).
 */
export async function openDownloadSink(name: string): Promise<DownloadOpening> {
  const why = streamUnavailableReason();
  const worker = navigator.serviceWorker?.controller;
  if (why || !worker) return { ok: false, reason: why ?? 'no service worker' };
  const channel = new MessageChannel();
  const port = new PortWritable(channel.port1);
  const id = crypto.randomUUID();
  const open: DownloadOpen = { type: 'slidetile-download', id, name };
  worker.postMessage(open, [channel.port2]);
  lastFrame?.remove();
  lastFrame = null;
  try {
    const url = await withTimeout(port.ready, 10_000, 'the service worker did not answer');
    const frame = document.createElement('iframe');
    frame.hidden = true;
    frame.title = 'download';
    frame.dataset.testid = 'download-frame';
    frame.src = url;
    document.body.append(frame);
    lastFrame = frame;
    await withTimeout(port.started, 20_000, 'the browser did not start the download');
    return { ok: true, sink: new DownloadSink(port, name, id, worker) };
  } catch (e) {
    await port.abort(e);
    lastFrame?.remove();
    lastFrame = null;
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}
