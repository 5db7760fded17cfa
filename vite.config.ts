/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

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

// relative base: the built app works from any static server and any sub-path.
export default defineConfig({
  base: './',
  plugins: [react(), contentSecurityPolicy],
  worker: { format: 'es' },
  build: { target: 'es2022', outDir: 'dist', assetsInlineLimit: 0 },
  test: {
    include: ['src/**/*.test.ts', 'tools/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tools/vitest-global-setup.ts'],
    testTimeout: 60_000,
  },
});
