// Slidetile's service worker: precaches every file of the build and serves them cache-first, so
// the app keeps working offline once loaded (issue 4, point 7). Hand-written on purpose: no
// Workbox runtime to download, and nothing here ever talks to another origin.
//
// This file is type-checked with the app but built by the `slidetile-precache` plugin in
// vite.config.ts, which strips the types and replaces PRECACHE with the build's file list.
/// <reference lib="webworker" />
export {};
declare const self: ServiceWorkerGlobalScope;

interface Precache {
  /** content hash of the whole build: a new build gets a new cache and a byte-different sw.js */
  version: string;
  /** paths relative to this script (the app's own directory) */
  files: string[];
}
declare const PRECACHE: Precache;

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

self.addEventListener('fetch', (ev) => {
  const req = ev.request;
  if (req.method !== 'GET' || !req.url.startsWith(scope.href)) return;
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
