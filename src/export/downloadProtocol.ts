// The page ↔ service worker protocol of a streamed download (src/export/downloadSink.ts is the page
// side, src/ui/offline/sw.ts the worker side). Types only: the service worker is compiled alone
// (vite.config.ts strips types, it bundles nothing), so both sides share these as `import type` and
// the literal `type` fields keep them in step.
//
//   page                                   service worker
//   controller.postMessage(open, [port]) ─▶ keeps the port under `id`
//                                        ◀─ ready { url }            (a URL only this download answers)
//   hidden iframe navigates to url       ─▶ fetch: Response(ReadableStream, attachment)
//                                        ◀─ started
//                                        ◀─ pull                     (the stream has room for one chunk)
//   chunk { data }                       ─▶ enqueued; the browser writes it to the download
//   …one chunk per pull: the page's write() waits for a pull, so at most the stream's high-water
//    mark (plus one chunk) is ever queued, whatever the export's size…
//   end                                  ─▶ the stream closes: the download completes
//   abort { reason }                     ─▶ the stream errors: the download fails (page error, reload)
//                                        ◀─ cancel { reason }        (the user cancelled the download)
//   controller.postMessage(keepalive)    ─▶ every few seconds: keeps the worker alive (port messages
//                                           do not extend a service worker's lifetime)

/** page → service worker (controller.postMessage), with the download's MessagePort transferred */
export interface DownloadOpen {
  type: 'slidetile-download';
  id: string;
  /** the file name offered to the browser */
  name: string;
}

/** page → service worker (controller.postMessage) while a download runs */
export interface DownloadKeepAlive {
  type: 'slidetile-download-keepalive';
  id: string;
}

/** page → service worker, on the download's port */
export type PageMessage = { type: 'chunk'; data: Uint8Array } | { type: 'end' } | { type: 'abort'; reason: string };

/** service worker → page, on the download's port */
export type WorkerMessage =
  | { type: 'ready'; url: string }
  | { type: 'started' }
  | { type: 'pull' }
  | { type: 'cancel'; reason: string }
  /** the fetch came for an id the worker does not know (another worker version, or a second fetch) */
  | { type: 'error'; reason: string };
