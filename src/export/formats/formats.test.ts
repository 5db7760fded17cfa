// The dataset formats end to end through `slidetile extract`, read back with the readers pipelines
// use (h5py for coords.h5, pyarrow for tiles.parquet, tarfile grouped as WebDataset does): for each
// slide and geometry, every selected tile of tiles.csv is in each file with the same facts, a shard's
// tile is byte-identical to the same tile of the plain tiles/ export, and a coordinates-only export
// plans and selects exactly the same tiles without keeping a pixel.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { NodeSlide } from '../../engine/node.ts';
import { sidRootScript } from '../../engine/testing/oracle41.ts';
import { SHARED_SLIDES } from '../../engine/testing/slides.ts';

const READER = path.resolve(import.meta.dirname, '../../../tools/oracle/read_dataset.py');
const work = mkdtempSync(path.join(tmpdir(), 'slidetile-formats-'));

interface Case {
  name: string;
  slide: string;
  args: string[];
  shardMb: number;
}

const CASES: Case[] = [
  {
    name: 'Aperio, 256 px at level 0, every tile',
    slide: path.join(SHARED_SLIDES, 'real/aperio/CMU-1-Small-Region.svs'),
    args: ['--tile', '256', '--limit', 'none'],
    shardMb: 1,
  },
  {
    name: 'NDPI, 300×200 tiles with stride 250×180, last=keep, 1 µm/px, JPEG, limit 40',
    slide: path.join(SHARED_SLIDES, 'real/hamamatsu-ndpi/test3-TRITC 2 (560).ndpi'),
    args: ['--mpp', '1', '--tile', '300,200', '--stride', '250,180', '--last', 'keep', '--std-threshold', '1', '--limit', '40', '--format', 'jpeg'],
    shardMb: 0.1,
  },
];

type Row = Record<string, string>;

function parseCsv(text: string): Row[] {
  // the files these cases write hold no quoted fields (index names, shard paths)
  const [head, ...rows] = text.trim().split('\n');
  const cols = head.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [cols[i], v])));
}

