import { describe, expect, it } from 'vitest';
import { pickMainFile } from './files.ts';

describe('pickMainFile', () => {
  it.each([
    [['a.svs'], 'a.svs'],
    [['slide/Data0000.dat', 'slide/Slidedat.ini', 'slide.mrxs'], 'slide.mrxs'],
    [['x/slide/Index.dat', 'x/slide.mrxs'], 'x/slide.mrxs'],
    [['s_map.jpg', 's.jpg', 's.vms', 's.opt'], 's.vms'],
    [['deep/b.tif', 'a.tif'], 'a.tif'],
    [['notes.txt', 'weird.bin'], 'notes.txt'],
  ])('%j → %s', (paths, main) => {
    expect(pickMainFile(paths.map((path) => ({ path })))).toBe(main);
  });
  it('refuses an empty drop', () => expect(() => pickMainFile([])).toThrow(/no files/));
});
