// `npm start` shows the build's output, so a build must print nothing but real problems: this runs
// the real production build (vite.config.ts, page and worker) into a temporary folder and fails on
// any warning — a Node built-in pulled into the browser bundle, an oversized first load, an import()
// that cannot split, anything a plugin or Rolldown reports.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build, createLogger, type Rollup } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { firstPaintChunks } from './chunkBudget.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PROBE = 'slidetile build test: probe warning';

describe('the production build', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'slidetile-build-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('prints no warning, and the first paint loads neither Konva nor JSZip', { timeout: 120_000 }, async () => {
    const warnings: string[] = [];
    const logger = createLogger('warn');
    logger.warn = (msg) => void warnings.push(msg);
    logger.warnOnce = (msg) => void warnings.push(msg);
    logger.error = (msg) => void warnings.push(`error: ${msg}`);
    let firstPaint: string[] = [];
    // vitest sets NODE_ENV=test, which Vite would keep: React's development build would be bundled
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    await build({
      root: ROOT,
      configFile: path.join(ROOT, 'vite.config.ts'),
      mode: 'production',
      logLevel: 'warn',
      customLogger: logger,
      build: { outDir: out, emptyOutDir: true },
      plugins: [
        {
          name: 'slidetile-build-test',
          // proves the collector hears what plugins and Rolldown report (else "no warnings" means nothing)
          buildStart() {
            this.warn(PROBE);
          },
          generateBundle(_o, bundle) {
            const chunks = Object.values(bundle).filter((c): c is Rollup.OutputChunk => c.type === 'chunk');
            firstPaint = firstPaintChunks(chunks).flatMap((c) => c.moduleIds);
          },
        },
      ],
    }).finally(() => (process.env.NODE_ENV = nodeEnv));
    expect(warnings.filter((w) => w.includes(PROBE))).toHaveLength(1);
    expect(warnings.filter((w) => !w.includes(PROBE))).toEqual([]);
    expect(firstPaint.some((id) => id.includes('/src/ui/App.tsx'))).toBe(true);
    expect(firstPaint.filter((id) => /node_modules\/(konva|react-konva|jszip|h5wasm|hyparquet-writer)\//.test(id))).toEqual([]);
  });
});
