// PNG size/time trade-off for the closing note: the seed recipe's first N saved tiles (read with the
// wasm engine in Node), PIL's adaptive row filters (bench/page/png.ts), then zlib at several levels
// (Node's zlib: the same library the engine links, natively compiled). Says which level an
// in-engine encoder would need to stay within 1.25× of PIL's files, and what it costs per tile.
//   npx tsx bench/png-levels.ts SLIDE [N]
import { deflateSync } from 'node:zlib';
import { closestLevel, gridTiles, rgbStd } from '../src/core/index.ts';
import { NodeSlide } from '../src/engine/node.ts';
import { levelPx } from '../src/engine/types.ts';
import { filterRows } from './page/png.ts';

const [file, nArg] = process.argv.slice(2);
const N = Number(nArg ?? 40);
const slide = await NodeSlide.open(file);
const level = closestLevel(0.5, slide.info);
const l = slide.info.levels[level];
const g = gridTiles([l.width, l.height], [512, 512], [512, 512], 'shift');
const tiles: Uint8Array[] = [];
for (let i = 0; i < g.count && tiles.length < N; i++) {
  const t = await slide.readTile(levelPx(g.origins[2 * i]), levelPx(g.origins[2 * i + 1]), level, levelPx(512), levelPx(512), 255);
  if (rgbStd(t.data) > 8) tiles.push(t.data);
}
await slide.close();
let filterMs = 0;
const filtered = tiles.map((t) => {
  const a = performance.now();
  const f = filterRows(t, 512, 512);
  filterMs += performance.now() - a;
  return f;
});
const levels: Record<string, { meanBytes: number; msPerTile: number }> = {};
for (const level of [1, 2, 3, 4, 6]) {
  let bytes = 0;
  const a = performance.now();
  for (const f of filtered) bytes += deflateSync(f, { level }).length + 57; // + signature, IHDR, IDAT/IEND framing
  levels[`zlib${level}`] = { meanBytes: bytes / filtered.length, msPerTile: (performance.now() - a) / filtered.length };
}
console.log(JSON.stringify({ tiles: tiles.length, adaptiveFilterJsMsPerTile: filterMs / tiles.length, levels }));
