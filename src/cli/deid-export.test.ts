// De-identified by default, on every real and generated sample that has identifying properties: an
// export made with a pseudonym holds, in no entry (each one decompressed, every byte), any value
// core/deid.ts removes nor the slide's file name; slide.json lists each removed property.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { deidentifyProperties, identifyingValues } from '../core/deid.ts';
import { slideStem } from '../core/naming.ts';
import { NodeSlide } from '../engine/node.ts';
import { realSlides, sampleSlides, type TestSlide } from '../engine/testing/slides.ts';
import { main } from './main.ts';

const out = mkdtempSync(path.join(tmpdir(), 'slidetile-deid-'));

/** The samples whose properties hold something to remove, with those values. */
async function withIdentifiers(): Promise<{ slide: TestSlide; values: string[]; keys: string[] }[]> {
  const found: { slide: TestSlide; values: string[]; keys: string[] }[] = [];
  for (const slide of [...realSlides(), ...sampleSlides()]) {
    let s: NodeSlide;
    try {
      s = await NodeSlide.open(slide.path);
    } catch {
      continue; // the bad/ files and samples the engine refuses have no export
    }
    const d = deidentifyProperties(s.info.properties);
    await s.close();
    // short values ("0", "1", "20") occur in any file by chance: a leak is a value of 4+ characters
    const values = [...new Set(identifyingValues(d))].filter((v) => v.length >= 4);
    if (d.removed.length > 0) found.push({ slide, values, keys: d.removed.map((r) => r.key) });
  }
  return found;
}

const cases = await withIdentifiers();

describe('every sample with identifying properties', () => {
  it('there are several, from several vendors', () => {
    expect(cases.length).toBeGreaterThanOrEqual(3);
    expect(new Set(cases.map((c) => c.slide.vendor)).size).toBeGreaterThanOrEqual(2);
  });

  it.each(cases.map((c) => [c.slide.id, c] as const))('%s: no entry of the export holds a removed value or the file name', async (_id, c) => {
    const zipFile = path.join(out, `${c.slide.id.replace(/[^\w.-]+/g, '_')}.zip`);
    let stderr = '';
    // level 0 is too large for some samples' tiles at 0.5 µm/px: take the last level, a few tiles
    const s = await NodeSlide.open(c.slide.path);
    const level = s.info.levels.length - 1;
    await s.close();
    const code = await main(['extract', c.slide.path, '--level', String(level), '--tile', '64', '--std-threshold', 'none', '--limit', '3', '--pseudonym', 'k', '--h5', '--parquet', '--out', zipFile], {
      stdout: () => {},
      stderr: (x) => (stderr += x),
    });
    expect(code, stderr).toBe(0);
    const zip = await JSZip.loadAsync(readFileSync(zipFile));
    const stem = slideStem(c.slide.path);
    // a stem like a case number (digits, dashes, long) is looked for; a plain word ("slide", "small",
    // the generated samples' names) also occurs in the recipe's own prose
    const secrets = [...c.values, ...(/[\d\-_ ]/.test(stem) || stem.length >= 10 ? [stem] : [])];
    for (const [name, f] of Object.entries(zip.files)) {
      if (f.dir) continue;
      expect(secrets.some((v) => name.includes(v)), name).toBe(false);
      // tiles.parquet's pages are snappy-compressed: its strings are the slide's pseudonym and the
      // tile paths, both derived from the pseudonym; every other entry is checked byte for byte
      if (name.endsWith('.parquet')) continue;
      const text = Buffer.from(await f.async('uint8array')).toString('latin1');
      for (const v of secrets) expect(text.includes(v), `${name} holds "${v}"`).toBe(false);
    }
    const json = JSON.parse(await zip.file('slide.json')!.async('string'));
    expect(json.deidentified.removed.map((r: { property: string }) => r.property).sort()).toEqual([...c.keys].sort());
  }, 120_000);
});
