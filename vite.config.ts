/// <reference types="vitest/config" />
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, transformWithOxc, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { precacheManifest, serviceWorkerSource } from './src/ui/offline/precache.ts';
import { chunkBudget, LAZY_CHUNK_KB } from './tools/build/chunkBudget.ts';
import { engineGlueForBrowser } from './tools/build/engineGlue.ts';

// privacy by construction: the built page may talk to its own origin only (the slide never leaves the
// machine). dev mode is left alone because the dev server needs inline scripts and a websocket.
const csp = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "img-src 'self' blob: data:",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self' blob: data:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
].join('; ');
const contentSecurityPolicy: Plugin = {
  name: 'slidetile-csp',
  apply: 'build',
  transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: csp }, injectTo: 'head-prepend' }],
};

// offline once loaded: after the bundle (and public/) is written, list every file of the build with
// its content hash and write sw.js, the service worker that precaches them (src/ui/offline/sw.ts).
// Walking the written folder catches what the bundle alone misses: the worker chunk, its .wasm,
// index.html and the demo slide copied from public/.
function precache(): Plugin {
  let outDir = '';
  return {
    name: 'slidetile-precache',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async writeBundle() {
      const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
      const files = (readdirSync(outDir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
        .filter((d) => d.isFile())
        .map((d) => {
          const abs = path.join(d.parentPath, d.name);
          return { path: path.relative(outDir, abs).split(path.sep).join('/'), hash: sha(readFileSync(abs)) };
        });
      const src = path.resolve(import.meta.dirname, 'src/ui/offline/sw.ts');
      const { code } = await transformWithOxc(readFileSync(src, 'utf8'), src, { lang: 'ts' });
      writeFileSync(path.join(outDir, 'sw.js'), serviceWorkerSource(code, precacheManifest(files, sha)));
    },
  };
}

// (this Rolldown reads the older name, newer ones the new; both say the same)
const noTimingNotes = { bundlerTimings: false, pluginTimings: false };

// relative base: the built app works from any static server and any sub-path.
// A build prints nothing but real problems (`npm start` shows its output): the engine glue comes
// without its Node path (tools/build/engineGlue.ts; the worker sub-build has its own plugin list),
// sizes are judged by when a chunk loads (tools/build/chunkBudget.ts), and Rolldown's note that
// plugins took a large share of the build is off: that share is the worker sub-build and the 5.7-MB
// engine .wasm it copies, work it must do.
export default defineConfig({
  base: './',
  plugins: [react(), engineGlueForBrowser(), contentSecurityPolicy, precache(), chunkBudget()],
  worker: { format: 'es', plugins: () => [engineGlueForBrowser()], rolldownOptions: { checks: noTimingNotes } },
  build: {
    target: 'es2022',
    outDir: 'dist',
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: LAZY_CHUNK_KB,
    rolldownOptions: { checks: noTimingNotes },
  },
  test: {
    include: ['src/**/*.test.ts', 'tools/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tools/vitest-global-setup.ts'],
    testTimeout: 60_000,
  },
});
