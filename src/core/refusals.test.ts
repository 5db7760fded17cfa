// The likely-cause table: each kind of refused file from the facts the engine supplies, the file at
// fault named by the user's name, OpenSlide's own reason kept word for word.
import { describe, expect, it } from 'vitest';
import { explainAnnotationRefusal, explainRefusal, type RefusalInput } from './refusals.ts';
import { DICOM_VL_WHOLE_SLIDE, type FileFacts, type TiffFacts } from './sniff.ts';

const UNSUPPORTED = 'Unsupported or missing image file';
const tiff = (t: Partial<TiffFacts>, extra: Partial<FileFacts> = {}): FileFacts => ({
  size: 5000,
  magic: 'tiff',
  tiff: { bigTiff: false, ifds: 1, firstTiled: false, anyTiled: false, compression: 1, description: '', ...t },
  pointsPastEnd: null,
  ...extra,
});
const input = (p: Partial<RefusalInput>): RefusalInput => ({ main: 'slide.svs', files: [p.main ?? 'slide.svs'], code: 'unsupported-format', reason: UNSUPPORTED, facts: null, ...p });

describe('explainRefusal', () => {
  const cases: [string, Partial<RefusalInput>, string, RegExp][] = [
    ['empty', { facts: { size: 0, magic: 'empty', pointsPastEnd: null } }, 'empty', /empty \(0 bytes\)/],
    ['truncated', { facts: tiff({}, { size: 1_000_000, pointsPastEnd: 1_275_952 }) }, 'truncated', /1,000,000 bytes long but .* byte 1,275,952/],
    ['text', { main: 'x.ndpi', facts: { size: 20, magic: 'text', textStart: 'this is not a slide', pointsPastEnd: null } }, 'not-a-slide', /holds text.*“this is not a slide”/],
    ['strips', { main: 'kidney.tif', facts: tiff({}) }, 'strip-tiff', /stored in strips, not tiles/],
    ['OME by description', { main: 'a.tif', facts: tiff({ description: '<?xml version="1.0"?><OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06">' }) }, 'ome-tiff', /OME-TIFF/],
    ['OME by name', { main: 'b.ome.tiff', facts: tiff({ firstTiled: true, anyTiled: true }) }, 'ome-tiff', /OME-TIFF/],
    ['qptiff', { main: 'c.qptiff', facts: tiff({ firstTiled: true, anyTiled: true, description: '<PerkinElmer-QPI-ImageDescription>' }) }, 'qptiff', /qptiff/],
    ['vsi', { main: 'd.vsi', facts: tiff({}) }, 'olympus-vsi', /Olympus\/Evident VSI/],
    ['dicom slide', { main: 'e.dcm', facts: { size: 5000, magic: 'dicom', dicomSopClass: DICOM_VL_WHOLE_SLIDE, pointsPastEnd: null } }, 'dicom-wsi', /DICOM whole-slide image that could not be read/],
    ['dicom CT', { main: 'f.dcm', facts: { size: 5000, magic: 'dicom', dicomSopClass: '1.2.840.10008.5.1.4.1.1.2', pointsPastEnd: null } }, 'dicom-not-wsi', /not a whole-slide image \(it is a CT Image/],
    ['dicom other', { main: 'g.dcm', facts: { size: 5000, magic: 'dicom', dicomSopClass: '1.2.3.4', pointsPastEnd: null } }, 'dicom-not-wsi', /SOP class 1\.2\.3\.4/],
    ['mirax alone', { main: 'h.mrxs', files: ['h.mrxs'], facts: { size: 10, magic: 'text', textStart: '[GENERAL]', pointsPastEnd: null } }, 'mirax-no-folder', /folder “h” beside it/],
    ['mirax damaged', { main: 'dir/h.mrxs', files: ['dir/h.mrxs', 'dir/h/Slidedat.ini'], code: 'corrupt-slide', reason: 'Key file does not have key “SLIDE_ID” in group “GENERAL”' }, 'mirax-damaged', /incomplete or damaged/],
    ['vms missing', { main: 'i.vms', code: 'corrupt-slide', reason: "Couldn't open missing-map.jpg: No such file or directory" }, 'vms-missing-images', /\(missing-map\.jpg is missing\)/],
    ['companion missing', { main: 'j.svslide', code: 'corrupt-slide', reason: "Couldn't open sub/k.dat: No such file or directory" }, 'missing-companion', /needs k\.dat/],
    ['compression', { main: 'k.tiff', code: 'corrupt-slide', reason: 'Unsupported TIFF compression: 52479', facts: tiff({ firstTiled: true, anyTiled: true }) }, 'unsupported-compression', /compression 52479/],
    ['reads fail', { code: 'read-failed', reason: 'Bogus marker length', facts: tiff({ firstTiled: true, anyTiled: true }) }, 'damaged-data', /cannot be decoded/],
    ['structure', { code: 'corrupt-slide', reason: 'TIFF directory 3 is odd', facts: tiff({ firstTiled: true, anyTiled: true }) }, 'damaged-structure', /could not read its structure/],
    ['unknown bytes', { facts: { size: 99, magic: 'unknown', pointsPastEnd: null } }, 'unknown-format', /does not recognise/],
    ['engine', { code: 'engine-crashed', reason: 'the engine stopped: RuntimeError: unreachable' }, 'engine', /engine stopped/],
  ];
  it.each(cases)('%s', (_label, p, kind, cause) => {
    const r = explainRefusal(input(p));
    expect(r.kind).toBe(kind);
    expect(r.cause).toMatch(cause);
    expect(r.advice.length).toBeGreaterThan(20);
    // OpenSlide's own words stay, as they were
    expect(r.openslideReason).toBe(input(p).reason);
    // the user's file is named by its name, never a folder
    expect(r.file).toBe(input(p).main.split('/').pop());
  });

  it('a MIRAX whose folder was given is not told the folder is missing', () => {
    expect(explainRefusal(input({ main: 'h.mrxs', files: ['h.mrxs', 'h/Data0000.dat'] })).kind).not.toBe('mirax-no-folder');
  });

  it('"Couldn\'t open" the main file itself is not a missing companion', () => {
    expect(explainRefusal(input({ main: 'dir/a.svs', code: 'corrupt-slide', reason: "Couldn't open dir/a.svs: Permission denied" })).kind).toBe('damaged-structure');
  });

  it('sentences end without a stop and start capitalised unless with the file name', () => {
    for (const [, p] of cases) {
      const r = explainRefusal(input(p));
      expect(r.advice).toMatch(/^[A-Z]/);
      expect(r.cause.startsWith(r.file) || /^[A-Z]/.test(r.cause), r.cause).toBe(true);
      expect(r.cause + r.advice).not.toMatch(/\.$/);
    }
  });
});

describe('explainAnnotationRefusal', () => {
  it('names the annotation file, and says why entities are refused', () => {
    const r = explainAnnotationRefusal('/data/lol.xml', { code: 'syntax', message: 'line 13: bad entity "&lol"' }, { declaresEntities: true });
    expect(r).toMatchObject({ kind: 'annotation', file: 'lol.xml', openslideReason: 'lol.xml (syntax): line 13: bad entity "&lol"' });
    expect(r.cause).toMatch(/declares its own XML entities/);
  });
  it.each([
    ['syntax', /not well-formed XML/],
    ['schema', /not in a layout/],
    ['geometry', /cannot be used as an area/],
    ['too-large', /too large/],
    ['empty', /no annotations/],
    [undefined, /could not be read/],
  ] as const)('%s', (code, cause) => {
    const r = explainAnnotationRefusal('a.xml', { code, message: 'm' });
    expect(r.cause).toMatch(cause);
    expect(r.file).toBe('a.xml');
  });
});
