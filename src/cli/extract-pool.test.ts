// `slidetile extract` over the engine's worker pool in Node threads, on a real slide and the real
// engine: the thread count changes nothing in the zip, every PNG is the engine's own libpng encode of
// read_tile, a worker killed mid-export costs nothing (its tile is retried on a replacement), and the
// streamed zip is valid for Info-ZIP and Python — and never left half-written under its final name.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { candidateIndices, makePlan, rgbStd, type Plan, type PlanParamsInput } from '../core/index.ts';
import { NodeSlide, loadEngineNode } from '../engine/node.ts';
import { openNodePool } from '../engine/node-pool.ts';
import type { PoolSlide } from '../engine/pooled.ts';
import { SHARED_SLIDES } from '../engine/testing/slides.ts';
import { levelPx, type EncodeOptions, type LevelPx, type PooledSlide } from '../engine/types.ts';
import { encodeTilePng } from '../engine/workerApi.ts';
import { tilePath } from '../export/job.ts';
import { extractCommand, type PoolOpener } from './extract.ts';

const CMU = path.join(SHARED_SLIDES, 'real/aperio/CMU-1-Small-Region.svs');
const REPO = path.resolve(import.meta.dirname, '../..');
const out = mkdtempSync(path.join(tmpdir(), 'slidetile-extract-pool-'));

// level 0, 256² tiles: 9 × 12 = 108 planned, all of them candidates (no tissue/annotation filter)
const ARGS = ['--level', '0', '--tile', '256,256', '--stride', '256,256', '--last', 'shift', '--limit', 'none'];
const PARAMS: PlanParamsInput = { resolution: { mode: 'level', level: 0 }, tile: [256, 256], stride: [256, 256], last: 'shift', limit: null };

async function extract(argv: string[], open?: PoolOpener) {
  let stdout = '';
  const code = await extractCommand([CMU, ...argv], { stdout: (s) => (stdout += s), stderr: () => {} }, open);
  return { code, stdout };
}

async function tileEntries(file: string): Promise<Map<string, Buffer>> {
  const zip = await JSZip.loadAsync(readFileSync(file));
  const names = Object.keys(zip.files).filter((n) => n.startsWith('tiles/') && !zip.files[n].dir);
  const entries = new Map<string, Buffer>();
  for (const n of names.sort()) entries.set(n, await zip.file(n)!.async('nodebuffer'));
  return entries;
}

/** Every candidate's PNG and std, read and encoded in this thread by its own engine instance. */
let plan: Plan;
const expected = new Map<string, { png: Buffer; std: number }>();
beforeAll(async () => {
  const m = await loadEngineNode();
  const slide = await NodeSlide.open(CMU, m);
  try {
    plan = makePlan(slide.info, { ...PARAMS, stdThreshold: null });
    const o = plan.grid.origins;
    for (const i of candidateIndices(plan)) {
      const tile = await slide.readTile(levelPx(o[2 * i]), levelPx(o[2 * i + 1]), 0, levelPx(256), levelPx(256), 255);
      expected.set(tilePath(plan, i, 'CMU-1-Small-Region.svs'), { png: Buffer.from(encodeTilePng(m, tile)), std: rgbStd(tile.data) });
    }
  } finally {
    await slide.close();
  }
  expect(expected.size).toBe(108);
}, 120_000);

