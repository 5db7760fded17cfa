// The extraction loop on the real engine (NodeSlide over CMU-1-Small-Region.svs): the committed set
// is the sequential seed loop's, a resumed run carries an interrupted run's outcomes over without
// reading them again, and a cancelled run's unread tiles are 'not-reached' in the final plan.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { candidateIndices, makePlan, REASONS, rgbStd, stdRejects, type Plan } from '../core/index.ts';
import { NodeSlide } from '../engine/node.ts';
import { levelPx, type EncodedTile, type EncodeOptions, type LevelPx } from '../engine/types.ts';
import { extractTiles, type KnownOutcome, type TileOutcome } from './extract.ts';
import { exportJobFor } from './job.ts';
import { finalPlan } from './tables.ts';

const CMU = new URL('../../../shared/slides/real/aperio/CMU-1-Small-Region.svs', import.meta.url).pathname;

let slide: NodeSlide;
let plan: Plan;
let reads = 0;

// read_tile + std on the real engine; the encode is not what these tests are about (a tiny stand-in
// marks a saved tile with its own index so the bytes that reach the sink can be checked)
const reader = {
  workers: 2,
  async readTileEncoded(x: LevelPx, y: LevelPx, level: number, w: LevelPx, h: LevelPx, opts: EncodeOptions): Promise<EncodedTile> {
    reads++;
    const t = await slide.readTile(x, y, level, w, h, opts.background ?? 255, { signal: opts.signal });
    const std = rgbStd(t.data);
    const skip = opts.skipStdAtOrBelow !== undefined && std <= opts.skipStdAtOrBelow;
    return { width: t.width, height: t.height, std, bytes: skip ? null : Uint8Array.of(x & 255, y & 255) };
  },
};

beforeAll(async () => {
  slide = await NodeSlide.open(CMU);
  plan = makePlan(slide.info, { resolution: { mode: 'level', level: 0 }, tile: [256, 256], stride: [256, 256], last: 'drop', stdThreshold: 30, limit: null });
});
afterAll(() => slide?.close());

async function run(extra: { known?: (i: number) => KnownOutcome | undefined; signal?: AbortSignal; stopAfter?: number } = {}) {
  const ac = new AbortController();
  const seen: { o: TileOutcome; bytes: Uint8Array | null }[] = [];
  reads = 0;
  const result = await extractTiles({ ...exportJobFor(plan, { slide: reader, slideName: 'CMU.svs', candidates: candidateIndices(plan) }), known: extra.known, signal: ac.signal }, (o, _p, bytes) => {
    seen.push({ o, bytes });
    if (extra.stopAfter !== undefined && seen.length === extra.stopAfter) ac.abort();
  });
  return { result, seen };
}

describe('extractTiles on the real engine', () => {
  it('commits every candidate in grid order, decided by its own std, bytes only for saved tiles', async () => {
    const { result, seen } = await run();
    const candidates = candidateIndices(plan);
    expect(seen.map((s) => s.o.index)).toEqual(Array.from(candidates));
    expect(reads).toBe(candidates.length);
    for (const { o, bytes } of seen) {
      const x = plan.grid.origins[2 * o.index];
      const y = plan.grid.origins[2 * o.index + 1];
      const t = await slide.readTile(levelPx(x), levelPx(y), 0, levelPx(256), levelPx(256));
      const std = rgbStd(t.data);
      expect(o.std).toBe(std);
      expect(o.status).toBe(stdRejects(std, 30) ? 'std' : 'saved');
      expect(bytes === null).toBe(o.status !== 'saved');
      if (bytes) expect(Array.from(bytes)).toEqual([x & 255, y & 255]);
      expect('bytes' in o).toBe(false);
    }
    expect(result.saved + result.skippedStd).toBe(candidates.length);
    expect(result.saved).toBeGreaterThan(0);
    expect(result.skippedStd).toBeGreaterThan(0);
  });

  it('a resumed run carries the first run’s committed outcomes over and reads only the rest', async () => {
    const full = await run();
    const half = Math.floor(full.seen.length / 2);
    const done = new Map(full.seen.slice(0, half).map(({ o }) => [o.index, { status: o.status, std: o.std, error: o.error }]));
    const resumed = await run({ known: (i) => done.get(i) });
    expect(reads).toBe(full.seen.length - half);
    expect(resumed.result.resumed).toBe(half);
    expect(resumed.seen.map((s) => [s.o.index, s.o.status, s.o.std])).toEqual(full.seen.map((s) => [s.o.index, s.o.status, s.o.std]));
    // carried-over saved tiles are not written again: no bytes for them
    for (const s of resumed.seen.slice(0, half)) expect(s.bytes).toBeNull();
    expect(resumed.result.saved).toBe(full.result.saved);
  });

  it('a cancelled run: what was committed is kept, the tiles never reached are not-reached (not limit)', async () => {
    const { result, seen } = await run({ stopAfter: 5 });
    expect(result.cancelled).toBe(true);
    expect(seen).toHaveLength(5);
    const final = finalPlan(plan, result);
    const last = seen[4].o.index;
    const counts = new Map<string, number>();
    for (let i = last + 1; i < final.grid.count; i++) counts.set(REASONS[final.reason[i]], (counts.get(REASONS[final.reason[i]]) ?? 0) + 1);
    expect(counts.get('limit') ?? 0).toBe(0);
    expect(counts.get('not-reached')).toBeGreaterThan(0);
    // nothing after the last committed tile is accepted: it was never read
    for (let i = last + 1; i < final.grid.count; i++) expect(final.accepted[i]).toBe(0);
  });
});
