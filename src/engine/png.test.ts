// The module's PNG encoder: lossless, and files in PIL's range (the benchmark measures the full ratio).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { encodePngRgb } from './binding.ts';
import { NodeSlide, loadEngineNode } from './node.ts';
import { SHARED_SLIDES } from './testing/slides.ts';
import { levelPx } from './types.ts';

const CMU = path.join(SHARED_SLIDES, 'real/aperio/CMU-1-Small-Region.svs');

describe('encodePngRgb', () => {
  it('round-trips a real tile losslessly, no more than 1.25x the size of PIL’s PNG', async () => {
    const m = await loadEngineNode();
    const slide = await NodeSlide.open(CMU, m);
    const tile = await slide.readTile(levelPx(1024), levelPx(1024), 0, levelPx(512), levelPx(512));
    await slide.close();
    const png = encodePngRgb(m, tile);
    const back = PNG.sync.read(Buffer.from(png));
    expect([back.width, back.height]).toEqual([512, 512]);
    for (let i = 0; i < 512 * 512; i++) {
      if (back.data[i * 4] !== tile.data[i * 3] || back.data[i * 4 + 1] !== tile.data[i * 3 + 1] || back.data[i * 4 + 2] !== tile.data[i * 3 + 2])
        expect.fail(`pixel ${i} differs after the round trip`);
    }
    const pil = Number(
      execFileSync('/usr/bin/python3', ['-c', `import io,sys,numpy as np; from PIL import Image
a=np.frombuffer(sys.stdin.buffer.read(),dtype=np.uint8).reshape(512,512,3); b=io.BytesIO(); Image.fromarray(a).save(b,'png'); print(len(b.getvalue()))`], { input: tile.data }),
    );
    console.log(`tile PNG: ${png.length} bytes, PIL ${pil} (${(png.length / pil).toFixed(2)}x)`);
    expect(png.length / pil).toBeLessThanOrEqual(1.25);
  });
});
