import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserOnlyGlue } from './engineGlue.ts';

const GLUE = path.resolve(import.meta.dirname, '../../wasm/dist/slidetile-engine.mjs');

describe('browserOnlyGlue: the engine glue without its Node path', () => {
  it('the built glue loses every require() of a Node built-in and its Node test', () => {
    const src = readFileSync(GLUE, 'utf8');
    const wanted = [...src.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
    const glue = browserOnlyGlue(src);
    expect(glue.problem).toBeNull();
    expect(glue.removed).toEqual(wanted);
    // (booleans: a failure must not print the whole 100-kB glue)
    expect(/\brequire\(/.test(glue.code)).toBe(false);
    expect(glue.code.includes('ENVIRONMENT_IS_NODE=false;')).toBe(true);
    expect(/ENVIRONMENT_IS_NODE\s*=\s*typeof process/.test(glue.code)).toBe(false);
    // what the browser runs is untouched: the worker test and the module's exports stay
    expect(glue.code.includes('ENVIRONMENT_IS_WORKER=typeof importScripts')).toBe(true);
    expect(glue.code.includes('export default createSlidetileEngine')).toBe(true);
  });
  it('a removed require() that still ran would say why instead of failing obscurely', () => {
    const glue = browserOnlyGlue('var ENVIRONMENT_IS_NODE=typeof process=="object";if(ENVIRONMENT_IS_NODE){x=require("fs")}');
    expect(glue.removed).toEqual(['fs']);
    expect(() => new Function('var x;' + glue.code.replace('ENVIRONMENT_IS_NODE=false', 'ENVIRONMENT_IS_NODE=true'))()).toThrow(
      /Node path \(Node's "fs" module\) is not part of the browser build/,
    );
  });
  it('a glue linked for the browser alone passes through; one whose Node test changed is reported, not guessed at', () => {
    const webOnly = 'var ENVIRONMENT_IS_WEB=typeof window=="object";';
    expect(browserOnlyGlue(webOnly)).toEqual({ code: webOnly, removed: [], problem: null });
    const odd = browserOnlyGlue('var isNode=globalThis.process!==undefined;if(isNode)require("fs")');
    expect(odd.problem).toMatch(/no `ENVIRONMENT_IS_NODE/);
    expect(odd.removed).toEqual([]);
  });
});
