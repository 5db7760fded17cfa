// Diagnostics for the benchmark's closing note (not the figures): one engine instance in a worker,
// like src/engine/worker.ts, with clocks around each phase — FileReaderSync (WORKERFS's file I/O),
// the wasm read, the std, the browser's PNG encoder — and an alternative PNG encoder (PIL's adaptive
// row filters + the browser's native zlib through CompressionStream) to compare size and time.
import createEngine from '../../wasm/dist/slidetile-engine.mjs';
import wasmUrl from '../../wasm/dist/slidetile-engine.wasm?url';
import { rgbStd } from '../../src/core/filters/std.ts';
import { OpenSlideHandle } from '../../src/engine/binding.ts';
import type { EngineModule } from '../../src/engine/module.ts';
import { level0, levelPx } from '../../src/engine/types.ts';
import { encodePngZlib } from './png.ts';

// FileReaderSync round trips (calls, bytes) the engine's file reads cause; counted in instrumentReads
// (no wrapper around FileReaderSync itself: that changed the figures)
const io = { calls: 0, ms: 0, bytes: 0 };
// every file read the engine makes (WORKERFS stream_ops.read: Blob.slice + FileReaderSync + copy)
const fsReads = { calls: 0, ms: 0 };
const resetIo = () => {
  Object.assign(io, { calls: 0, ms: 0, bytes: 0 });
  Object.assign(fsReads, { calls: 0, ms: 0 });
};

interface WorkerNode {
  id: number;
  size: number;
  contents: Blob;
}
type ReadOp = (stream: { node: WorkerNode }, buffer: Uint8Array, offset: number, length: number, position: number) => number;

/**
 * The experiment behind the closing note: WORKERFS pays one Blob.slice + FileReaderSync (an IPC
 * round trip to the browser process) per read() OpenSlide makes. With `block` > 0, reads are served
 * from an LRU of aligned blocks of that size (at most `maxBytes`), so neighbouring small reads
 * (TIFF directories, a row of JPEG tiles) cost one round trip.
 */
function instrumentReads(mod: EngineModule, block: number, maxBytes: number) {
  const ops = (mod.WORKERFS as { stream_ops: { read: ReadOp } }).stream_ops;
  const orig = ops.read;
  const reader = new FileReaderSync();
  const blocks = new Map<string, Uint8Array>();
  const maxBlocks = block > 0 ? Math.max(1, Math.floor(maxBytes / block)) : 0;
  ops.read = function (this: unknown, stream, buffer, offset, length, position) {
    const t = performance.now();
    let n: number;
    if (block <= 0) {
      n = orig.call(this, stream, buffer, offset, length, position);
      io.calls++;
      io.bytes += n;
    } else {
      const node = stream.node;
      const end = Math.min(node.size, position + length);
      n = Math.max(0, end - position);
      for (let p = position; p < end; ) {
        const bi = Math.floor(p / block);
        const key = `${node.id}:${bi}`;
        let blk = blocks.get(key);
        if (blk) blocks.delete(key);
        else {
          blk = new Uint8Array(reader.readAsArrayBuffer(node.contents.slice(bi * block, Math.min(node.size, (bi + 1) * block))));
          io.calls++;
          io.bytes += blk.length;
        }
        blocks.set(key, blk);
        if (blocks.size > maxBlocks) blocks.delete(blocks.keys().next().value as string);
        const off = p - bi * block;
        const take = Math.min(end - p, blk.length - off);
        buffer.set(blk.subarray(off, off + take), offset + (p - position));
        p += take;
      }
    }
    const dt = performance.now() - t;
    fsReads.ms += dt;
    io.ms += dt;
    fsReads.calls++;
    return n;
  };
}

let m: EngineModule | null = null;
let h: OpenSlideHandle | null = null;

function rgbToRgba(rgb: Uint8Array, n: number) {
  const out = new Uint8ClampedArray(n * 4);
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    out[i * 4] = rgb[j];
    out[i * 4 + 1] = rgb[j + 1];
    out[i * 4 + 2] = rgb[j + 2];
    out[i * 4 + 3] = 255;
  }
  return out;
}

