// Slidetile's service worker: precaches every file of the build and serves them cache-first, so
// the app keeps working offline once loaded (issue 4, point 7). Hand-written on purpose: no
// Workbox runtime to download, and nothing here ever talks to another origin.
//
// This file is type-checked with the app but built by the `slidetile-precache` plugin in
// vite.config.ts, which strips the types and replaces PRECACHE with the build's file list.
//
// It also answers streamed downloads (issue 8): the page sends a MessagePort, the worker answers a
// fetch of a one-off URL with a ReadableStream fed from that port, so a zip of any size goes to an
// ordinary download while the page writes it, chunk by chunk, with backpressure. Protocol:
// src/export/downloadProtocol.ts; page side: src/export/downloadSink.ts.
//
// Why not StreamSaver.js (2.0.6, the known library for this): by default it loads a man-in-the-middle
// page from jimmywarting.github.io (another origin: against our CSP and our promise that the page
// talks to its own origin only); self-hosted it needs its own mitm.html and its own service worker,
// which cannot share the app's scope with this precaching worker; and its MessageChannel path
// (browsers without transferable streams) posts every chunk without waiting for the worker ("TODO
// … we can't handle backpressure" in its source), so memory would grow with the export again. The
// protocol needed here is ~100 lines, below.
//
// Exported functions are for the unit tests (download.test.ts); serviceWorkerSource() drops the
// `export` keywords, and main() runs only in the built worker, where PRECACHE is defined.
/// <reference lib="webworker" />
import type { DownloadKeepAlive, DownloadOpen, PageMessage, WorkerMessage } from '../../export/downloadProtocol.ts';
declare const self: ServiceWorkerGlobalScope;

interface Precache {
  /** content hash of the whole build: a new build gets a new cache and a byte-different sw.js */
  version: string;
  /** paths relative to this script (the app's own directory) */
  files: string[];
}
declare const PRECACHE: Precache;

/** Bytes the worker queues for a download at most before it stops asking the page for more. */
export const DOWNLOAD_HIGH_WATER_BYTES = 1 << 20;

/** The URL folder (under the app's scope) that streamed downloads are served from. */
export const DOWNLOAD_DIR = '__slidetile-download__/';

/**
 * A ReadableStream fed from the page's port: each pull asks the page for one chunk and waits for it,
 * so at most `highWaterMark` bytes (plus one chunk) wait here. The stream's cancel (the user
 * cancelled the download) is told to the page; the page's abort errors the stream (the download
 * fails instead of hanging); `fail` does the same from this side (the page went away).
 */
export function portStream(port: MessagePort, highWaterMark = DOWNLOAD_HIGH_WATER_BYTES): { stream: ReadableStream<Uint8Array>; fail(reason: string): void; done: Promise<void> } {
  let ctl!: ReadableStreamDefaultController<Uint8Array>;
  let wake: (() => void) | null = null;
  let finished = false;
  let settle!: () => void;
  const done = new Promise<void>((r) => (settle = r));
  const send = (m: WorkerMessage) => port.postMessage(m);
  const finish = () => {
    finished = true;
    const w = wake;
    wake = null;
    w?.();
    port.onmessage = null;
    port.close();
    settle();
  };
  const fail = (reason: string) => {
    if (finished) return;
    ctl.error(new Error(reason));
    finish();
  };
  port.onmessage = (ev: MessageEvent<PageMessage>) => {
    const m = ev.data;
    if (finished) return;
    if (m.type === 'chunk') {
      ctl.enqueue(m.data);
      const w = wake;
      wake = null;
      w?.();
    } else if (m.type === 'end') {
      ctl.close();
      finish();
    } else if (m.type === 'abort') fail(m.reason);
  };
  const stream = new ReadableStream<Uint8Array>(
    {
      start(c) {
        ctl = c;
      },
      pull() {
        if (finished) return;
        send({ type: 'pull' });
        return new Promise<void>((r) => (wake = r));
      },
      cancel(reason) {
        if (finished) return;
        send({ type: 'cancel', reason: reason instanceof Error ? reason.message : String(reason ?? 'download cancelled') });
        finish();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark }),
  );
  return { stream, fail, done };
}

