import { describe, expect, it } from 'vitest';
import { installBlockCache } from './blockcache.ts';

// a Blob whose bytes we know, read synchronously the way FileReaderSync would
const bytes = new Uint8Array(1_000_003).map((_, i) => (i * 7 + 3) & 255);
const blob = new Blob([bytes]);
const sliceBytes = new WeakMap<Blob, Uint8Array>();
const origSlice = blob.slice.bind(blob);
blob.slice = (start?: number, end?: number) => {
  const b = origSlice(start, end);
  sliceBytes.set(b, bytes.slice(start, end));
  return b;
};

describe('WORKERFS block cache', () => {
  it('returns the same bytes as direct reads, with far fewer blob reads for small ones', () => {
    let blobReads = 0;
    const fs = {
      stream_ops: {
        read: (s: { node: { size: number; contents: Blob } }, buf: Uint8Array, off: number, len: number, pos: number) => {
          const n = Math.max(0, Math.min(len, s.node.size - pos));
          buf.set(bytes.subarray(pos, pos + n), off);
          return n;
        },
      },
    };
    installBlockCache(fs, (b) => {
      blobReads++;
      return sliceBytes.get(b)!.slice().buffer;
    });
    const stream = { node: { size: bytes.length, contents: blob } };
    for (const [pos, len] of [[0, 10], [262_140, 10], [999_990, 100], [5, 1024], [300_000, 300_000], [1_000_003, 5]]) {
      const out = new Uint8Array(len + 4);
      const n = fs.stream_ops.read(stream, out, 4, len, pos);
      expect(n).toBe(Math.max(0, Math.min(len, bytes.length - pos)));
      expect([...out.subarray(4, 4 + n)]).toEqual([...bytes.subarray(pos, pos + n)]);
    }
    for (let i = 0; i < 1000; i++) fs.stream_ops.read(stream, new Uint8Array(1024), 0, 1024, i * 1024);
    // 1 MB of 1 KB reads: one blob read per 64 KB block, not one per read
    expect(blobReads).toBeLessThan(30);
  });
});
