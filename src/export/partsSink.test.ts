// The in-memory fallback in parts: every part is a complete zip that unzip and Python's zipfile
// accept, no part outgrows its bound, the parts together hold every entry once, and the tables are
// in the last part.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { ZipPartsSink, type ZipPart } from './partsSink.ts';
import { crc32 } from './zipStream.ts';
import { noise } from './testing/noise.ts';

async function exportInParts(tiles: number, partBytes: number) {
  const parts: ZipPart[] = [];
  const sink = new ZipPartsSink('slide_tiles', (p) => void parts.push(p), partBytes);
  const written = new Map<string, Uint8Array>();
  for (let i = 0; i < tiles; i++) {
    const data = noise(1000 + ((i * 7919) % 3000), i + 1);
    const p = `tiles/tile_${String(i).padStart(5, '0')}.png`;
    written.set(p, data);
    await sink.write(p, data);
  }
  const csv = 'index,x,y\n' + Array.from({ length: tiles }, (_, i) => `${i},0,0`).join('\n') + '\n';
  await sink.write('tiles.csv', csv);
  await sink.write('slide.json', '{"a":1}');
  const last = await sink.close();
  parts.push({ index: parts.length + 1, name: sink.lastName, blob: last });
  return { parts, written, csv };
}

describe('ZipPartsSink', () => {
  it('one export under the bound is one zip with the plain name', async () => {
    const { parts } = await exportInParts(10, 1 << 20);
    expect(parts.map((p) => p.name)).toEqual(['slide_tiles.zip']);
    const zip = await JSZip.loadAsync(await parts[0].blob.arrayBuffer());
    expect(Object.keys(zip.files).filter((n) => !zip.files[n].dir)).toHaveLength(12);
  });

  it('a bigger one is complete zips of at most the bound, every entry once, the tables in the last', async () => {
    const bound = 40_000;
    const { parts, written, csv } = await exportInParts(100, bound);
    expect(parts.length).toBeGreaterThan(4);
    expect(parts.map((p) => p.name)).toEqual(parts.map((_, i) => `slide_tiles.part${i + 1}.zip`));
    const dir = mkdtempSync(path.join(tmpdir(), 'parts-'));
    const seen = new Map<string, string>();
    for (const part of parts) {
      const bytes = new Uint8Array(await part.blob.arrayBuffer());
      // a tile never splits across parts, so a part may pass the bound by less than one entry
      expect(bytes.length).toBeLessThanOrEqual(bound + 5000);
      const file = path.join(dir, part.name);
      writeFileSync(file, bytes);
      execFileSync('unzip', ['-tqq', file]);
      const names = execFileSync('/usr/bin/python3', ['-c', 'import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print("\\n".join(z.namelist()))', file], { encoding: 'utf8' }).trim().split('\n');
      const zip = await JSZip.loadAsync(bytes);
      for (const n of names) {
        expect(seen.has(n), `${n} in ${part.name} and ${seen.get(n)}`).toBe(false);
        seen.set(n, part.name);
        const got = await zip.file(n)!.async('uint8array');
        if (n.startsWith('tiles/')) expect(crc32(got)).toBe(crc32(written.get(n)!));
        else if (n === 'tiles.csv') expect(new TextDecoder().decode(got)).toBe(csv);
      }
    }
    expect(seen.size).toBe(102);
    expect(seen.get('tiles.csv')).toBe(parts.at(-1)!.name);
    expect(seen.get('slide.json')).toBe(parts.at(-1)!.name);
  });
});
