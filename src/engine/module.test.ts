// engine/module.ts is written by hand beside wasm/exports.json (the list the build exports): this
// keeps the two, and the built module, saying the same thing. A function exported but not declared
// is unusable from TypeScript; one declared but not exported is a call that fails at run time.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { loadEngineNode } from './node.ts';

const root = path.resolve(import.meta.dirname, '../..');
const exportsJson = JSON.parse(readFileSync(path.join(root, 'wasm/exports.json'), 'utf8')) as { functions: string[]; runtime: string[] };

/** The members of `interface EngineModule` in module.ts. */
function declaredMembers(): string[] {
  const file = path.join(root, 'src/engine/module.ts');
  const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const names: string[] = [];
  src.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node) && node.name.text === 'EngineModule') {
      for (const m of node.members) if (m.name && ts.isIdentifier(m.name)) names.push(m.name.text);
    }
  });
  return names;
}

describe('engine/module.ts and wasm/exports.json agree', () => {
  const declared = declaredMembers();

  it('every exported C function is declared, and every declared one is exported', () => {
    const fns = declared.filter((n) => n.startsWith('_'));
    expect(fns.length).toBeGreaterThan(10);
    expect(new Set(fns)).toEqual(new Set(exportsJson.functions));
  });

  it('every declared runtime member is exported by the build', () => {
    for (const n of declared.filter((n) => !n.startsWith('_'))) expect(exportsJson.runtime, n).toContain(n);
  });

  it('the built module (wasm/dist) has every declared member', async () => {
    const m = (await loadEngineNode()) as unknown as Record<string, unknown>;
    for (const n of declared) expect(m[n], n).toBeDefined();
    for (const n of declared.filter((n) => n.startsWith('_'))) expect(typeof m[n], n).toBe('function');
  });
});
