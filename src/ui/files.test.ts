// The UI names and orders a drop by the engine's own rule, so the file it labels is the one opened.
import { describe, expect, it } from 'vitest';
import { pickMainFile } from '../engine/files.ts';
import { arrangeFiles, type PickedFile } from './files.ts';

const picked = (paths: string[]): PickedFile[] => paths.map((path) => ({ path, file: new File([], path.split('/').pop()!) }));

describe('arrangeFiles', () => {
  it.each([
    [['slide/Data0000.dat', 'slide/Slidedat.ini', 'slide.mrxs']],
    [['s_map.jpg', 's.jpg', 's.vms', 's.opt']],
    [['deep/b.tif', 'a.tif']],
    // the two rules disagreed here: the UI put the deeper .svs first, the engine opened the .tif
    [['x/y/a.svs', 'b.tif']],
    [['x/a.tiff', 'b.ndpi']],
    [['series/1.dcm', 'series/0.dcm']],
    [['notes.txt', 'weird.bin']],
  ])('%j: the first slide file is the engine’s main file', (paths) => {
    const { slide } = arrangeFiles(picked(paths));
    expect(slide[0].path).toBe(pickMainFile(paths.map((path) => ({ path }))));
    expect(new Set(slide.map((f) => f.path))).toEqual(new Set(paths));
  });

  it('keeps annotations apart (and a MIRAX .dat is never one)', () => {
    const { slide, annotations } = arrangeFiles(picked(['a.svs', 'a.geojson', 'm/Data0001.dat', 'notes.xml']));
    expect(annotations.map((f) => f.path)).toEqual(['a.geojson', 'notes.xml']);
    expect(slide.map((f) => f.path)).toEqual(['a.svs', 'm/Data0001.dat']);
  });

  it('keeps a previous export (slide.json or its zip) apart: it is a plan, not a slide or annotations', () => {
    const { slide, annotations, plans } = arrangeFiles(picked(['a.svs', 'export/slide.json', 'a.geojson', 'old.zip', 'qupath.json']));
    expect(plans.map((f) => f.path)).toEqual(['export/slide.json', 'old.zip']);
    expect(annotations.map((f) => f.path)).toEqual(['a.geojson', 'qupath.json']);
    expect(slide.map((f) => f.path)).toEqual(['a.svs']);
  });
});
