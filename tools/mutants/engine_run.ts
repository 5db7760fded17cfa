// The wasm engine's side of src/engine/mutants.test.ts, in a child process so a hang can be ended
// (a synchronous wasm loop cannot be interrupted in the test's own thread).
//   node --import tsx tools/mutants/engine_run.ts LIST.json
// LIST.json: [{ "id", "path" }]. Prints one JSON line {"begin": id} before each file and
// {"id", "result"} after it; the result has the shape of tools/oracle/mutants_oracle.py's.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { EngineModule } from '../../src/engine/module.ts';
import { NodeSlide, detectVendorNode, loadEngineNode } from '../../src/engine/node.ts';
import { EngineError, level0, levelPx } from '../../src/engine/types.ts';

export type Req = ['region', number, number, number, number, number] | ['associated', string];

const WHOLE_LEVEL_MAX = 1 << 20;
const ASSOCIATED_MAX = 4 << 20;

/** The fixed reads: the same list as mutants_oracle.py's requests(). */
export function requests(levels: [number, number, number][], associated: Record<string, [number, number]>): Req[] {
  const out: Req[] = [];
  const [W, H] = levels[0];
  out.push(['region', 0, 0, 0, Math.max(1, Math.min(256, W)), Math.max(1, Math.min(256, H))]);
  out.push(['region', 0, Math.max(0, Math.floor(W / 2) - 128), Math.max(0, Math.floor(H / 2) - 128), 256, 256]);
  const last = levels.length - 1;
  const [lw, lh] = levels[last];
  if (lw * lh > 0 && lw * lh <= WHOLE_LEVEL_MAX) out.push(['region', last, 0, 0, lw, lh]);
  else out.push(['region', last, 0, 0, 512, 512]);
  if (levels.length > 2) out.push(['region', Math.floor(levels.length / 2), 0, 0, 256, 256]);
  // python's sorted(): code-point order
  for (const name of Object.keys(associated).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const [w, h] = associated[name];
    if (w * h > 0 && w * h <= ASSOCIATED_MAX) out.push(['associated', name]);
  }
  return out;
}

/** A wasm trap (RuntimeError) or any non-OpenSlide failure: the instance may be dead. */
class Trap extends Error {}

function classify(e: unknown): { code: string; message: string } {
  if (e instanceof EngineError && e.code !== 'engine-crashed') return { code: e.code, message: e.message };
  throw new Trap(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function one(m: EngineModule, file: string) {
  let vendor: string | null;
  try {
    vendor = await detectVendorNode(file, m);
  } catch (e) {
    vendor = `detect failed: ${classify(e).message}`;
  }
  let slide: NodeSlide;
  try {
    slide = await NodeSlide.open(file, m);
  } catch (e) {
    const c = classify(e);
    return { ok: false, vendor, code: c.code, message: c.message };
  }
  const { info } = slide;
  const levels = info.levels.map((l) => [l.width, l.height, l.downsample] as [number, number, number]);
  const associated = Object.fromEntries(info.associated.map((a) => [a.name, [a.width, a.height] as [number, number]]));
  const reads: Record<string, unknown>[] = [];
  try {
    for (const req of requests(levels, associated)) {
      try {
        const img = req[0] === 'region'
          ? await slide.readRegion(level0(req[2]), level0(req[3]), req[1], levelPx(req[4]), levelPx(req[5]))
          : await slide.associatedImage(req[1]);
        reads.push({ req, sha256: sha(img.data) });
      } catch (e) {
        // the binding reopens the handle after a failed read, as the oracle does
        const c = classify(e);
        reads.push({ req, code: c.code, error: c.message });
      }
    }
  } finally {
    await slide.close().catch(() => {});
  }
  return { ok: true, vendor, levels, properties: info.properties, associated, reads };
}

async function main() {
  const list = JSON.parse(readFileSync(process.argv[2], 'utf8')) as { id: string; path: string }[];
  let m = await loadEngineNode();
  for (const { id, path } of list) {
    process.stdout.write(JSON.stringify({ begin: id }) + '\n');
    let result: unknown;
    try {
      result = await one(m, path);
    } catch (e) {
      result = { trap: e instanceof Error ? e.message : String(e) };
      m = await loadEngineNode(); // a trapped instance is not reused
    }
    process.stdout.write(JSON.stringify({ id, result }) + '\n');
  }
}

await main();
