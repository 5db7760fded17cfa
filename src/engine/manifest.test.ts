// The committed engine build is the one its manifest describes, and within the size budget.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadEngineNode } from './node.ts';

const dist = path.resolve(import.meta.dirname, '../../wasm/dist');
const manifest = JSON.parse(readFileSync(path.join(dist, 'manifest.json'), 'utf8')) as {
  inputsHash: string;
  debianSources: Record<string, { version: string; dscSha256: string }>;
  files: Record<string, { sha256: string; bytes: number; gzipBytes: number }>;
};

describe('wasm/dist', () => {
  it.each(Object.entries(manifest.files))('%s matches its manifest entry', (name, entry) => {
    const bytes = readFileSync(path.join(dist, name));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(entry.sha256);
    expect(bytes.length).toBe(entry.bytes);
  });

  it('names a pinned Debian source for OpenSlide and each library', () => {
    for (const pkg of ['openslide', 'tiff', 'libjpeg-turbo', 'openjpeg2', 'glib2.0', 'cairo', 'pixman', 'libxml2', 'sqlite3', 'libpng1.6', 'zlib']) {
      expect(manifest.debianSources[pkg]?.version, pkg).toMatch(/^\S+$/);
      expect(manifest.debianSources[pkg]?.dscSha256, pkg).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('exports every function wasm/exports.json lists, the JPEG encoder among them', async () => {
    const { functions } = JSON.parse(readFileSync(path.resolve(dist, '../exports.json'), 'utf8')) as { functions: string[] };
    const m = (await loadEngineNode()) as unknown as Record<string, unknown>;
    const missing = functions.filter((f) => typeof m[f] !== 'function');
    expect(missing).toEqual([]);
    expect(functions).toContain('_st_encode_jpeg_rgb');
  });

  it('keeps the module under 3 MB gzipped', () => {
    const gz = gzipSync(readFileSync(path.join(dist, 'slidetile-engine.wasm')), { level: 9 }).length;
    console.log(`slidetile-engine.wasm: ${(gz / 1e6).toFixed(2)} MB gzipped`);
    expect(gz).toBeLessThan(3 * 1024 * 1024);
  });
});
