// coords.h5: the coordinate file CLAM and TRIDENT (and the slide encoders built on their files) read —
// an (N, 2) int64 dataset `coords` of level-0 top-left corners with the patching parameters as its
// attributes (core/export/dataset.ts says which and why). Written with h5wasm (the HDF5 C library in
// WebAssembly, NIST's package) into its in-memory file system, then read back as bytes: N×16 bytes
// plus a few KB, so even a million tiles stay small. h5wasm is loaded only when this file is asked
// for (it is 4 MB), in the browser and in Node alike.
import { H5_FLOAT_ATTRIBUTES, type H5Attribute } from '../../core/export/dataset.ts';

let serial = 0;

export async function coordsH5(x0: Int32Array, y0: Int32Array, attrs: Record<string, H5Attribute>): Promise<Uint8Array> {
  const h5wasm = await import('h5wasm');
  const { FS } = await h5wasm.ready;
  if (!FS) throw new Error('h5wasm: no file system');
  const path = `/slidetile-coords-${++serial}.h5`;
  const n = x0.length;
  const coords = new BigInt64Array(2 * n);
  for (let k = 0; k < n; k++) {
    coords[2 * k] = BigInt(x0[k]);
    coords[2 * k + 1] = BigInt(y0[k]);
  }
  const f = new h5wasm.File(path, 'w');
  try {
    // an empty selection still gets a (0, 2) dataset: readers index coords[:, 0] without a special case
    const ds = f.create_dataset({ name: 'coords', data: coords, shape: [n, 2], dtype: '<q' });
    for (const [name, v] of Object.entries(attrs)) {
      if (H5_FLOAT_ATTRIBUTES.has(name) && typeof v !== 'string') ds.create_attribute(name, Float64Array.from([v].flat()), typeof v === 'number' ? [] : [v.length], '<d');
      else if (typeof v === 'string') ds.create_attribute(name, v);
      // integers as int64 (what numpy gives CLAM's own files), the rest as float64
      // (a scalar int64 is given as a one-element BigInt64Array with an empty shape: a scalar attribute)
      else if (typeof v === 'number') ds.create_attribute(name, Number.isInteger(v) ? BigInt64Array.of(BigInt(v)) : v, Number.isInteger(v) ? [] : null, Number.isInteger(v) ? '<q' : '<d');
      else if (v.every(Number.isInteger)) ds.create_attribute(name, BigInt64Array.from(v, BigInt), [v.length], '<q');
      else ds.create_attribute(name, Float64Array.from(v), [v.length], '<d');
    }
  } finally {
    f.close();
  }
  try {
    return FS.readFile(path);
  } finally {
    FS.unlink(path);
  }
}