async function browserPng(rgb: Uint8Array, w: number, hgt: number) {
  const c = new OffscreenCanvas(w, hgt);
  const ctx = c.getContext('2d')!;
  ctx.putImageData(new ImageData(rgbToRgba(rgb, w * hgt), w, hgt), 0, 0);
  return new Uint8Array(await (await c.convertToBlob({ type: 'image/png' })).arrayBuffer());
}

type Msg =
  | { cmd: 'open'; file: File; block?: number; maxBytes?: number }
  | { cmd: 'reads'; xy: [number, number][]; level: number; size: number }
  | { cmd: 'tiles'; origins: [number, number][]; level: number; size: number; std: number; limit: number };

self.onmessage = async (ev: MessageEvent<Msg>) => {
  const d = ev.data;
  try {
    if (d.cmd === 'open') {
      const t0 = performance.now();
      m = (await createEngine({ locateFile: () => wasmUrl, print: () => {}, printErr: () => {} })) as EngineModule;
      const t1 = performance.now();
      instrumentReads(m, d.block ?? 0, d.maxBytes ?? 16 << 20);
      m.FS.mkdir('/s');
      m.FS.mount(m.WORKERFS, { blobs: [{ name: d.file.name, data: d.file }] }, '/s');
      resetIo();
      h = OpenSlideHandle.open(m, `/s/${d.file.name}`, d.file.name);
      const t2 = performance.now();
      postMessage({ ok: true, block: d.block ?? 0, instantiateMs: t1 - t0, openMs: t2 - t1, io: { ...io }, fsReads: { ...fsReads }, info: h.info });
    } else if (d.cmd === 'reads') {
      const hh = h!;
      hh.readRegion(level0(d.xy[0][0]), level0(d.xy[0][1]), d.level, levelPx(d.size), levelPx(d.size));
      resetIo();
      const t0 = performance.now();
      for (const [x, y] of d.xy) hh.readRegion(level0(x), level0(y), d.level, levelPx(d.size), levelPx(d.size));
      const ms = performance.now() - t0;
      postMessage({ ok: true, reads: d.xy.length, ms, msPerRead: ms / d.xy.length, io: { ...io }, ioMsPerRead: io.ms / d.xy.length, ioCallsPerRead: io.calls / d.xy.length, fsReadMsPerRead: fsReads.ms / d.xy.length, fsReadCallsPerRead: fsReads.calls / d.xy.length });
    } else if (d.cmd === 'tiles') {
      const hh = h!;
      resetIo();
      const t = { read: 0, std: 0, browserPng: 0, zlibPng: 0 };
      const bytes = { browserPng: 0, zlibPng: 0 };
      let saved = 0;
      let examined = 0;
      let sample: Uint8Array | null = null;
      for (const [x, y] of d.origins) {
        examined++;
        const t0 = performance.now();
        const tile = hh.readTile(levelPx(x), levelPx(y), d.level, levelPx(d.size), levelPx(d.size), 255);
        const t1 = performance.now();
        const s = rgbStd(tile.data);
        const t2 = performance.now();
        t.read += t1 - t0;
        t.std += t2 - t1;
        if (s <= d.std) continue;
        const a = await browserPng(tile.data, d.size, d.size);
        const t3 = performance.now();
        const b = await encodePngZlib(tile.data, d.size, d.size);
        const t4 = performance.now();
        t.browserPng += t3 - t2;
        t.zlibPng += t4 - t3;
        bytes.browserPng += a.byteLength;
        bytes.zlibPng += b.byteLength;
        sample ??= a;
        if (++saved >= d.limit) break;
      }
      postMessage({
        ok: true,
        saved,
        examined,
        msPerSaved: Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v / saved])),
        meanBytes: { browserPng: bytes.browserPng / saved, zlibPng: bytes.zlibPng / saved },
        io: { ...io },
        ioMsPerSaved: io.ms / saved,
        fsReadMsPerSaved: fsReads.ms / saved,
        sample,
      });
    }
  } catch (e) {
    postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) });
  }
};
