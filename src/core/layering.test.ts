// The core stays pure: it imports only itself and zod (tests may also use node: and test tools).
// A test rather than a lint rule so it runs wherever the unit tests run.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(new URL('.', import.meta.url).pathname);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('core layering', () => {
  const all = files(root);
  it.each(all.map((f) => [relative(root, f), f]))('%s imports only the core and zod', (_, f) => {
    const text = readFileSync(f, 'utf8');
    const test = f.endsWith('.test.ts');
    for (const m of text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
      const spec = m[1];
      if (spec.startsWith('.')) {
        const target = resolve(join(f, '..'), spec);
        expect(target.startsWith(root), `${spec} leaves src/core`).toBe(true);
        expect(spec.endsWith('.ts'), `${spec} needs its .ts extension`).toBe(true);
      } else {
        const allowed = test ? ['zod', 'vitest', 'fast-check'] : ['zod'];
        expect(allowed.includes(spec) || (test && spec.startsWith('node:')), `${spec} is not allowed in ${test ? 'core tests' : 'the core'}`).toBe(true);
      }
    }
    if (!test) expect(text).not.toMatch(/\b(?:document|window|self)\.|\bpostMessage\(|\bnew (?:Worker|OffscreenCanvas|DOMParser)\b/);
  });
});
