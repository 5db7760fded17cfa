import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { precacheManifest, serviceWorkerSource } from './precache.ts';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('precache manifest', () => {
  const files = [
    { path: 'index.html', hash: 'a' },
    { path: 'assets/worker-X.js', hash: 'b' },
    { path: 'assets/worker-X.js.map', hash: 'c' },
    { path: 'sw.js', hash: 'd' },
    { path: '.well-known/x', hash: 'e' },
    { path: 'assets/slidetile-engine-Y.wasm', hash: 'f' },
  ];

  it('lists the served files, sorted, without maps, dotfiles or the worker itself', () => {
    expect(precacheManifest(files, sha).files).toEqual(['assets/slidetile-engine-Y.wasm', 'assets/worker-X.js', 'index.html']);
  });

  it('changes version when any kept file changes, and only then', () => {
    const v = precacheManifest(files, sha).version;
    expect(precacheManifest([...files].reverse(), sha).version).toBe(v);
    expect(precacheManifest(files.map((f) => (f.path === 'sw.js' ? { ...f, hash: 'z' } : f)), sha).version).toBe(v);
    expect(precacheManifest(files.map((f) => (f.path === 'index.html' ? { ...f, hash: 'z' } : f)), sha).version).not.toBe(v);
  });

  it('defines PRECACHE before the worker code and drops the module marker', () => {
    const out = serviceWorkerSource('const a = PRECACHE.files;\nexport {};\n', { version: 'v1', files: ['index.html'] });
    expect(out).toContain('const PRECACHE = {"version":"v1","files":["index.html"]};');
    expect(out.indexOf('const PRECACHE')).toBeLessThan(out.indexOf('const a'));
    expect(out).not.toMatch(/export\s*\{/);
  });
});

describe('service worker source', () => {
  it('drops the export keywords of what sw.ts exports for tests, and refuses a module left over', () => {
    const out = serviceWorkerSource('export const A = 1;\nexport function f() {}\nexport async function g() {}\nexport class C {}\nf();\n', { version: 'v', files: [] });
    expect(out).toContain('\nconst A = 1;\nfunction f() {}\nasync function g() {}\nclass C {}\n');
    expect(out).not.toMatch(/^export/m);
    expect(() => serviceWorkerSource("import x from './x.ts';\n", { version: 'v', files: [] })).toThrow(/classic script/);
  });
});
