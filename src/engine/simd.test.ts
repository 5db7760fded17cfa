// The SIMD probe is a valid SIMD module (Node 20 has SIMD, as every supported browser), and a
// runtime without WebAssembly is told no.
import { describe, expect, it } from 'vitest';
import { hasWasmSimd } from './simd.ts';

describe('hasWasmSimd', () => {
  it('is true where WebAssembly SIMD exists', () => {
    expect(hasWasmSimd()).toBe(true);
  });
  it('is false when WebAssembly is missing', () => {
    const saved = globalThis.WebAssembly;
    try {
      // @ts-expect-error: a browser without WebAssembly
      delete globalThis.WebAssembly;
      expect(hasWasmSimd()).toBe(false);
    } finally {
      globalThis.WebAssembly = saved;
    }
  });
});
