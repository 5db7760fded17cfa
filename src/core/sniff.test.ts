// sniffFile on bytes built here: classic and Big TIFF, tiles or strips, a description, a file cut
// short (directory, tag values or pixel data past the end), DICOM meta, text, empty.
import { describe, expect, it } from 'vitest';
import { DICOM_VL_WHOLE_SLIDE, sniffFile } from './sniff.ts';

const reader = (b: Uint8Array) => async (offset: number, length: number) => b.slice(offset, offset + length);
const sniff = (b: Uint8Array) => sniffFile(reader(b), b.length);

/** A little-endian classic TIFF with one directory at offset 8: entries [tag, type, count, value]. */
function tiff(entries: [number, number, number, number][], extra: Uint8Array = new Uint8Array(0), nextIfd = 0): Uint8Array {
  const ifdLen = 2 + entries.length * 12 + 4;
  const b = new Uint8Array(8 + ifdLen + extra.length);
  const v = new DataView(b.buffer);
  b.set([0x49, 0x49, 42, 0]);
  v.setUint32(4, 8, true);
  v.setUint16(8, entries.length, true);
  entries.forEach(([tag, type, count, value], i) => {
    const o = 10 + i * 12;
    v.setUint16(o, tag, true);
    v.setUint16(o + 2, type, true);
    v.setUint32(o + 4, count, true);
    if (type === 3 && count === 1) v.setUint16(o + 8, value, true);
    else v.setUint32(o + 8, value, true);
  });
  v.setUint32(10 + entries.length * 12, nextIfd, true);
  b.set(extra, 8 + ifdLen);
  return b;
}
const dataAt = (entries: number) => 8 + 2 + entries * 12 + 4;

describe('sniffFile', () => {
  it('an empty file', async () => {
    expect(await sniff(new Uint8Array(0))).toEqual({ size: 0, magic: 'empty', pointsPastEnd: null });
  });

  it('a stripped TIFF whose strip is inside the file', async () => {
    const n = 4;
    const f = tiff([[259, 3, 1, 1], [273, 4, 1, dataAt(n)], [279, 4, 1, 16], [256, 3, 1, 4]], new Uint8Array(16));
    const facts = await sniff(f);
    expect(facts.magic).toBe('tiff');
    expect(facts.tiff).toMatchObject({ bigTiff: false, ifds: 1, firstTiled: false, anyTiled: false, compression: 1 });
    expect(facts.pointsPastEnd).toBeNull();
  });

  it('a tiled TIFF with a description', async () => {
    const n = 5;
    const desc = new TextEncoder().encode('<?xml version="1.0"?><OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06">\0');
    const f = tiff([[259, 3, 1, 7], [270, 2, desc.length, dataAt(n) + 4], [322, 3, 1, 256], [324, 4, 1, dataAt(n)], [325, 4, 1, 4]], new Uint8Array([0, 0, 0, 0, ...desc]));
    const facts = await sniff(f);
    expect(facts.tiff).toMatchObject({ firstTiled: true, anyTiled: true, compression: 7 });
    expect(facts.tiff!.description).toMatch(/^<\?xml.*<OME /);
    expect(facts.pointsPastEnd).toBeNull();
  });

  it('a TIFF cut short: the first directory, a tag’s values, a strip past the end', async () => {
    const header = tiff([]).slice(0, 8);
    new DataView(header.buffer).setUint32(4, 1_275_950, true);
    expect((await sniff(header)).pointsPastEnd).toBe(1_275_950 + 2);
    const desc = tiff([[270, 2, 100, 5000]]);
    expect((await sniff(desc)).pointsPastEnd).toBe(5100);
    const strip = tiff([[273, 4, 1, 40], [279, 4, 1, 1000]]);
    expect((await sniff(strip)).pointsPastEnd).toBe(1040);
  });

  it('a second directory past the end', async () => {
    const f = tiff([[256, 3, 1, 4]], new Uint8Array(0), 9999);
    const facts = await sniff(f);
    expect(facts.tiff!.ifds).toBe(1);
    expect(facts.pointsPastEnd).toBe(9999 + 2);
  });

  it('a directory chain that loops ends', async () => {
    const f = tiff([[256, 3, 1, 4]], new Uint8Array(0), 8);
    expect((await sniff(f)).tiff!.ifds).toBe(1);
  });

  it('a BigTIFF', async () => {
    const b = new Uint8Array(16 + 8 + 20 + 8);
    const v = new DataView(b.buffer);
    b.set([0x4d, 0x4d, 0, 43, 0, 8, 0, 0]);
    v.setBigUint64(8, 16n);
    v.setBigUint64(16, 1n);
    v.setUint16(24, 322);
    v.setUint16(26, 3);
    v.setBigUint64(28, 1n);
    v.setUint16(36, 512);
    const facts = await sniff(b);
    expect(facts.tiff).toMatchObject({ bigTiff: true, ifds: 1, firstTiled: true });
    expect(facts.pointsPastEnd).toBeNull();
  });

  it('DICOM: the SOP class from the file meta group', async () => {
    const uid = DICOM_VL_WHOLE_SLIDE;
    const el = (element: number, vr: string, value: Uint8Array) => {
      const long = vr === 'OB';
      const h = new Uint8Array(long ? 12 : 8);
      const v = new DataView(h.buffer);
      v.setUint16(0, 2, true);
      v.setUint16(2, element, true);
      h.set([vr.charCodeAt(0), vr.charCodeAt(1)], 4);
      if (long) v.setUint32(8, value.length, true);
      else v.setUint16(6, value.length, true);
      return [...h, ...value];
    };
    const u = new TextEncoder().encode(uid.length % 2 ? uid + '\0' : uid);
    const b = new Uint8Array([...new Uint8Array(128), ...new TextEncoder().encode('DICM'), ...el(1, 'OB', new Uint8Array([0, 1])), ...el(2, 'UI', u)]);
    expect(await sniff(b)).toMatchObject({ magic: 'dicom', dicomSopClass: uid });
  });

  it('text, and bytes that are neither', async () => {
    expect(await sniff(new TextEncoder().encode('this is not a slide\nsecond line'))).toMatchObject({ magic: 'text', textStart: 'this is not a slide' });
    expect(await sniff(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toMatchObject({ magic: 'unknown' });
  });
});
