import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { StreamZipSink } from './sink.ts';
import { crc32, ZipStreamWriter, type ByteWritable } from './zipStream.ts';
import { noise } from './testing/noise.ts';

/** A FileSystemWritableFileStream stand-in: keeps the bytes, records each write, can be slow. */
class FakeWritable implements ByteWritable {
  chunks: Uint8Array[] = [];
  closed = false;
  aborted = false;
  inFlight = 0;
  maxInFlight = 0;
  constructor(private readonly delayMs = 0) {}
  async write(chunk: Uint8Array) {
    if (this.closed) throw new Error('write after close');
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    this.chunks.push(chunk.slice());
    this.inFlight--;
  }
  async close() {
    this.closed = true;
  }
  async abort() {
    this.aborted = true;
  }
  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

const files: [string, Uint8Array | string][] = [
  ['tiles/tile_00000.png', noise(5000, 1)],
  ['tiles/tile_00001.png', noise(70_000, 2)],
  ['tiles/µm tile [d=1,x=0,y=0].png', noise(10, 3)],
  ['tiles.csv', 'index,x,y\n' + Array.from({ length: 2000 }, (_, i) => `${i},${i * 512},0`).join('\n')],
  ['slide.json', '{"a": 1}'],
  ['empty.txt', ''],
];

async function build(opts: ConstructorParameters<typeof ZipStreamWriter>[1], delay = 0) {
  const out = new FakeWritable(delay);
  const z = new ZipStreamWriter(out, opts);
  for (const [p, d] of files) await z.add(p, d);
  await z.close();
  return { out, z };
}

function checkWithTools(zip: Buffer) {
  const dir = mkdtempSync(path.join(tmpdir(), 'zipstream-'));
  const f = path.join(dir, 't.zip');
  writeFileSync(f, zip);
  // Python's zipfile checks every CRC and understands ZIP64
  const py = `import zipfile,sys,json\nz=zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint(json.dumps({i.filename:[i.file_size,i.compress_type] for i in z.infolist()}))`;
  const listed = JSON.parse(execFileSync('python3', ['-c', py, f], { encoding: 'utf8', maxBuffer: 64 << 20 })) as Record<string, [number, number]>;
  execFileSync('unzip', ['-tq', f], { maxBuffer: 64 << 20 });
  return listed;
}

describe('ZipStreamWriter', () => {
  it('crc32 is the zip CRC', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  for (const forceZip64 of [false, true]) {
    it(`writes a zip that JSZip, Python and unzip read back${forceZip64 ? ' (ZIP64 records)' : ''}`, async () => {
      const { out, z } = await build({ deflate: (p) => !p.endsWith('.png'), forceZip64 });
      const bytes = out.bytes();
      expect(out.closed).toBe(true);
      expect(z.size).toBe(bytes.length);
      const zip = await JSZip.loadAsync(bytes);
      for (const [p, d] of files) {
        const got = await zip.file(p)!.async('uint8array');
        expect(Buffer.from(got).equals(Buffer.from(typeof d === 'string' ? new TextEncoder().encode(d) : d)), p).toBe(true);
      }
      const listed = checkWithTools(bytes);
      expect(Object.keys(listed).sort()).toEqual(files.map(([p]) => p).sort());
      expect(listed['tiles.csv'][1]).toBe(8); // deflated
      expect(listed['tiles/tile_00001.png'][1]).toBe(0); // stored
    });
  }

  it('holds one entry at a time: one write per entry, never two in flight, the tail last', async () => {
    const { out } = await build({}, 2);
    expect(out.maxInFlight).toBe(1);
    expect(out.chunks).toHaveLength(files.length + 1);
    const biggest = Math.max(...files.map(([, d]) => (typeof d === 'string' ? d.length : d.length)));
    for (const c of out.chunks) expect(c.length).toBeLessThan(biggest + 200);
  });

  it('refuses duplicate names and writes after close; abort reaches the writable', async () => {
    const out = new FakeWritable();
    const z = new ZipStreamWriter(out);
    await z.add('a', 'x');
    await expect(z.add('a', 'y')).rejects.toThrow(/duplicate/);
    await z.abort('cancel');
    expect(out.aborted).toBe(true);
    await expect(z.add('b', 'y')).rejects.toThrow(/closed/);
  });

  it('many entries: the count in the end record goes ZIP64 past 65,535', async () => {
    const out = new FakeWritable();
    const z = new ZipStreamWriter(out);
    const one = new Uint8Array([1]);
    for (let i = 0; i < 65_540; i++) await z.add(`t/${i}`, one);
    await z.close();
    const listed = checkWithTools(out.bytes());
    expect(Object.keys(listed)).toHaveLength(65_540);
  });
});

describe('StreamZipSink', () => {
  it('is a TileSink whose close completes the file', async () => {
    const out = new FakeWritable();
    const sink = new StreamZipSink(out, 'x_tiles.zip');
    await sink.write('tiles/a.png', noise(100, 9));
    await sink.write('tiles.csv', 'a,b\n1,2\n');
    expect(await sink.close()).toBeNull();
    const zip = await JSZip.loadAsync(out.bytes());
    expect(Object.keys(zip.files).sort()).toEqual(['tiles.csv', 'tiles/a.png']);
  });
});
