// `slidetile extract --from OLD/slide.json`: a second export made from the first one's slide.json has
// the same tiles.csv (every row) and the same tile files (every byte); given another slide or another
// annotation file, it says so.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { SHARED_SLIDES } from '../engine/testing/slides.ts';
import { main } from './main.ts';

const CMU = path.join(SHARED_SLIDES, 'real/aperio/CMU-1-Small-Region.svs');
const OTHER = path.join(SHARED_SLIDES, 'real/aperio/tcga-cr-7395-01a-01-ts1.svs');
const DEMO_ANNOTATIONS = path.resolve(import.meta.dirname, '../../public/demo/CMU-1-Small-Region.tissue.geojson');
const work = mkdtempSync(path.join(tmpdir(), 'slidetile-reopen-'));

async function run(...argv: string[]) {
  let stderr = '';
  const code = await main(argv, { stdout: () => {}, stderr: (s) => (stderr += s) });
  return { code, stderr };
}

async function entries(zipPath: string): Promise<Map<string, Uint8Array>> {
  const zip = await JSZip.loadAsync(readFileSync(zipPath));
  const out = new Map<string, Uint8Array>();
  for (const [name, f] of Object.entries(zip.files)) if (!f.dir) out.set(name, await f.async('uint8array'));
  return out;
}

describe('extract --from slide.json', () => {
  it('makes the same export again', async () => {
    const first = path.join(work, 'first.zip');
    const plan = ['--mpp', '1', '--tile', '300,200', '--stride', '250,180', '--last', 'keep', '--std-threshold', '5', '--tissue-threshold', '0.1', '--coverage', '0.05', '--limit', '12', '--format', 'jpeg', '--naming', 'qupath', '--background', '240'];
    const a = await run('extract', CMU, ...plan, '--annotations', DEMO_ANNOTATIONS, '--out', first);
    expect(a.code, a.stderr).toBe(0);
    const one = await entries(first);
    const slideJson = path.join(work, 'slide.json');
    writeFileSync(slideJson, one.get('slide.json')!);

    const second = path.join(work, 'second.zip');
    const b = await run('extract', CMU, '--from', slideJson, '--annotations', DEMO_ANNOTATIONS, '--out', second);
    expect(b.code, b.stderr).toBe(0);
    // only the plan's own warnings, the first run's (CMU has one level: 1 µm/px is far from it)
    const warnings = (s: string) => s.split('\n').filter((l) => l.startsWith('warning'));
    expect(warnings(b.stderr)).toEqual(warnings(a.stderr));
    const two = await entries(second);
    const tiles = [...one.keys()].filter((n) => n.startsWith('tiles/'));
    expect(tiles.length).toBeGreaterThan(0);
    expect([...two.keys()].filter((n) => n.startsWith('tiles/'))).toEqual(tiles);
    for (const n of [...tiles, 'tiles.csv', 'ratiopath_recipe.py', 'annotations.geojson']) expect(Buffer.from(two.get(n)!).equals(Buffer.from(one.get(n)!)), n).toBe(true);
    // slide.json equal but for the run's own facts (none differ here: same slide, same counts)
    expect(JSON.parse(new TextDecoder().decode(two.get('slide.json')))).toEqual(JSON.parse(new TextDecoder().decode(one.get('slide.json'))));
  }, 180_000);

  it('warns about another slide and a missing or different annotation file, and refuses plan options beside it', async () => {
    const first = path.join(work, 'cov.zip');
    expect((await run('extract', CMU, '--coverage', '0.1', '--annotations', DEMO_ANNOTATIONS, '--limit', '2', '--out', first)).code).toBe(0);
    const slideJson = path.join(work, 'cov-slide.json');
    writeFileSync(slideJson, (await entries(first)).get('slide.json')!);
    const other = await run('extract', OTHER, '--from', slideJson, '--out', path.join(work, 'other.zip'));
    expect(other.stderr).toMatch(/not the one the export was made from/);
    expect(other.stderr).toMatch(/give --annotations/);
    const changed = path.join(work, 'changed.geojson');
    writeFileSync(changed, readFileSync(DEMO_ANNOTATIONS, 'utf8').replace(/\}\s*$/, '}\n'));
    const diff = await run('extract', CMU, '--from', slideJson, '--annotations', changed, '--out', path.join(work, 'diff.zip'));
    expect(diff.stderr).toMatch(/is not the annotation file the export used/);
    const clash = await run('extract', CMU, '--from', slideJson, '--tile', '256', '--out', path.join(work, 'x.zip'));
    expect(clash.code).toBe(1);
    expect(clash.stderr).toMatch(/--from takes the plan from slide.json: drop --tile/);
  }, 180_000);
});
