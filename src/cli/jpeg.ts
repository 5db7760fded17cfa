// A small baseline JPEG encoder for the CLI (Node has no canvas, and the project has no JPEG
// dependency): RGB → YCbCr (JFIF, full range), 4:4:4, libjpeg's quality scaling of the ITU T.81
// Annex K tables, the Annex K Huffman tables. Written for clarity over speed: a 512² tile takes a
// few tens of milliseconds.

const LUMA_Q = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109,
  103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
const CHROMA_Q = (() => {
  const t = new Array<number>(64).fill(99);
  const head = [
    [17, 18, 24, 47],
    [18, 21, 26, 66],
    [24, 26, 56],
    [47, 66],
  ];
  head.forEach((row, r) => row.forEach((v, c) => (t[r * 8 + c] = v)));
  return t;
})();

/** ZIGZAG[k] = natural (row-major) index of the k-th coefficient in zigzag order. */
const ZIGZAG = (() => {
  const out: number[] = [];
  for (let s = 0; s < 15; s++) {
    const lo = Math.max(0, s - 7);
    const hi = Math.min(s, 7);
    if (s % 2 === 0) for (let r = hi; r >= lo; r--) out.push(r * 8 + (s - r));
    else for (let r = lo; r <= hi; r++) out.push(r * 8 + (s - r));
  }
  return out;
})();

/** Every AC symbol (run << 4 | size) in ascending order: EOB, 0x01..0xfa, ZRL. */
const AC_SYMBOLS = (() => {
  const s = [0x00, 0xf0];
  for (let run = 0; run < 16; run++) for (let size = 1; size <= 10; size++) s.push((run << 4) | size);
  return s.sort((a, b) => a - b);
})();

/** Annex K.3 AC tables: their first, most frequent symbols; the rest follow in ascending order. */
function acValues(head: number[]): number[] {
  const used = new Set(head);
  return [...head, ...AC_SYMBOLS.filter((v) => !used.has(v))];
}

interface HuffSpec {
  /** number of codes of length 1..16 */
  bits: number[];
  values: number[];
}

const DC_LUMA: HuffSpec = { bits: [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0], values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] };
const DC_CHROMA: HuffSpec = { bits: [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0], values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] };
const AC_LUMA: HuffSpec = {
  bits: [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d],
  values: acValues([
    0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07, 0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42,
    0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0, 0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16,
  ]),
};
const AC_CHROMA: HuffSpec = {
  bits: [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77],
  values: acValues([
    0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71, 0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1,
    0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0, 0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1,
  ]),
};

/** symbol → [code, length] */
function huffCodes(spec: HuffSpec): Int32Array {
  const out = new Int32Array(512);
  let code = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    for (let n = 0; n < spec.bits[len - 1]; n++) {
      const v = spec.values[k++];
      out[2 * v] = code++;
      out[2 * v + 1] = len;
    }
    code <<= 1;
  }
  return out;
}

const CODES = { dcL: huffCodes(DC_LUMA), acL: huffCodes(AC_LUMA), dcC: huffCodes(DC_CHROMA), acC: huffCodes(AC_CHROMA) };

/** Orthonormal 8-point DCT-II matrix: with it, C·B·Cᵀ is T.81's FDCT (¼·C(u)C(v)·ΣΣ). */
const DCT = (() => {
  const m = new Float64Array(64);
  for (let u = 0; u < 8; u++) for (let x = 0; x < 8; x++) m[u * 8 + x] = (u === 0 ? Math.SQRT1_2 : 1) * 0.5 * Math.cos(((2 * x + 1) * u * Math.PI) / 16);
  return m;
})();

/** libjpeg's jpeg_quality_scaling + jpeg_add_quant_table (baseline: 1..255). */
function scaledTable(base: number[], quality: number): Uint8Array {
  const q = Math.min(100, Math.max(1, Math.round(quality)));
  const scale = q < 50 ? Math.floor(5000 / q) : 200 - 2 * q;
  return Uint8Array.from(base, (b) => Math.min(255, Math.max(1, Math.floor((b * scale + 50) / 100))));
}

class ByteWriter {
  buf = new Uint8Array(1 << 16);
  n = 0;
  private acc = 0;
  private nbits = 0;
  byte(b: number) {
    if (this.n === this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.n++] = b;
  }
  word(w: number) {
    this.byte((w >> 8) & 0xff);
    this.byte(w & 0xff);
  }
  bytes(a: ArrayLike<number>) {
    for (let i = 0; i < a.length; i++) this.byte(a[i]);
  }
  /** entropy-coded bits, MSB first, with 0xFF byte stuffing */
  bits(value: number, length: number) {
    for (let i = length - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((value >> i) & 1);
      if (++this.nbits === 8) {
        this.byte(this.acc);
        if (this.acc === 0xff) this.byte(0);
        this.acc = 0;
        this.nbits = 0;
      }
    }
  }
  /** pad the last byte with 1 bits */
  flushBits() {
    if (this.nbits > 0) this.bits((1 << (8 - this.nbits)) - 1, 8 - this.nbits);
  }
}