/** `attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266 / 5987). */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const exact = encodeURIComponent(name).replace(/['()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  return `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`;
}

function main() {
  const PREFIX = 'slidetile-';
  const CACHE = PREFIX + PRECACHE.version;
  // relative to sw.js, so the app works under any sub-path (vite base './')
  const scope = new URL('./', self.location.href);
  const urls = PRECACHE.files.map((f) => new URL(f, scope).href);
  const index = new URL('index.html', scope).href;

  self.addEventListener('install', (ev) => {
    // all or nothing: addAll fails the install if one file is missing, and the old worker stays
    ev.waitUntil(
      caches
        .open(CACHE)
        .then((c) => c.addAll(urls.map((u) => new Request(u, { cache: 'reload' }))))
        .then(() => self.skipWaiting()),
    );
  });

  self.addEventListener('activate', (ev) => {
    // keep the previous build's cache too: a tab still running it (skipWaiting took its worker away)
    // may yet need a file of it, e.g. its engine worker when it opens its first slide. Older go.
    ev.waitUntil(
      caches
        .keys()
        .then((keys) => {
          const ours = keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE);
          return Promise.all(ours.slice(0, -1).map((k) => caches.delete(k))); // keys() is in creation order
        })
        .then(() => self.clients.claim()),
    );
  });

  // streamed downloads: opened by a message with the page's port, answered once by a fetch
  const downloads = new Map<string, { port: MessagePort; name: string; clientId: string | null }>();
  const downloadBase = new URL(DOWNLOAD_DIR, scope).href;

  self.addEventListener('message', (ev) => {
    const d = ev.data as DownloadOpen | DownloadKeepAlive | null;
    // a keepalive needs no answer: receiving it is what keeps this worker alive during a download
    if (d?.type !== 'slidetile-download' || !ev.ports[0]) return;
    const port = ev.ports[0];
    const source = ev.source as Client | null;
    downloads.set(d.id, { port, name: d.name, clientId: source && 'id' in source ? source.id : null });
    const ready: WorkerMessage = { type: 'ready', url: `${downloadBase}${encodeURIComponent(d.id)}/${encodeURIComponent(d.name)}` };
    port.postMessage(ready);
  });

  function serveDownload(ev: FetchEvent, id: string) {
    const entry = downloads.get(id);
    downloads.delete(id); // one fetch per download: a second one would steal the stream
    if (!entry) {
      ev.respondWith(new Response('This download is over or belongs to another version of the app; start the export again.', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } }));
      return;
    }
    const { stream, fail, done } = portStream(entry.port);
    // the page normally says when it goes (pagehide → abort); if it vanished without a word, fail the
    // download rather than leave it hanging: look for the page every few seconds while streaming
    if (entry.clientId) {
      const clientId = entry.clientId;
      const timer = setInterval(() => {
        void self.clients.get(clientId).then((c) => {
          if (!c) fail('the page writing this download was closed or reloaded');
        });
      }, 5000);
      void done.then(() => clearInterval(timer));
    }
    const started: WorkerMessage = { type: 'started' };
    entry.port.postMessage(started);
    ev.respondWith(
      new Response(stream, {
        headers: {
          'Content-Type': 'application/zip',
          'Content-Disposition': contentDisposition(entry.name),
          'Cache-Control': 'no-store',
          'X-Content-Type-Options': 'nosniff',
        },
      }),
    );
  }

  self.addEventListener('fetch', (ev) => {
    const req = ev.request;
    if (req.method !== 'GET' || !req.url.startsWith(scope.href)) return;
    if (req.url.startsWith(downloadBase)) {
      serveDownload(ev, decodeURIComponent(req.url.slice(downloadBase.length).split('/')[0]));
      return;
    }
    const url = new URL(req.url);
    url.hash = '';
    // the page itself, however it was addressed (./, ./index.html, ./?x)
    const key = req.mode === 'navigate' && (url.pathname === scope.pathname || url.href.split('?')[0] === index) ? index : url.href;
    ev.respondWith(
      caches.open(CACHE).then(async (c) => {
        // ignoreSearch: hashed asset names already carry the version; a query never changes the file.
        // This build first (index.html is not hashed), then the previous build's hashed files.
        const hit = (await c.match(key, { ignoreSearch: true })) ?? (await caches.match(key, { ignoreSearch: true }));
        return hit ?? fetch(req);
      }),
    );
  });
}

if (typeof PRECACHE !== 'undefined') main();
