#!/usr/bin/python3
"""Builds the JPEG corpus the SIMD bit-identity check decodes, from the repo and the shared slides only
(same files every time: no randomness without a fixed seed, no network).

  /usr/bin/python3 tools/jpeg-simd/make_corpus.py OUT_DIR      -> OUT_DIR/*.jpg and OUT_DIR/list.tsv

What goes in, so every layout OpenSlide's JPEG paths meet is covered:
  - tiles of the real slides (JPEG-in-TIFF: JPEGTables + tile, as OpenSlide hands them to libjpeg) and
    of the generated samples (.cache/samples: Aperio, generic TIFF YCbCr and RGB, Philips, Leica, Ventana,
    Trestle), the small levels of the NDPI (whole-level JPEGs with restart markers), the VMS/VMU JPEGs
    (restart markers; OpenSlide decodes them at 1/2, 1/4, 1/8 too) and the MIRAX JPEG tiles;
  - synthetic ones from Debian's cjpeg: 4:4:4, 4:2:2, 4:2:0, 4:4:0, grayscale, restart markers every
    row / every 2 MCUs, odd sizes from 1x1 up, qualities 50..100, camera-like and noise content;
  - damaged copies of some of them (seeded byte changes in the entropy-coded data), so the kernels'
    behaviour on out-of-range coefficients is compared too.
list.tsv: path<TAB>space (auto | ycc | rgb: the colour space OpenSlide forces for a TIFF tile).
"""
import os
import random
import struct
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / 'shared' / 'slides'
SAMPLES = REPO / '.cache' / 'samples'
TILES_PER_LEVEL = 40


def tiff_ifds(data):
    """(tags dict) per IFD of a classic or Big TIFF; values as lists of ints or bytes."""
    bo = '<' if data[:2] == b'II' else '>'
    big = struct.unpack(bo + 'H', data[2:4])[0] == 43
    sizes = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 16: 8, 17: 8, 18: 8}
    fmt = {1: 'B', 3: 'H', 4: 'I', 16: 'Q', 6: 'b', 8: 'h', 9: 'i', 13: 'I', 18: 'Q'}
    off = struct.unpack(bo + ('Q' if big else 'I'), data[8:16] if big else data[4:8])[0]
    seen = set()
    while off and off not in seen and off + 8 < len(data):
        seen.add(off)
        n = struct.unpack(bo + ('Q' if big else 'H'), data[off:off + (8 if big else 2)])[0]
        p = off + (8 if big else 2)
        esize = 20 if big else 12
        tags = {}
        for i in range(n):
            e = data[p + i * esize:p + (i + 1) * esize]
            tag, typ = struct.unpack(bo + 'HH', e[:4])
            cnt = struct.unpack(bo + ('Q' if big else 'I'), e[4:12] if big else e[4:8])[0]
            vbytes = e[12:20] if big else e[8:12]
            size = sizes.get(typ, 1) * cnt
            if size > len(vbytes):
                voff = struct.unpack(bo + ('Q' if big else 'I'), vbytes)[0]
                raw = data[voff:voff + size]
            else:
                raw = vbytes[:size]
            if typ in (7, 1) and tag == 347:
                tags[tag] = raw
            elif typ in fmt:
                tags[tag] = list(struct.unpack(bo + fmt[typ] * cnt, raw)) if len(raw) == size else []
        yield tags
        q = p + n * esize
        off = struct.unpack(bo + ('Q' if big else 'I'), data[q:q + (8 if big else 4)])[0]


