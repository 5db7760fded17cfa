"""Shared helpers for Slidetile's sample-slide generators.

Run with Debian's /usr/bin/python3 (numpy, PIL).  Nothing here is copied
from OpenSlide; the file layouts follow OpenSlide's published format notes
and what the 3.4.1 drivers read.
"""

import io
import os
import shutil
import struct
import subprocess
import tempfile
import zlib

import numpy as np
from PIL import Image, ImageDraw, ImageFilter


# ---------------------------------------------------------------------------
# Tissue-like content


def _smooth_noise(rng, w, h, cell):
    """Low-frequency noise in [0, 1]: random grid upsampled bicubically."""
    gw = max(2, w // cell + 2)
    gh = max(2, h // cell + 2)
    grid = rng.random((gh, gw)).astype(np.float32)
    img = Image.fromarray((grid * 255).astype(np.uint8), "L")
    img = img.resize((w, h), Image.BICUBIC)
    return np.asarray(img).astype(np.float32) / 255.0


def tissue(w, h, seed=0, background=(243, 241, 246)):
    """Return an HxWx3 uint8 image: pink/purple tissue blobs on near-white.

    Irregular tissue regions (thresholded smooth noise), eosin-pink stroma
    with varying intensity, purple nuclei, fine texture noise, and a few
    thin dark features so resampling or tile-placement bugs are visible.
    """
    rng = np.random.default_rng(seed)
    big = _smooth_noise(rng, w, h, 160)
    mid = _smooth_noise(rng, w, h, 40)
    field = 0.7 * big + 0.3 * mid
    thr = np.quantile(field, 0.45)
    mask = np.clip((field - thr) * 12.0, 0.0, 1.0)  # soft edges

    shade = _smooth_noise(rng, w, h, 25)
    bg = np.array(background, np.float32)
    pink = np.array([232, 150, 190], np.float32)
    deep = np.array([200, 100, 165], np.float32)
    stroma = pink[None, None, :] * (1 - shade[..., None]) + deep[None, None, :] * shade[..., None]

    img = bg[None, None, :] * (1 - mask[..., None]) + stroma * mask[..., None]

    # nuclei: purple ellipses, mostly inside tissue
    nuc = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(nuc)
    n = int(w * h / 900)
    xs = rng.integers(0, w, n)
    ys = rng.integers(0, h, n)
    rs = rng.integers(2, 7, n)
    for x, y, r in zip(xs, ys, rs):
        if mask[y, x] > 0.3:
            draw.ellipse((x - r, y - int(r * 0.8), x + r, y + int(r * 0.8)),
                         fill=int(140 + rng.integers(0, 115)))
    # a few fibres / scratches (straight thin lines)
    for _ in range(max(2, (w + h) // 400)):
        x0, y0 = rng.integers(0, w), rng.integers(0, h)
        x1, y1 = x0 + rng.integers(-300, 300), y0 + rng.integers(-300, 300)
        draw.line((x0, y0, x1, y1), fill=120, width=1)
    nuc = nuc.filter(ImageFilter.GaussianBlur(0.7))
    na = np.asarray(nuc).astype(np.float32)[..., None] / 255.0
    purple = np.array([95, 55, 145], np.float32)
    img = img * (1 - na) + purple[None, None, :] * na

    img += rng.normal(0.0, 4.0, img.shape).astype(np.float32)
    return np.clip(img, 0, 255).astype(np.uint8)


def downsample(arr, factor):
    """Box-filter downsample (integer factor), floor of the size."""
    if factor == 1:
        return arr
    h, w = arr.shape[:2]
    h2, w2 = h // factor, w // factor
    a = arr[: h2 * factor, : w2 * factor].astype(np.float32)
    a = a.reshape(h2, factor, w2, factor, -1).mean(axis=(1, 3))
    return np.clip(a + 0.5, 0, 255).astype(np.uint8).reshape(h2, w2, *arr.shape[2:])


def resize(arr, w, h):
    mode = "RGB" if arr.ndim == 3 and arr.shape[2] == 3 else None
    return np.asarray(Image.fromarray(arr, mode).resize((w, h), Image.LANCZOS))


def label_image(w, h, text, seed=0):
    """A slide label: white card, dark text and a fake barcode."""
    img = Image.new("RGB", (w, h), (250, 250, 245))
    d = ImageDraw.Draw(img)
    rng = np.random.default_rng(seed)
    x = 10
    while x < w - 10:
        bw = int(rng.integers(1, 5))
        d.rectangle((x, h // 2, x + bw, h - 12), fill=(10, 10, 10))
        x += bw + int(rng.integers(1, 5))
    d.text((10, 10), text, fill=(20, 20, 60))
    d.rectangle((0, 0, w - 1, h - 1), outline=(120, 120, 120))
    return np.asarray(img)


def macro_image(w, h, seed=0):
    """A whole-glass overview: grey glass, label area, tissue in the middle."""
    glass = np.full((h, w, 3), (205, 208, 212), np.uint8)
    t = tissue(w * 2 // 3, h * 3 // 4, seed=seed + 99, background=(205, 208, 212))
    y0 = (h - t.shape[0]) // 2
    glass[y0:y0 + t.shape[0], w // 3 - 4: w // 3 - 4 + t.shape[1]] = t
    lab = label_image(w // 3 - 12, h - 12, "SLIDETILE", seed)
    glass[6:6 + lab.shape[0], 6:6 + lab.shape[1]] = lab
    return glass


# ---------------------------------------------------------------------------
# Encoders


def jpeg_bytes(arr, quality=90, subsampling=2, mode=None):
    """Baseline JFIF via PIL (libjpeg-turbo).  subsampling 2 = 4:2:0."""
    buf = io.BytesIO()
    img = Image.fromarray(arr, mode)
    kw = {"quality": quality}
    if img.mode == "RGB":
        kw["subsampling"] = subsampling
    img.save(buf, "JPEG", **kw)
    return buf.getvalue()


def png_bytes(arr):
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, "PNG")
    return buf.getvalue()


def bmp_bytes(arr):
    buf = io.BytesIO()
    Image.fromarray(arr, "RGB").save(buf, "BMP")
    return buf.getvalue()


def cjpeg_restart(arr, path, quality=90, restart_blocks=8, comment=None):
    """Write a JPEG with restart markers every `restart_blocks` MCUs
    (Hamamatsu VMS needs them), using libjpeg-turbo's cjpeg.

    4:2:2 chroma (MCU 16x8): with 4:2:0, libjpeg-turbo's h2v2 fancy
    upsampler wants the next MCU row as context, and OpenSlide 3.4.1's
    one-MCU-row tile decode then fails natively ("found marker 0xd9
    instead of RST0")."""
    with tempfile.TemporaryDirectory() as td:
        ppm = os.path.join(td, "in.ppm")
        Image.fromarray(arr, "RGB").save(ppm)
        out = os.path.join(td, "out.jpg")
        subprocess.run(["cjpeg", "-quality", str(quality), "-sample", "2x1",
                        "-restart", "%dB" % restart_blocks, "-outfile", out, ppm],
                       check=True)
        if comment:
            out2 = os.path.join(td, "out2.jpg")
            with open(out2, "wb") as f:
                subprocess.run(["wrjpgcom", "-comment", comment, out], check=True, stdout=f)
            out = out2
        shutil.copyfile(out, path)


# ---------------------------------------------------------------------------
# Minimal classic-TIFF writer (little endian)

BYTE, ASCII, SHORT, LONG, RATIONAL, UNDEFINED = 1, 2, 3, 4, 5, 7
_TYPE_SIZE = {BYTE: 1, ASCII: 1, SHORT: 2, LONG: 4, RATIONAL: 8, UNDEFINED: 1}

T_NEWSUBFILETYPE = 254
T_WIDTH, T_LENGTH, T_BPS, T_COMPRESSION, T_PHOTOMETRIC = 256, 257, 258, 259, 262
T_DESCRIPTION, T_STRIPOFFSETS, T_SPP, T_ROWSPERSTRIP, T_STRIPBYTECOUNTS = 270, 273, 277, 278, 279
T_XRES, T_YRES, T_PLANAR, T_RESUNIT, T_SOFTWARE = 282, 283, 284, 296, 305
T_DATETIME, T_PREDICTOR = 306, 317
T_TILEWIDTH, T_TILELENGTH, T_TILEOFFSETS, T_TILEBYTECOUNTS = 322, 323, 324, 325
T_EXTRASAMPLES, T_JPEGTABLES, T_YCBCRSUBSAMPLING, T_XMLPACKET = 338, 347, 530, 700

COMP_NONE, COMP_LZW, COMP_JPEG, COMP_ADOBE_DEFLATE = 1, 5, 7, 8
PHOTO_MINISBLACK, PHOTO_RGB, PHOTO_YCBCR = 1, 2, 6


class TiffWriter:
    """Write pages one by one: data chunks first, then the IFD.

    A page is a dict {tag: (type, value)} plus a list of chunks (tiles or
    strips, already encoded).  Offsets/byte counts are filled in here.
    """

    def __init__(self, path):
        self.f = open(path, "wb")
        self.f.write(b"II*\x00\x00\x00\x00\x00")
        self.prev_next_ptr = 4  # where to patch the next IFD offset

    def _align(self):
        if self.f.tell() % 2:
            self.f.write(b"\x00")

    def _pack(self, typ, value):
        if typ == ASCII:
            b = value.encode("utf-8") if isinstance(value, str) else bytes(value)
            return b + b"\x00", len(b) + 1
        if typ in (BYTE, UNDEFINED):
            b = bytes(value)
            return b, len(b)
        if typ == RATIONAL and isinstance(value, tuple):
            value = [value]
        vals = value if isinstance(value, (list, tuple)) else [value]
        if typ == SHORT:
            return struct.pack("<%dH" % len(vals), *vals), len(vals)
        if typ == LONG:
            return struct.pack("<%dI" % len(vals), *vals), len(vals)
        if typ == RATIONAL:
            out = b""
            for v in vals:
                num, den = v if isinstance(v, tuple) else (int(round(v * 10000)), 10000)
                out += struct.pack("<II", num, den)
            return out, len(vals)
        raise ValueError(typ)

    def add_page(self, tags, chunks, tiled):
        offsets = []
        counts = []
        for c in chunks:
            self._align()
            offsets.append(self.f.tell() if len(c) else 0)
            self.f.write(c)
            counts.append(len(c))
        tags = dict(tags)
        if tiled:
            tags[T_TILEOFFSETS] = (LONG, offsets)
            tags[T_TILEBYTECOUNTS] = (LONG, counts)
        else:
            tags[T_STRIPOFFSETS] = (LONG, offsets)
            tags[T_STRIPBYTECOUNTS] = (LONG, counts)
        # out-of-line values
        entries = []
        for tag in sorted(tags):
            typ, value = tags[tag]
            data, count = self._pack(typ, value)
            if len(data) > 4:
                self._align()
                pos = self.f.tell()
                self.f.write(data)
                entries.append((tag, typ, count, struct.pack("<I", pos)))
            else:
                entries.append((tag, typ, count, data.ljust(4, b"\x00")))
        self._align()
        ifd_pos = self.f.tell()
        self.f.write(struct.pack("<H", len(entries)))
        for tag, typ, count, val in entries:
            self.f.write(struct.pack("<HHI", tag, typ, count) + val)
        next_ptr = self.f.tell()
        self.f.write(b"\x00\x00\x00\x00")
        end = self.f.tell()
        self.f.seek(self.prev_next_ptr)
        self.f.write(struct.pack("<I", ifd_pos))
        self.f.seek(end)
        self.prev_next_ptr = next_ptr
        return offsets, counts

    def close(self):
        self.f.close()


def rgb_tags(w, h, compression, photometric=PHOTO_RGB, spp=3, extra=None):
    tags = {
        T_WIDTH: (LONG, w),
        T_LENGTH: (LONG, h),
        T_BPS: (SHORT, [8] * spp),
        T_COMPRESSION: (SHORT, compression),
        T_PHOTOMETRIC: (SHORT, photometric),
        T_SPP: (SHORT, spp),
        T_PLANAR: (SHORT, 1),
    }
    if photometric == PHOTO_YCBCR:
        tags[T_YCBCRSUBSAMPLING] = (SHORT, [2, 2])
    if extra:
        tags.update(extra)
    return tags


def split_tiles(arr, tw, th, fill=255):
    """Yield tiles row-major, padding edge tiles with `fill`."""
    h, w = arr.shape[:2]
    ch = arr.shape[2] if arr.ndim == 3 else 1
    for ty in range(0, h, th):
        for tx in range(0, w, tw):
            t = arr[ty:ty + th, tx:tx + tw]
            if t.shape[0] != th or t.shape[1] != tw:
                p = np.full((th, tw, ch) if arr.ndim == 3 else (th, tw), fill, arr.dtype)
                p[: t.shape[0], : t.shape[1]] = t
                t = p
            yield np.ascontiguousarray(t)


def encode_tiles(arr, tw, th, compression, quality=85):
    out = []
    for t in split_tiles(arr, tw, th):
        if compression == COMP_JPEG:
            out.append(jpeg_bytes(t, quality))
        elif compression == COMP_NONE:
            out.append(t.tobytes())
        elif compression == COMP_ADOBE_DEFLATE:
            out.append(zlib.compress(t.tobytes(), 6))
        else:
            raise ValueError(compression)
    return out


def write_tiled_page(tw_, arr, tile, compression, extra=None, photometric=None,
                     quality=85, subfile=None):
    h, w = arr.shape[:2]
    spp = arr.shape[2] if arr.ndim == 3 else 1
    if photometric is None:
        photometric = PHOTO_YCBCR if compression == COMP_JPEG else (
            PHOTO_RGB if spp >= 3 else PHOTO_MINISBLACK)
    ex = {T_TILEWIDTH: (LONG, tile), T_TILELENGTH: (LONG, tile)}
    if subfile is not None:
        ex[T_NEWSUBFILETYPE] = (LONG, subfile)
    if spp == 4:
        ex[T_EXTRASAMPLES] = (SHORT, 2)
    if extra:
        ex.update(extra)
    tags = rgb_tags(w, h, compression, photometric, spp, ex)
    tw_.add_page(tags, encode_tiles(arr, tile, tile, compression, quality), tiled=True)


def write_stripped_page(tw_, arr, compression, extra=None, subfile=None, quality=85):
    """One strip holding the whole image (JPEG, deflate or none)."""
    h, w = arr.shape[:2]
    if compression == COMP_JPEG:
        data = jpeg_bytes(arr, quality)
        photometric = PHOTO_YCBCR
    elif compression == COMP_ADOBE_DEFLATE:
        data = zlib.compress(arr.tobytes(), 6)
        photometric = PHOTO_RGB
    else:
        data = arr.tobytes()
        photometric = PHOTO_RGB
    ex = {T_ROWSPERSTRIP: (LONG, h)}
    if subfile is not None:
        ex[T_NEWSUBFILETYPE] = (LONG, subfile)
    if extra:
        ex.update(extra)
    tw_.add_page(rgb_tags(w, h, compression, photometric, 3, ex), [data], tiled=False)


def patch_tiff_short_tag(path, tag, new_value):
    """Rewrite a SHORT tag's value in place in every IFD of a classic TIFF."""
    with open(path, "r+b") as f:
        hdr = f.read(8)
        assert hdr[:4] == b"II*\x00", "classic little-endian TIFF expected"
        off = struct.unpack("<I", hdr[4:8])[0]
        while off:
            f.seek(off)
            n = struct.unpack("<H", f.read(2))[0]
            for i in range(n):
                pos = off + 2 + 12 * i
                f.seek(pos)
                t, typ, cnt = struct.unpack("<HHI", f.read(8))
                if t == tag and typ == SHORT and cnt == 1:
                    f.seek(pos + 8)
                    f.write(struct.pack("<H", new_value))
            f.seek(off + 2 + 12 * n)
            off = struct.unpack("<I", f.read(4))[0]


def make_cached(outdir, samples, gen, listname, label):
    """Writes each sample {id: (fn(folder) -> [files, main first], vendor, format)} into outdir/id,
    made again only when its marker names another generator hash; then the list (listname) of all."""
    import json, sys
    records = []
    for sid, (fn, vendor, fmt) in samples.items():
        d = os.path.join(outdir, sid)
        marker = os.path.join(d, ".ok")
        if os.path.exists(marker):
            with open(marker) as f:
                rec = json.load(f)
            if rec.get("generator") == gen:
                records.append(rec)
                continue
        tmp = d + ".tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(tmp)
        files = fn(tmp)
        os.rename(tmp, d)
        rec = {"id": sid, "path": sid + "/" + files[0], "files": [sid + "/" + f for f in files],
               "vendor": vendor, "format": fmt, "generator": gen}
        with open(marker, "w") as f:
            json.dump(rec, f)
        records.append(rec)
        print("%s: made %s" % (label, sid), file=sys.stderr)
    with open(os.path.join(outdir, listname), "w") as f:
        json.dump(records, f, indent=1)
