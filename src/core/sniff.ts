// What a refused file's own bytes say about it, for the refusal's likely cause (refusals.ts):
// OpenSlide 3.4.1 answers most bad files with one sentence ("Unsupported or missing image file"), so
// the cause comes from here: a TIFF stored in strips, an OME-TIFF, a DICOM object of some class, text,
// an empty file, a file cut short. Pure: the caller supplies a byte reader (Blob.slice, fs) and the size.

/** Reads `length` bytes at `offset` (fewer at the end of the file). */
export type ByteReader = (offset: number, length: number) => Promise<Uint8Array>;

export interface TiffFacts {
  bigTiff: boolean;
  /** directories walked (the chain stops at a loop, at a bad offset or after MAX_IFDS) */
  ifds: number;
  /** the first directory holds tiles (TileWidth) rather than strips */
  firstTiled: boolean;
  anyTiled: boolean;
  /** TIFF Compression of the first directory */
  compression: number | null;
  /** the first directory's ImageDescription, its first DESCRIPTION_CHARS characters */
  description: string;
}

export interface FileFacts {
  size: number;
  magic: 'empty' | 'tiff' | 'dicom' | 'text' | 'unknown';
  tiff?: TiffFacts;
  /** DICOM: Media Storage SOP Class UID from the file meta group */
  dicomSopClass?: string;
  /** the first line of a text file (at most 60 characters) */
  textStart?: string;
  /**
   * the file is shorter than its own structure says: the first byte it points to past its end
   * (a TIFF directory, a tag's values, a strip or tile), or null when everything it names is there
   */
  pointsPastEnd: number | null;
}

export const DICOM_VL_WHOLE_SLIDE = '1.2.840.10008.5.1.4.1.1.77.1.6';
const MAX_IFDS = 256;
const DESCRIPTION_CHARS = 4096;
// offset arrays larger than this are not walked (a 4 MiB read per directory is enough for any slide's tiles)
const MAX_OFFSET_ARRAY_BYTES = 4 << 20;

const TAG = { compression: 259, description: 270, stripOffsets: 273, stripByteCounts: 279, tileWidth: 322, tileOffsets: 324, tileByteCounts: 325 } as const;
const TYPE_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4, 16: 8, 17: 8, 18: 8 };

interface Entry {
  tag: number;
  type: number;
  count: number;
  /** where the values are: inside the entry, or at the offset it holds */
  valueAt: number;
  inline: boolean;
}

class Le {
  constructor(
    private readonly b: Uint8Array,
    private readonly little: boolean,
  ) {}
  private v = (o: number) => new DataView(this.b.buffer, this.b.byteOffset + o);
  u16 = (o: number) => this.v(o).getUint16(0, this.little);
  u32 = (o: number) => this.v(o).getUint32(0, this.little);
  // BigTIFF offsets beyond 2^53 are past any real file's end anyway
  u64 = (o: number) => Number(this.v(o).getBigUint64(0, this.little));
}

function isText(b: Uint8Array): boolean {
  if (b.length === 0) return false;
  let printable = 0;
  for (const c of b) if (c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127) || c >= 128) printable++;
  return printable === b.length && !b.includes(0);
}

/** Facts about one file from its bytes. Never throws on any content; a read error is the caller's. */
export async function sniffFile(read: ByteReader, size: number): Promise<FileFacts> {
  if (size === 0) return { size, magic: 'empty', pointsPastEnd: null };
  const head = await read(0, Math.min(size, 512));
  if (head.length >= 132 && String.fromCharCode(...head.subarray(128, 132)) === 'DICM') return { size, magic: 'dicom', dicomSopClass: await dicomSopClass(read, size), pointsPastEnd: null };
  const order = String.fromCharCode(...head.subarray(0, 2));
  if (order === 'II' || order === 'MM') {
    const le = new Le(head, order === 'II');
    const version = head.length >= 4 ? le.u16(2) : 0;
    if (version === 42 || version === 43) {
      const { tiff, pointsPastEnd } = await sniffTiff(read, size, order === 'II', version === 43);
      return { size, magic: 'tiff', tiff, pointsPastEnd };
    }
    if (head.length < 4) return { size, magic: 'tiff', pointsPastEnd: 4 };
  }
  if (isText(head)) {
    const text = new TextDecoder().decode(head);
    return { size, magic: 'text', textStart: text.split(/\r?\n/, 1)[0].slice(0, 60), pointsPastEnd: null };
  }
  return { size, magic: 'unknown', pointsPastEnd: null };
}

