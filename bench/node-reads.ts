// The same wasm engine in Node (NODEFS, no browser): random 512² level-0 reads, for the closing
// note — wasm compute vs the browser's file I/O. Also counts file reads per region.
//   npx tsx bench/node-reads.ts SLIDE COORDS.json
import { readFileSync } from 'node:fs';
import { loadEngineNode, NodeSlide } from '../src/engine/node.ts';
import { level0, levelPx } from '../src/engine/types.ts';

const [file, coords] = process.argv.slice(2);
const spec = JSON.parse(readFileSync(coords, 'utf8')) as { level: number; size: number; xy: [number, number][] };
const m = await loadEngineNode();
// count the file reads OpenSlide makes (NODEFS stream_ops.read)
const ops = (m.NODEFS as { stream_ops: { read: (...a: unknown[]) => number } }).stream_ops;
const read = ops.read;
const io = { calls: 0, bytes: 0, ms: 0 };
ops.read = function (...a: unknown[]) {
  const t = performance.now();
  const n = read.apply(this, a);
  io.ms += performance.now() - t;
  io.calls++;
  io.bytes += n;
  return n;
};
const slide = await NodeSlide.open(file, m);
const { level, size, xy } = spec;
await slide.readRegion(level0(xy[0][0]), level0(xy[0][1]), level, levelPx(size), levelPx(size));
Object.assign(io, { calls: 0, bytes: 0, ms: 0 });
// each region is read twice in a row: the first read is the figure; the second finds its tiles
// decoded in OpenSlide's tile cache, so it costs compositing + pixel conversion + copy only
let ms = 0;
let cached = 0;
for (const [x, y] of xy) {
  const a = performance.now();
  await slide.readRegion(level0(x), level0(y), level, levelPx(size), levelPx(size));
  const b = performance.now();
  await slide.readRegion(level0(x), level0(y), level, levelPx(size), levelPx(size));
  ms += b - a;
  cached += performance.now() - b;
}
await slide.close();
console.log(
  JSON.stringify({
    reads: xy.length,
    ms,
    msPerRead: ms / xy.length,
    readsPerS: (xy.length * 1000) / ms,
    ioCallsPerRead: io.calls / xy.length,
    ioBytesPerRead: io.bytes / xy.length,
    ioMsPerRead: io.ms / xy.length,
    cachedMsPerRead: cached / xy.length,
  }),
);