async function extract(c: Case, tag: string, extra: string[]): Promise<{ zip: JSZip; rows: Row[]; dir: string }> {
  const dir = path.join(work, `${CASES.indexOf(c)}-${tag}`);
  mkdirSync(dir, { recursive: true });
  const out = path.join(dir, 'export.zip');
  let stderr = '';
  const code = await main(['extract', c.slide, ...c.args, ...extra, '--out', out], { stdout: () => {}, stderr: (s) => (stderr += s) });
  expect(code, stderr).toBe(0);
  const zip = await JSZip.loadAsync(readFileSync(out));
  // the files the Python readers open
  for (const name of Object.keys(zip.files)) {
    if (zip.files[name].dir) continue;
    const to = path.join(dir, 'x', name);
    mkdirSync(path.dirname(to), { recursive: true });
    writeFileSync(to, await zip.files[name].async('uint8array'));
  }
  return { zip, rows: parseCsv(await zip.file('tiles.csv')!.async('string')), dir: path.join(dir, 'x') };
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const py = (kind: string, ...files: string[]) => JSON.parse(execFileSync('/usr/bin/python3', [READER, kind, ...files], { maxBuffer: 256 << 20 }).toString('utf8'));

/** tiles.csv's facts of a row that every dataset file repeats. */
function facts(r: Row) {
  return {
    index: Number(r.index),
    tile_x: Number(r.x),
    tile_y: Number(r.y),
    x0: Number(r.x0),
    y0: Number(r.y0),
    level: Number(r.level),
    downsample: Number(r.downsample),
    tile_extent_x: Number(r.width),
    tile_extent_y: Number(r.height),
    mpp_x: r.mpp_x === '' ? null : Number(r.mpp_x),
    mpp_y: r.mpp_y === '' ? null : Number(r.mpp_y),
    // std is printed in full (it reads back as the same double); tissue and coverage are float32,
    // printed with 7 significant digits (see f32 below)
    std: r.std === '' ? null : Number(r.std),
    tissue: r.tissue === '' ? null : Number(r.tissue),
    coverage: r.coverage === '' ? null : Number(r.coverage),
  };
}

/** A float32 as tiles.csv prints it; the binary formats keep every bit, so they are compared through this. */
const f32 = (v: unknown) => (typeof v === 'number' && v !== 0 && v !== 1 ? Number(v.toPrecision(7)) : v);
const asCsv = <T extends Record<string, unknown>>(o: T): T => ({ ...o, tissue: f32(o.tissue), coverage: f32(o.coverage) });

describe.each(CASES)('dataset formats: $name', (c) => {
  it('coords.h5, tiles.parquet and WebDataset shards hold every selected tile of tiles.csv, exactly', async () => {
    const plain = await extract(c, 'tiles', []);
    const wds = await extract(c, 'webdataset', ['--layout', 'webdataset', '--shard-mb', String(c.shardMb), '--h5', '--parquet']);
    const coords = await extract(c, 'coords', ['--layout', 'coords', '--h5']);

    // the same plan and the same decisions whatever the layout; only where the bytes went differs
    const strip = (rows: Row[]) => rows.map(({ file, ...rest }) => (void file, rest));
    expect(strip(wds.rows)).toEqual(strip(plain.rows));
    expect(strip(coords.rows)).toEqual(strip(plain.rows));
    const selected = plain.rows.filter((r) => r.file !== '');
    expect(selected.length).toBeGreaterThan(0);
    expect(selected.every((r) => r.accepted === '1')).toBe(true);
    expect(coords.rows.every((r) => r.file === '')).toBe(true);
    expect(Object.keys(coords.zip.files).filter((f) => f.startsWith('tiles/') || f.startsWith('shards/'))).toEqual([]);

    // coords.h5, as h5py reads it (both exports that asked for it)
    const slide = await NodeSlide.open(c.slide);
    const info = slide.info;
    await slide.close();
    for (const e of [wds, coords]) {
      const h5 = py('h5', path.join(e.dir, 'coords.h5'));
      expect(h5.dtype).toBe('int64');
      expect(h5.shape).toEqual([selected.length, 2]);
      expect(h5.coords).toEqual(selected.map((r) => [Number(r.x0), Number(r.y0)]));
      const f = facts(selected[0]);
      const level = info.levels[f.level];
      expect(h5.attrs).toMatchObject({
        patch_level: f.level,
        patch_size: f.tile_extent_x,
        patch_size_wh: [f.tile_extent_x, f.tile_extent_y],
        patch_size_level0: Math.round(f.tile_extent_x * f.downsample),
        downsample: [f.downsample, f.downsample],
        level_dim: [level.width, level.height],
        name: path.basename(c.slide).replace(/\.[^.]+$/, ''),
      });
      expect(h5.attr_dtypes.downsample).toBe('float64');
      if (f.mpp_x !== null) expect(h5.attrs.target_mpp).toEqual([f.mpp_x, f.mpp_y]);
    }

    // tiles.parquet, as pyarrow reads it: one row per selected tile, every column
    const pq = JSON.parse(sidRootScript('read_dataset.py', ['parquet', path.join(wds.dir, 'tiles.parquet')], path.join(wds.dir, 'tiles.parquet')));
    expect(Object.keys(pq.schema).slice(0, 7)).toEqual(['path', 'index', 'tile_x', 'tile_y', 'level', 'tile_extent_x', 'tile_extent_y']);
    const wdsSelected = wds.rows.filter((r) => r.file !== '');
    expect(pq.rows.map(asCsv)).toEqual(wdsSelected.map((r) => ({ path: path.basename(c.slide), ...facts(r), file: r.file })));

    // the shards, as WebDataset groups them: one sample per selected tile in grid order, a tile and its JSON
    const shardFiles = readdirSync(path.join(wds.dir, 'shards')).sort();
    expect(shardFiles.length).toBeGreaterThan(1);
    for (const s of shardFiles) expect(statSync(path.join(wds.dir, 'shards', s)).size).toBeLessThanOrEqual(c.shardMb * 1024 * 1024);
    const shards: { path: string; samples: Record<string, unknown>[] }[] = py('tar', ...shardFiles.map((s) => path.join(wds.dir, 'shards', s)));
    const samples = shards.flatMap((s) => s.samples.map((x) => ({ ...x, shard: `shards/${path.basename(s.path)}` }) as unknown as Record<string, unknown> & { __key__: string }));
    expect(samples.map((x) => x.__key__)).toEqual(selected.map((r) => `tile_${r.index.padStart(5, '0')}`));
    const ext = c.args.includes('jpeg') ? 'jpg' : 'png';
    for (let k = 0; k < selected.length; k++) {
      const r = selected[k];
      const x = samples[k] as Record<string, unknown> & { __key__: string; shard: string; json: Record<string, unknown> };
      // byte-identical to the plain export's tile
      expect(x[ext], `tile ${r.index}`).toBe(sha(await plain.zip.file(r.file)!.async('uint8array')));
      expect(wdsSelected[k].file).toBe(`${x.shard}#${x.__key__}.${ext}`);
      expect(asCsv(x.json)).toEqual({ slide: path.basename(c.slide), ...facts(r) });
    }
  }, 240_000);
});

describe('pseudonym', () => {
  it("replaces the slide's name in every entry of the export, and Python's hmac reproduces it", async () => {
    const c: Case = {
      name: 'pseudonym',
      slide: path.join(SHARED_SLIDES, 'real/aperio/CMU-1-Small-Region.svs'),
      // the annotation file is named after the slide too
      args: ['--tile', '512', '--limit', '6', '--naming', 'qupath', '--pseudonym', 'our lab key', '--annotations', path.resolve(import.meta.dirname, '../../../public/demo/CMU-1-Small-Region.tissue.geojson'), '--coverage', '0.1'],
      shardMb: 1,
    };
    const e = await extract(c, 'pseudonym', ['--layout', 'webdataset', '--h5', '--parquet']);
    const expected =
      'slide-' +
      execFileSync('/usr/bin/python3', ['-c', 'import hmac,sys; print(hmac.new(sys.argv[1].encode(), sys.argv[2].encode(), "sha256").hexdigest()[:12])', 'our lab key', 'CMU-1-Small-Region.svs'])
        .toString()
        .trim() +
      '.svs';
    const original = 'CMU-1-Small-Region';
    const names = Object.keys(e.zip.files);
    expect(names.some((n) => n.includes(original))).toBe(false);
    // every entry's bytes (the shards hold each sample's JSON, coords.h5 its name attribute)
    for (const n of names) {
      if (e.zip.files[n].dir) continue;
      const text = Buffer.from(await e.zip.files[n].async('uint8array')).toString('latin1');
      expect(text.includes(original), n).toBe(false);
    }
    // parquet pages are compressed: read its strings back
    const pq = JSON.parse(sidRootScript('read_dataset.py', ['parquet', path.join(e.dir, 'tiles.parquet')], path.join(e.dir, 'tiles.parquet')));
    expect(new Set(pq.rows.map((r: { path: string }) => r.path))).toEqual(new Set([expected]));
    expect(JSON.stringify(pq.rows).includes(original)).toBe(false);
    const slideJson = JSON.parse(await e.zip.file('slide.json')!.async('string'));
    expect(slideJson.files).toEqual([expected]);
    expect(slideJson.pseudonym.scheme).toMatch(/HMAC-SHA256/);
    expect(py('h5', path.join(e.dir, 'coords.h5')).attrs.name).toBe(expected.replace(/\.svs$/, ''));
  }, 120_000);
});
