#!/usr/bin/python3
"""Crafted Ventana BIF files for the OpenSlide 4.0.1 security fix
(CVE-2026-48977: a memory write with crafted Ventana BIF files).

Usage: /usr/bin/python3 gen_bif_crafted.py OUTDIR [CASE ...]

Each case is the ventana-bif sample (gen_tiff.make_ventana) with the level-0
XMLPacket (EncodeInfo) changed in one place. OpenSlide 3.4.1 multiplies an
area's NumCols by NumRows in 64 bits without checking for overflow, sizes the
area's tile table by the (wrapped) product, and then indexes that table with
row * NumCols + col for each TileJointInfo: with the product wrapped to a
small number, a valid tile number (1..product) lands far outside the table
and the joint's overlap values are written through whatever pointer is found
there (native 3.4.1: SIGSEGV). Native 4.0.1 (Debian's 4.0.1+dfsg-2) has no
check either: it writes one entry past its own table and then loops over the
2^62 columns. Huge or negative counts make both abort in g_malloc; tiles
outside the TIFF level make both read the byte-count table out of bounds; a
negative AOI origin makes both segfault on some reads. The engine's answers
(patch openslide-12) are listed in src/engine/parity41.test.ts.

Writes OUTDIR/<case>/slide.bif and OUTDIR/crafted-bif.json:
[{"id", "path" (relative to OUTDIR), "what"}].
"""

import json
import os
import re
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import common  # noqa: E402
import gen_tiff  # noqa: E402


def _area0(xml, cols, rows, joints=None):
    """Set the first ImageInfo's NumCols/NumRows (and optionally its joints)."""
    def fix(m):
        tag = m.group(0)
        tag = re.sub(r'NumRows="\d+"', 'NumRows="%s"' % rows, tag)
        tag = re.sub(r'NumCols="\d+"', 'NumCols="%s"' % cols, tag)
        return tag
    out = re.sub(r"<ImageInfo [^>]*>", fix, xml, count=1)
    if joints is not None:
        out = re.sub(r"(<ImageInfo [^>]*>)(.*?)(</ImageInfo>)",
                     lambda m: m.group(1) + joints + m.group(3), out, count=1, flags=re.S)
    return out


def _joint(direction, t1, t2, ox, oy):
    return ('<TileJointInfo FlagJoined="1" Direction="%s" Tile1="%s" Tile2="%s" '
            'OverlapX="%d" OverlapY="%d" Confidence="95"/>' % (direction, t1, t2, ox, oy))


# NumCols * NumRows wraps to 4 (2^64 + 4): four tile structs are allocated,
# tile numbers 1..4 pass the range check, and joint 1->2 (RIGHT) writes the
# left joint of table entry 3 * (2^62 + 1) + 1.
WRAP_COLS = 2 ** 62 + 1
CASES = {
    "bif-tilecount-wraps": (
        "NumCols x NumRows overflows 64 bits to 4; a RIGHT joint between tiles 1 and 2 "
        "indexes the 4-entry tile table at 3*(2^62+1)+1",
        lambda xml: _area0(xml, WRAP_COLS, 4, _joint("RIGHT", 1, 2, 20, 0))),
    "bif-tilecount-wraps-up": (
        "the same overflow; an UP joint between tiles 1 and 3 (row 3 to row 2)",
        lambda xml: _area0(xml, 2 ** 62 + 2, 4, _joint("UP", 1, 3, 0, 14))),
    "bif-tilecount-negative": (
        "NumCols x NumRows overflows to a negative count",
        lambda xml: _area0(xml, 2 ** 32 + 1, 2 ** 32 - 1, "")),
    "bif-area-beyond-level": (
        "area 0 has 7 rows where the TIFF level has 4: its lower tiles have no tile number "
        "(3.4.1 reads the byte-count table past its end)",
        lambda xml: _area0(xml, 3, 7)),
    "bif-origin-negative": (
        "area 0 starts one tile left of the level (OriginX=-256): its first column is negative",
        lambda xml: re.sub(r'(<AOI0 [^>]*OriginX=")[^"]*"', r'\g<1>-256"', xml)),
    "bif-tilecount-huge": (
        "a 100000 x 100000 tile area (no overflow, 10^10 tiles): 3.4.1 tries to allocate its table",
        lambda xml: _area0(xml, 100000, 100000, "")),
}


def make_case(out_dir, transform):
    orig_add = common.TiffWriter.add_page

    def add_page(self, tags, chunks, tiled):
        tags = dict(tags)
        if common.T_XMLPACKET in tags:
            typ, value = tags[common.T_XMLPACKET]
            text = bytes(value).decode("utf-8")
            if "<EncodeInfo" in text:
                tags[common.T_XMLPACKET] = (typ, transform(text).encode("utf-8"))
        return orig_add(self, tags, chunks, tiled)

    common.TiffWriter.add_page = add_page
    try:
        return gen_tiff.make_ventana(out_dir)
    finally:
        common.TiffWriter.add_page = orig_add


def generator_hash():
    import hashlib
    h = hashlib.sha256()
    for name in ("gen_bif_crafted.py", "common.py", "gen_tiff.py"):
        with open(os.path.join(HERE, name), "rb") as f:
            h.update(f.read())
    return h.hexdigest()[:16]


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    outdir = argv[1]
    wanted = argv[2:] or list(CASES)
    # cached: made again only when a generator changes (tests may be reading the files)
    stamp = os.path.join(outdir, "generator.hash")
    if not argv[2:] and os.path.exists(stamp) and open(stamp).read() == generator_hash():
        return 0
    records = []
    for cid in wanted:
        what, transform = CASES[cid]
        d = os.path.join(outdir, cid)
        tmp = d + ".tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        os.makedirs(tmp)
        files = make_case(tmp, transform)
        shutil.rmtree(d, ignore_errors=True)
        os.rename(tmp, d)
        records.append({"id": cid, "path": cid + "/" + files[0], "what": what})
    with open(os.path.join(outdir, "crafted-bif.json"), "w") as f:
        json.dump(records, f, indent=1)
    if not argv[2:]:
        with open(stamp, "w") as f:
            f.write(generator_hash())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
