// The bench page: a tiny entry that imports the real engine (src/engine/browser.ts), the real core and
// the real extractor (src/export/extract.ts), built the same way as the app (ES workers, relative base).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: './',
  logLevel: 'warn',
  worker: { format: 'es' },
  build: { target: 'es2022', outDir: here('../.cache/page'), emptyOutDir: true, assetsInlineLimit: 0 },
});