function writeHuffTable(w: ByteWriter, cls: number, id: number, spec: HuffSpec) {
  w.word(0xffc4);
  w.word(2 + 1 + 16 + spec.values.length);
  w.byte((cls << 4) | id);
  w.bytes(spec.bits);
  w.bytes(spec.values);
}

/** Magnitude category and the extra bits T.81 F.1.2.1 writes for a coefficient. */
function category(v: number): [number, number] {
  const a = Math.abs(v);
  let size = 0;
  while (a >> size) size++;
  return [size, v < 0 ? v + (1 << size) - 1 : v];
}

/**
 * Encode 8-bit RGB (3 bytes a pixel, row-major) as a baseline JFIF JPEG.
 * `quality` is libjpeg's 1..100 (the browser's toBlob quality × 100).
 */
export function encodeJpeg(rgb: Uint8Array, width: number, height: number, quality: number): Uint8Array {
  if (width < 1 || height < 1 || width > 65535 || height > 65535) throw new RangeError(`JPEG cannot hold ${width}×${height}`);
  if (rgb.length < width * height * 3) throw new RangeError(`expected ${width * height * 3} RGB bytes, got ${rgb.length}`);
  const qt = [scaledTable(LUMA_Q, quality), scaledTable(CHROMA_Q, quality)];
  const w = new ByteWriter();
  w.word(0xffd8);
  // JFIF APP0: version 1.1, no density units, 1:1, no thumbnail
  w.word(0xffe0);
  w.word(16);
  w.bytes([0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  for (let t = 0; t < 2; t++) {
    w.word(0xffdb);
    w.word(67);
    w.byte(t);
    for (let k = 0; k < 64; k++) w.byte(qt[t][ZIGZAG[k]]);
  }
  w.word(0xffc0);
  w.word(17);
  w.byte(8);
  w.word(height);
  w.word(width);
  w.byte(3);
  w.bytes([1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1]);
  writeHuffTable(w, 0, 0, DC_LUMA);
  writeHuffTable(w, 1, 0, AC_LUMA);
  writeHuffTable(w, 0, 1, DC_CHROMA);
  writeHuffTable(w, 1, 1, AC_CHROMA);
  w.word(0xffda);
  w.word(12);
  w.byte(3);
  w.bytes([1, 0x00, 2, 0x11, 3, 0x11]);
  w.bytes([0, 63, 0]);

  const planes = [new Float64Array(64), new Float64Array(64), new Float64Array(64)];
  const tmp = new Float64Array(64);
  const coef = new Float64Array(64);
  const pred = [0, 0, 0];
  for (let by = 0; by < height; by += 8) {
    for (let bx = 0; bx < width; bx += 8) {
      // one MCU: the 8×8 block of each component, edge pixels repeated past the image
      for (let y = 0; y < 8; y++) {
        const sy = Math.min(height - 1, by + y);
        for (let x = 0; x < 8; x++) {
          const p = (sy * width + Math.min(width - 1, bx + x)) * 3;
          const r = rgb[p];
          const g = rgb[p + 1];
          const b = rgb[p + 2];
          planes[0][y * 8 + x] = 0.299 * r + 0.587 * g + 0.114 * b - 128;
          planes[1][y * 8 + x] = -0.168736 * r - 0.331264 * g + 0.5 * b;
          planes[2][y * 8 + x] = 0.5 * r - 0.418688 * g - 0.081312 * b;
        }
      }
      for (let c = 0; c < 3; c++) {
        const block = planes[c];
        // rows: tmp = block · Cᵀ; columns: coef = C · tmp
        for (let y = 0; y < 8; y++)
          for (let u = 0; u < 8; u++) {
            let s = 0;
            for (let x = 0; x < 8; x++) s += block[y * 8 + x] * DCT[u * 8 + x];
            tmp[y * 8 + u] = s;
          }
        for (let v = 0; v < 8; v++)
          for (let u = 0; u < 8; u++) {
            let s = 0;
            for (let y = 0; y < 8; y++) s += DCT[v * 8 + y] * tmp[y * 8 + u];
            coef[v * 8 + u] = s;
          }
        const q = qt[c === 0 ? 0 : 1];
        const dcCodes = c === 0 ? CODES.dcL : CODES.dcC;
        const acCodes = c === 0 ? CODES.acL : CODES.acC;
        const dc = Math.round(coef[0] / q[0]);
        const [dsize, dbits] = category(dc - pred[c]);
        pred[c] = dc;
        w.bits(dcCodes[2 * dsize], dcCodes[2 * dsize + 1]);
        if (dsize) w.bits(dbits, dsize);
        let run = 0;
        for (let k = 1; k < 64; k++) {
          const i = ZIGZAG[k];
          const a = Math.round(coef[i] / q[i]);
          if (a === 0) {
            run++;
            continue;
          }
          while (run > 15) {
            w.bits(acCodes[2 * 0xf0], acCodes[2 * 0xf0 + 1]);
            run -= 16;
          }
          const [size, bits] = category(a);
          const sym = (run << 4) | size;
          w.bits(acCodes[2 * sym], acCodes[2 * sym + 1]);
          w.bits(bits, size);
          run = 0;
        }
        if (run > 0) w.bits(acCodes[0], acCodes[1]);
      }
    }
  }
  w.flushBits();
  w.word(0xffd9);
  return w.buf.slice(0, w.n);
}