async function sniffTiff(read: ByteReader, size: number, little: boolean, big: boolean): Promise<{ tiff: TiffFacts; pointsPastEnd: number | null }> {
  const tiff: TiffFacts = { bigTiff: big, ifds: 0, firstTiled: false, anyTiled: false, compression: null, description: '' };
  let past: number | null = null;
  const beyond = (end: number) => {
    if (end > size && (past === null || end < past)) past = end;
    return end > size;
  };
  const header = await read(0, 16);
  if (header.length < (big ? 16 : 8)) return { tiff, pointsPastEnd: big ? 16 : 8 };
  const h = new Le(header, little);
  let next = big ? h.u64(8) : h.u32(4);
  const seen = new Set<number>();
  while (next !== 0 && !seen.has(next) && tiff.ifds < MAX_IFDS) {
    seen.add(next);
    const countBytes = big ? 8 : 2;
    if (beyond(next + countBytes)) break;
    const cb = await read(next, countBytes);
    const n = big ? new Le(cb, little).u64(0) : new Le(cb, little).u16(0);
    const entrySize = big ? 20 : 12;
    const tableLength = n * entrySize + (big ? 8 : 4);
    if (beyond(next + countBytes + tableLength)) break;
    const table = await read(next + countBytes, tableLength);
    const t = new Le(table, little);
    const entries = new Map<number, Entry>();
    for (let i = 0; i < n; i++) {
      const o = i * entrySize;
      const tag = t.u16(o);
      const type = t.u16(o + 2);
      const count = big ? t.u64(o + 4) : t.u32(o + 4);
      const bytes = (TYPE_SIZE[type] ?? 1) * count;
      const inline = bytes <= (big ? 8 : 4);
      const valueAt = inline ? next + countBytes + o + (big ? 12 : 8) : big ? t.u64(o + 12) : t.u32(o + 8);
      if (!inline) beyond(valueAt + bytes);
      entries.set(tag, { tag, type, count, valueAt, inline });
    }
    const tiled = entries.has(TAG.tileWidth);
    if (tiff.ifds === 0) {
      tiff.firstTiled = tiled;
      const c = entries.get(TAG.compression);
      if (c) tiff.compression = (await values(read, size, c, little))[0] ?? null;
      const d = entries.get(TAG.description);
      if (d && d.valueAt + Math.min(d.count, DESCRIPTION_CHARS) <= size) tiff.description = new TextDecoder().decode(await read(d.valueAt, Math.min(d.count, DESCRIPTION_CHARS))).replace(/\0+$/, '');
    }
    tiff.anyTiled ||= tiled;
    // the pixel data each directory names must be inside the file
    const offs = entries.get(tiled ? TAG.tileOffsets : TAG.stripOffsets);
    const lens = entries.get(tiled ? TAG.tileByteCounts : TAG.stripByteCounts);
    if (offs && lens) {
      const o = await values(read, size, offs, little);
      const l = await values(read, size, lens, little);
      for (let i = 0; i < Math.min(o.length, l.length); i++) if (l[i] > 0) beyond(o[i] + l[i]);
    }
    tiff.ifds++;
    const nt = new Le(table, little);
    next = big ? nt.u64(n * entrySize) : nt.u32(n * entrySize);
  }
  return { tiff, pointsPastEnd: past };
}

/** An entry's unsigned integer values (SHORT, LONG, LONG8), or none when they are out of reach. */
async function values(read: ByteReader, size: number, e: Entry, little: boolean): Promise<number[]> {
  const w = TYPE_SIZE[e.type];
  if (![3, 4, 16].includes(e.type) || e.count * w > MAX_OFFSET_ARRAY_BYTES || e.valueAt + e.count * w > size) return [];
  const b = await read(e.valueAt, e.count * w);
  const v = new Le(b, little);
  const out: number[] = [];
  for (let i = 0; i < e.count; i++) out.push(w === 2 ? v.u16(i * 2) : w === 4 ? v.u32(i * 4) : v.u64(i * 8));
  return out;
}

/** (0002,0002) Media Storage SOP Class UID: the file meta group is always explicit-VR little-endian. */
async function dicomSopClass(read: ByteReader, size: number): Promise<string | undefined> {
  const b = await read(132, Math.min(size - 132, 4096));
  const v = new Le(b, true);
  let o = 0;
  while (o + 8 <= b.length) {
    const group = v.u16(o);
    const element = v.u16(o + 2);
    if (group !== 2) return undefined;
    const vr = String.fromCharCode(b[o + 4], b[o + 5]);
    const long = ['OB', 'OW', 'OF', 'SQ', 'UT', 'UN'].includes(vr);
    const length = long ? v.u32(o + 8) : v.u16(o + 6);
    const start = o + (long ? 12 : 8);
    if (element === 2) return new TextDecoder().decode(b.subarray(start, start + length)).replace(/[\0 ]+$/, '');
    o = start + length;
  }
  return undefined;
}
