// The shard writer's rules, on synthetic samples: a shard never passes its size (unless one sample
// alone does, which then gets a shard of its own), samples are never split, and GNU tar reads every
// shard back with the same members and bytes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TarShardWriter, tarMemberSize, ustarHeader } from './tarShards.ts';

function bytes(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed * 7) & 0xff;
  return b;
}

describe('TarShardWriter', () => {
  it('keeps every shard within its size, whole samples only, and tar reads them back', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'slidetile-tar-'));
    const shards: [string, Uint8Array][] = [];
    const w = new TarShardWriter({ write: async (p, d) => void shards.push([p, d]) }, { prefix: 'shards/s-', maxBytes: 8192, mtime: 1_700_000_000 });
    const sizes = [0, 1, 511, 512, 513, 3000, 9000, 100, 2000];
    const placed: string[] = [];
    for (let k = 0; k < sizes.length; k++) placed.push(await w.add([[`t_${k}.bin`, bytes(sizes[k], k)], [`t_${k}.json`, `{"k":${k}}`]]));
    await w.flush();
    expect(w.written).toEqual(shards.map(([p]) => p));
    for (const [p, d] of shards) {
      const file = path.join(dir, path.basename(p));
      writeFileSync(file, d);
      const members = execFileSync('tar', ['-tf', file]).toString().trim().split('\n');
      // a shard over the limit holds exactly one sample (the 9000-byte one)
      if (d.byteLength > 8192) expect(members).toEqual(['t_6.bin', 't_6.json']);
      // samples are whole: a .bin is always followed by its .json
      for (let i = 0; i < members.length; i += 2) expect(members[i + 1]).toBe(members[i].replace('.bin', '.json'));
      for (const m of members) {
        const k = Number(m.match(/t_(\d+)/)![1]);
        const out = execFileSync('tar', ['-xOf', file, m]);
        expect(new Uint8Array(out)).toEqual(m.endsWith('.bin') ? bytes(sizes[k], k) : new TextEncoder().encode(`{"k":${k}}`));
        expect(placed[k]).toBe(p);
      }
    }
    expect(shards.length).toBeGreaterThan(2);
  });

  it('writes headers tar accepts and sizes members in whole blocks', () => {
    expect(tarMemberSize(0)).toBe(512);
    expect(tarMemberSize(1)).toBe(1024);
    expect(tarMemberSize(512)).toBe(1024);
    const h = ustarHeader('a.png', 12345, 0);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
    expect(parseInt(new TextDecoder().decode(h.subarray(148, 154)), 8)).toBe(sum);
    expect(() => ustarHeader('x'.repeat(101), 1, 0)).toThrow(/longer than 100/);
  });
});