def tiff_jpegs(path):
    """JPEG streams of a TIFF's JPEG-compressed tiles (a spread of them) and small strips."""
    data = path.read_bytes()
    for ifd_no, t in enumerate(tiff_ifds(data)):
        if t.get(259, [0])[0] != 7:
            continue
        space = {2: 'rgb', 6: 'ycc'}.get(t.get(262, [0])[0], 'auto')
        tables = t.get(347)
        if 324 in t:
            offs, counts = t[324], t.get(325, [])
            picks = sorted(set(range(0, len(offs), max(1, len(offs) // TILES_PER_LEVEL))))
        elif 273 in t:
            offs, counts = t[273], t.get(279, [])
            w, h = t.get(256, [0])[0], t.get(257, [0])[0]
            if w * h > 1_300_000:  # the big NDPI levels: the small ones cover their layout
                continue
            picks = range(min(len(offs), TILES_PER_LEVEL))
        else:
            continue
        for i in picks:
            if i >= len(counts) or counts[i] < 4:
                continue
            tile = data[offs[i]:offs[i] + counts[i]]
            if tables and len(tables) > 4 and tile[:2] == b'\xff\xd8':
                tile = tables[:-2] + tile[2:]  # tables without EOI + tile without SOI
            yield f'{ifd_no}-{i}', tile, space


def split_jpegs(path):
    """Concatenated JPEG files (MIRAX Data*.dat): SOI markers cannot occur in entropy-coded data."""
    data = path.read_bytes()
    starts = [i for i in range(len(data) - 2) if data[i] == 0xFF and data[i + 1] == 0xD8 and data[i + 2] == 0xFF]
    for k, s in enumerate(starts):
        e = starts[k + 1] if k + 1 < len(starts) else len(data)
        yield f'{k}', data[s:e]


def synthetic_sources(tmp):
    """PPM/PGM sources: slide content (native OpenSlide) at odd sizes, and seeded noise."""
    import openslide
    from PIL import Image
    slide = openslide.OpenSlide(str(SHARED / 'real/aperio/CMU-1-Small-Region.svs'))
    out = []
    sizes = [(1, 1), (2, 2), (7, 5), (16, 16), (17, 9), (33, 31), (127, 65), (255, 129), (301, 177), (512, 512), (1000, 3)]
    for i, (w, h) in enumerate(sizes):
        im = slide.read_region((700 + 37 * i, 900 + 23 * i), 0, (w, h)).convert('RGB')
        p = tmp / f'slide-{w}x{h}.ppm'
        im.save(p)
        out.append(p)
    rnd = random.Random(20261203)
    for w, h in [(64, 48), (95, 33)]:
        im = Image.frombytes('RGB', (w, h), bytes(rnd.randrange(256) for _ in range(w * h * 3)))
        p = tmp / f'noise-{w}x{h}.ppm'
        im.save(p)
        out.append(p)
    return out


def damaged(jpeg, seed):
    """A copy with a few bytes of the entropy-coded data changed (markers left alone)."""
    rnd = random.Random(seed)
    b = bytearray(jpeg)
    sos = b.find(b'\xff\xda')
    if sos < 0:
        return None
    start = sos + 2 + struct.unpack('>H', b[sos + 2:sos + 4])[0]
    end = len(b) - 2
    if end - start < 16:
        return None
    for _ in range(3):
        p = rnd.randrange(start, end)
        if b[p] != 0xFF and b[p - 1] != 0xFF:
            v = rnd.randrange(255)
            b[p] = v if v != 0xFF else 0x7F
    return bytes(b)


def main():
    out = Path(sys.argv[1]).resolve()
    out.mkdir(parents=True, exist_ok=True)
    for f in out.glob('*'):
        if f.is_file():
            f.unlink()
    rows = []

    def add(name, data, space='auto'):
        p = out / (name.replace('/', '_').replace(' ', '_') + '.jpg')
        p.write_bytes(data)
        rows.append((p, space))

    tiffs = [SHARED / 'real/aperio/CMU-1-Small-Region.svs', SHARED / 'real/aperio/tcga-cr-7395-01a-01-ts1.svs',
             SHARED / 'real/aperio/small.svs', SHARED / 'real/hamamatsu-ndpi/test3-TRITC 2 (560).ndpi']
    for d in ['aperio-pyramid', 'aperio-missing-tiles', 'generic-tiff-jpeg', 'generic-tiff-jpeg-rgb', 'philips-tiff',
              'leica-scn', 'ventana-bif', 'trestle']:
        tiffs += sorted((SAMPLES / d).glob('*.*')) if (SAMPLES / d).is_dir() else []
    for t in tiffs:
        if not t.is_file() or t.read_bytes()[:2] not in (b'II', b'MM'):
            continue
        for name, data, space in tiff_jpegs(t):
            add(f'{t.parent.name}-{t.stem}-{name}', data, space)
    for d in ['hamamatsu-vms', 'hamamatsu-vmu']:
        for j in sorted((SAMPLES / d).glob('*.jpg')):
            add(f'{d}-{j.stem}', j.read_bytes())
    mirax = SAMPLES / 'mirax-jpeg' / 'slide'
    for dat in sorted(mirax.glob('Data*.dat')) if mirax.is_dir() else []:
        for name, data in list(split_jpegs(dat))[:TILES_PER_LEVEL]:
            add(f'mirax-{dat.stem}-{name}', data)

    tmp = out / '_src'
    tmp.mkdir(exist_ok=True)
    sources = synthetic_sources(tmp)
    samplings = ['1x1', '2x1', '2x2', '1x2']
    restarts = [None, '1', '2B']
    qualities = [50, 75, 90, 100]
    k = 0
    for src in sources:
        for s in samplings:
            for r in restarts:
                q = qualities[k % len(qualities)]
                k += 1
                args = ['/usr/bin/cjpeg', '-quality', str(q), '-sample', s]
                if r:
                    args += ['-restart', r]
                data = subprocess.run(args + [str(src)], check=True, capture_output=True).stdout
                add(f'cjpeg-{src.stem}-{s}-r{r or 0}-q{q}', data)
        for extra in (['-grayscale'], ['-progressive'], ['-optimize', '-sample', '2x2', '-quality', '98']):
            data = subprocess.run(['/usr/bin/cjpeg'] + extra + [str(src)], check=True, capture_output=True).stdout
            add(f'cjpeg-{src.stem}{"".join(extra).replace(" ", "")}', data)
    for f in tmp.glob('*'):
        f.unlink()
    tmp.rmdir()

    # damaged copies of every 7th file so far
    base = list(rows)
    for i, (p, space) in enumerate(base[::7]):
        d = damaged(p.read_bytes(), i)
        if d:
            add(f'damaged-{i}-{p.stem}', d, space)

    (out / 'list.tsv').write_text(''.join(f'{p}\t{s}\n' for p, s in rows))
    print(f'{len(rows)} JPEGs in {out}')


if __name__ == '__main__':
    main()
