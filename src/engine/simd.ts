// The engine is compiled with WebAssembly SIMD (-msimd128: libjpeg-turbo's kernels and the
// autovectorised C). Every browser Slidetile supports has it (Chromium 91+, Firefox 89+, Safari 16.4+);
// one without it would fail to compile the module with an opaque CompileError, so it is asked first
// and refused in words.

/** The smallest module that uses a SIMD instruction: one function returning v128.const 0. */
function probeModule(): Uint8Array<ArrayBuffer> {
  const body = [0x00, 0xfd, 0x0c, ...new Array<number>(16).fill(0), 0x0b]; // no locals; v128.const; end
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
    0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
    0x0a, body.length + 2, 0x01, body.length, ...body, // code section
  ]);
}

export function hasWasmSimd(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(probeModule());
  } catch {
    return false;
  }
}

export const NO_SIMD_MESSAGE =
  "This browser cannot run Slidetile's engine: it lacks WebAssembly SIMD. Use a current Chromium (91 or newer), Firefox (89 or newer) or Safari (16.4 or newer).";
