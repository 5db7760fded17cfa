// The command line names the file at fault: a refused --annotations file by its own name (not the
// slide's), and a slide's missing companion by the user's path, never the engine's mount (/hostN/).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_SLIDES } from '../engine/testing/slides.ts';
import { main } from './main.ts';

const CMU = path.join(SHARED_SLIDES, 'real/aperio/CMU-1-Small-Region.svs');
async function run(...argv: string[]) {
  let stderr = '';
  const code = await main(argv, { stdout: () => {}, stderr: (s) => (stderr += s) });
  return { code, stderr };
}

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'slidetile-cli-refusal-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('refusals on the command line', () => {
  it('an annotation file with entity expansion is named, not the slide', async () => {
    const xml = path.join(dir, 'laughs.xml');
    writeFileSync(xml, '<?xml version="1.0"?>\n<!DOCTYPE a [\n<!ENTITY lol "lol">\n]>\n<ASAP_Annotations>\n<Annotations>\n<Annotation Name="&lol;" Type="Polygon" PartOfGroup="T">\n<Coordinates/>\n</Annotation>\n</Annotations>\n</ASAP_Annotations>\n');
    const r = await run('extract', CMU, '--annotations', xml, '--level', '0', '--tile', '512,512', '--out', path.join(dir, 'out.zip'));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`slidetile: ${xml}: line 7: unknown entity "&lol;"\n`);
  });

  it('a VMS whose JPEGs are missing names them by the user’s path', async () => {
    const vms = path.join(SHARED_SLIDES, 'bad/derived/vms-missing-jpegs.vms');
    const r = await run('info', vms);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`slidetile: ${vms}: Couldn't open ${path.join(path.dirname(vms), 'missing-map.jpg')}: No such file or directory\n`);
  });
});
