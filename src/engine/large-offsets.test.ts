// Slides over 4 GB: a sparse BigTIFF whose every tile lies past 2^32 bytes reads as native does.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NodeSlide } from './node.ts';
import { oracleRegions, type OracleRequest } from './testing/oracle.ts';
import { REPO } from './testing/slides.ts';
import { level0, levelPx } from './types.ts';

export const OVER_4G = path.join(REPO, '.cache/over4g/over4g.tiff');

describe('a slide over 4 GB', () => {
  it('reads regions past the 4 GiB offset byte for byte as native', async () => {
    if (!existsSync(OVER_4G)) {
      mkdirSync(path.dirname(OVER_4G), { recursive: true });
      execFileSync('/usr/bin/python3', [path.join(REPO, 'tools/samples/gen_over4g.py'), OVER_4G]);
    }
    const requests: OracleRequest[] = [
      [0, 0, 512, 512],
      [255, 255, 2, 2],
      [300, 17, 100, 300],
      [400, 400, 200, 200], // crosses right and bottom
    ].map(([x, y, w, h]) => ({ kind: 'region', x, y, level: 0, w, h }));
    const { results } = oracleRegions(OVER_4G, requests);
    const slide = await NodeSlide.open(OVER_4G);
    try {
      expect(slide.info.levels[0]).toMatchObject({ width: 512, height: 512 });
      for (const [i, r] of requests.entries()) {
        if (r.kind !== 'region') continue;
        const got = await slide.readRegion(level0(r.x), level0(r.y), 0, levelPx(r.w), levelPx(r.h));
        expect(createHash('sha256').update(got.data).digest('hex'), JSON.stringify(r)).toBe(results[i].sha256);
      }
    } finally {
      await slide.close();
    }
  });
});