describe('slidetile extract through the Node worker pool', () => {
  const zips: Record<number, string> = {};

  it.each([1, 2])('--workers %i saves the engine’s libpng encode of every tile above the std threshold', async (workers) => {
    const file = path.join(out, `w${workers}.zip`);
    const r = await extract([...ARGS, '--std-threshold', '8', '--workers', String(workers), '--out', file]);
    expect(r.code).toBe(0);
    expect(existsSync(`${file}.part`)).toBe(false);
    const got = await tileEntries(file);
    const want = [...expected].filter(([, e]) => e.std > 8);
    expect(want.length).toBeGreaterThan(10);
    expect(want.length).toBeLessThan(108); // the std rule skipped some: both paths are exercised
    expect([...got.keys()]).toEqual(want.map(([n]) => n).sort());
    for (const [name, e] of want) expect(got.get(name)!.equals(e.png), name).toBe(true);
    zips[workers] = file;
  }, 120_000);

  it('with 1 and 2 threads, the zips’ tile entries are byte-identical', async () => {
    expect(Object.keys(zips)).toEqual(['1', '2']);
    const [a, b] = [await tileEntries(zips[1]), await tileEntries(zips[2])];
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [n, bytes] of a) expect(bytes.equals(b.get(n)!), n).toBe(true);
  });

  it('the streamed zip passes unzip -t and Python’s testzip; tiles.csv has a row per planned tile', () => {
    const file = zips[2];
    expect(execFileSync('unzip', ['-tq', file]).toString()).toMatch(/No errors detected/);
    const py = `import csv, io, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None, z.testzip()
rows = list(csv.DictReader(io.TextIOWrapper(z.open('tiles.csv'), 'utf-8')))
names = z.namelist()
print(len(rows), sum(r['accepted'] == '1' for r in rows), sum(n.startswith('tiles/') for n in names), len(names) - len(set(names)))`;
    const [rows, accepted, tiles, duplicates] = execFileSync('/usr/bin/python3', ['-c', py, file]).toString().trim().split(' ').map(Number);
    expect(rows).toBe(plan.grid.count);
    expect(accepted).toBe(tiles);
    expect(tiles).toBe([...expected.values()].filter((e) => e.std > 8).length);
    expect(duplicates).toBe(0);
  });

  it('a worker killed mid-export is replaced and its tile retried: every candidate exactly once', async () => {
    let pool: PoolSlide | null = null;
    let reads = 0;
    let killed = false;
    // the 10th read kills the very thread it was just sent to, so that read's answer is lost
    const open: PoolOpener = async (slidePath, workers) => {
      const slide = await openNodePool(slidePath, workers);
      pool = slide;
      const wrapped: PooledSlide = Object.create(slide, {
        readTileEncoded: {
          value: (x: LevelPx, y: LevelPx, level: number, w: LevelPx, h: LevelPx, o: EncodeOptions) => {
            if (++reads !== 10) return slide.readTileEncoded(x, y, level, w, h, o);
            const req = { background: o.background ?? 255, format: o.format, quality: o.quality, skipStdAtOrBelow: o.skipStdAtOrBelow };
            return slide.pool.run(async (api) => {
              const answer = api.readTileEncoded(x, y, level, w, h, req);
              // the pool reruns this job on the replacement: kill on the first attempt only
              if (!killed) killed = slide.pool.killWorker(api);
              return answer;
            }, o.signal);
          },
        },
      });
      return wrapped;
    };
    const file = path.join(out, 'killed.zip');
    const r = await extract([...ARGS, '--std-threshold', 'none', '--workers', '2', '--out', file], open);
    expect(killed).toBe(true);
    expect(pool!.pool.spawned).toBe(3); // two, and one replacement
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/saved 108 tiles of 108 candidates .* 0 failed reads/);
    const got = await tileEntries(file);
    expect([...got.keys()]).toEqual([...expected.keys()].sort());
    for (const [name, e] of expected) expect(got.get(name)!.equals(e.png), name).toBe(true);
    const csv = await (await JSZip.loadAsync(readFileSync(file))).file('tiles.csv')!.async('string');
    const [head, ...rows] = csv.trim().split('\n').map((row) => row.split(','));
    const files = rows.map((row) => row[head.indexOf('file')]).filter(Boolean);
    expect(files.sort()).toEqual([...expected.keys()].sort()); // each candidate once in the table too
  }, 120_000);

  it('a run that fails while writing leaves no zip, under either name', async () => {
    const file = path.join(out, 'failed.zip');
    // the progress line's stderr breaks (as on EPIPE) once the first tile is in the zip
    const io = {
      stdout: () => {},
      stderr: () => {
        throw new Error('EPIPE: the progress line could not be written');
      },
      progress: true,
    };
    await expect(extractCommand([CMU, ...ARGS, '--std-threshold', 'none', '--out', file], io)).rejects.toThrow(/EPIPE/);
    expect(existsSync(file)).toBe(false);
    expect(existsSync(`${file}.part`)).toBe(false);
  }, 120_000);

  it('a killed run leaves only OUT.zip.part, never a half zip named OUT.zip', async () => {
    const file = path.join(out, 'sigkill.zip');
    const child = spawn(process.execPath, [path.join(REPO, 'bin/slidetile.mjs'), 'extract', CMU, '--level', '0', '--tile', '32', '--stride', '32', '--limit', 'none', '--std-threshold', 'none', '--workers', '1', '--out', file], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // wait until tiles are being written into the part file
    while (!(existsSync(`${file}.part`) && statSync(`${file}.part`).size > 100_000)) {
      if (child.exitCode !== null) throw new Error(`the run ended before it could be killed (exit ${child.exitCode})`);
      await sleep(50);
    }
    child.kill('SIGKILL');
    await exited;
    expect(existsSync(file)).toBe(false);
    expect(existsSync(`${file}.part`)).toBe(true);
  }, 120_000);
});
