#!/usr/bin/python3
"""Writes seeded mutants of sample slides for src/engine/mutants.test.ts (issue 8, item 8).

Deterministic: the same seed and sources give the same bytes, so the native results cached beside
them (tools/mutants/native_mutants.py) stay valid until this script or a source changes.

  make_mutants.py OUT_DIR [--seed N]

Writes OUT_DIR/<source>/<nnn>-<kind>.<ext> and OUT_DIR/mutants.json: a list of
{"id", "path" (relative to OUT_DIR), "source", "kind", "mutation" (what was changed, exactly)}.
Only the standard library; the tests run it with /usr/bin/python3, like the oracle.
"""

import argparse
import hashlib
import json
import os
import random
import shutil
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "../.."))
SHARED = os.path.abspath(os.path.join(REPO, "../shared/slides/real"))
SAMPLES = os.path.join(REPO, ".cache/samples")

# (id, path, mutants). Small TIFF-based files mostly: each mutant is a full copy of its source, and a
# slide that opens is read a few times per mutant on both sides.
SOURCES = [
    ("boxes", os.path.join(SHARED, "generic-tiff/boxes.tiff"), 60),
    ("small-svs", os.path.join(SHARED, "aperio/small.svs"), 40),
    ("small-la", os.path.join(SHARED, "generic-tiff/small_la.tiff"), 16),
    ("cmu-small", os.path.join(SHARED, "aperio/CMU-1-Small-Region.svs"), 30),
    ("ndpi", os.path.join(SHARED, "hamamatsu-ndpi/test3-TRITC 2 (560).ndpi"), 24),
    ("tiff-jpeg", os.path.join(SAMPLES, "generic-tiff-jpeg/slide.tiff"), 20),
    ("tiff-webp", os.path.join(SAMPLES, "generic-tiff-webp/slide.tiff"), 12),
    ("tiff-g4", os.path.join(SAMPLES, "generic-tiff-g4/slide.tiff"), 12),
    ("aperio-pyramid", os.path.join(SAMPLES, "aperio-pyramid/slide.svs"), 20),
    ("philips", os.path.join(SAMPLES, "philips-tiff/slide.tiff"), 16),
    ("ventana", os.path.join(SAMPLES, "ventana-bif/slide.bif"), 16),
    ("leica", os.path.join(SAMPLES, "leica-scn/slide.scn"), 16),
    ("trestle", os.path.join(SAMPLES, "trestle/slide.tif"), 12),
]
# companions a driver opens beside the main file, by the main file's basename
COMPANIONS = {"trestle": [".Full"]}

TYPE_SIZE = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4,
             16: 8, 17: 8, 18: 8}


def parse_ifds(d):
    """Every IFD entry of a classic or BigTIFF file: list of dicts with the entry's byte offsets."""
    if d[:2] == b"II":
        bo = "<"
    elif d[:2] == b"MM":
        bo = ">"
    else:
        return bo_none()
    magic = struct.unpack_from(bo + "H", d, 2)[0]
    big = magic == 43
    entries, ifds, seen = [], [], set()
    off = struct.unpack_from(bo + ("Q" if big else "I"), d, 8 if big else 4)[0]
    while off and off not in seen and off + 8 < len(d) and len(ifds) < 64:
        seen.add(off)
        n = struct.unpack_from(bo + ("Q" if big else "H"), d, off)[0]
        base = off + (8 if big else 2)
        esz = 20 if big else 12
        if base + n * esz + (8 if big else 4) > len(d):
            break
        ifds.append({"offset": off, "count": n, "next_at": base + n * esz})
        for i in range(n):
            e = base + i * esz
            tag, typ = struct.unpack_from(bo + "HH", d, e)
            cnt = struct.unpack_from(bo + ("Q" if big else "I"), d, e + 4)[0]
            entries.append({"at": e, "tag": tag, "type": typ, "count": cnt,
                            "count_at": e + 4, "value_at": e + (12 if big else 8),
                            "ifd": len(ifds) - 1})
        off = struct.unpack_from(bo + ("Q" if big else "I"), d, base + n * esz)[0]
    return {"bo": bo, "big": big, "entries": entries, "ifds": ifds}


def bo_none():
    return {"bo": "<", "big": False, "entries": [], "ifds": []}


def word(t, v):
    """Packs an unsigned value as the file's count/offset word."""
    return struct.pack(t["bo"] + ("Q" if t["big"] else "I"), v & ((1 << (64 if t["big"] else 32)) - 1))


def mutate(rng, d, t):
    """One mutation of bytes `d` (a bytearray, changed in place, possibly truncated): (kind, text)."""
    n = len(d)
    ents = t["entries"]
    # structural mutations (IFD entries, header, IFD chain) most often: that is where libtiff and the
    # drivers decide to open or refuse; raw byte damage and truncations for the rest
    kinds = ["count", "type", "offset", "tag", "header", "next-ifd", "ifd-count",
             "flip", "flip-ifd", "zero", "truncate"]
    weights = [14, 8, 10, 5, 4, 4, 3, 10, 8, 8, 8]
    if not ents:
        kinds, weights = ["flip", "zero", "truncate"], [1, 1, 1]
    kind = rng.choices(kinds, weights)[0]
    if kind in ("count", "type", "offset", "tag"):
        e = rng.choice(ents)
        where = "IFD %d tag %d (type %d, count %d) at byte %d" % (e["ifd"], e["tag"], e["type"], e["count"], e["at"])
        if kind == "count":
            v = rng.choice([0, 2, 3, e["count"] + 1, max(0, e["count"] - 1), e["count"] * 2 + 1,
                            0xFFFF, 0x10000, 0x7FFFFFFF, 0xFFFFFFFF, rng.randrange(1 << 32)])
            d[e["count_at"]:e["count_at"] + (8 if t["big"] else 4)] = word(t, v)
            return kind, "%s: count := %d" % (where, v)
        if kind == "type":
            v = rng.choice([0, 1, 2, 3, 4, 5, 7, 11, 12, 13, 16, 17, 19, 255])
            d[e["at"] + 2:e["at"] + 4] = struct.pack(t["bo"] + "H", v)
            return kind, "%s: type := %d" % (where, v)
        if kind == "offset":
            v = rng.choice([n, n + 1, n + 4096, n * 2, 0xFFFFFFF0, 0, 1, rng.randrange(n),
                            max(0, n - rng.randrange(1, 16))])
            d[e["value_at"]:e["value_at"] + (8 if t["big"] else 4)] = word(t, v)
            return kind, "%s: value/offset := %d (file is %d bytes)" % (where, v, n)
        v = rng.choice([0, 1, 254, 256, 257, 258, 259, 262, 273, 277, 279, 284, 322, 323, 324, 325,
                        347, 530, 65535, rng.randrange(65536)])
        d[e["at"]:e["at"] + 2] = struct.pack(t["bo"] + "H", v)
        return kind, "%s: tag := %d" % (where, v)
    if kind == "header":
        i = rng.randrange(min(16 if t["big"] else 8, n))
        old = d[i]
        d[i] ^= 1 << rng.randrange(8)
        return kind, "header byte %d: %d -> %d" % (i, old, d[i])
    if kind == "next-ifd":
        ifd = rng.choice(t["ifds"])
        choices = [0, ifd["offset"], t["ifds"][0]["offset"], n, n + 100, 0xFFFFFFFF, rng.randrange(n)]
        v = rng.choice(choices)
        d[ifd["next_at"]:ifd["next_at"] + (8 if t["big"] else 4)] = word(t, v)
        return kind, "next-IFD pointer of the IFD at %d := %d" % (ifd["offset"], v)
    if kind == "ifd-count":
        ifd = rng.choice(t["ifds"])
        v = rng.choice([0, 1, ifd["count"] - 1, ifd["count"] + 1, 0xFFFF])
        if t["big"]:
            d[ifd["offset"]:ifd["offset"] + 8] = struct.pack(t["bo"] + "Q", v)
        else:
            d[ifd["offset"]:ifd["offset"] + 2] = struct.pack(t["bo"] + "H", v & 0xFFFF)
        return kind, "entry count of the IFD at %d: %d -> %d" % (ifd["offset"], ifd["count"], v)
    if kind in ("flip", "flip-ifd"):
        if kind == "flip-ifd" and ents:
            lo = min(e["at"] for e in ents)
            hi = max(e["at"] for e in ents) + 12
        else:
            lo, hi = 0, n
        k = rng.choice([1, 1, 2, 4, 8])
        pos = sorted(rng.randrange(lo, hi) for _ in range(k))
        for p in pos:
            d[p] ^= 1 << rng.randrange(8)
        return kind, "flipped one bit at bytes %s" % pos
    if kind == "zero":
        length = rng.choice([4, 16, 64, 512, 4096, max(1, n // 10)])
        start = rng.randrange(max(1, n - length))
        d[start:start + length] = bytes(min(length, n - start))
        return kind, "zeroed bytes %d..%d" % (start, start + length - 1)
    # truncate: inside the header, just after an IFD, or anywhere
    points = [rng.randrange(1, 9), rng.randrange(n // 2, n), rng.randrange(n)]
    if t["ifds"]:
        ifd = rng.choice(t["ifds"])
        points.append(ifd["offset"] + rng.randrange(1, 40))
    cut = min(max(1, rng.choice(points)), n - 1)
    del d[cut:]
    return kind, "truncated to %d of %d bytes" % (cut, n)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=20261202)
    args = ap.parse_args(argv)
    out = os.path.abspath(args.out)
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)
    listing = []
    for sid, src, count in SOURCES:
        if not os.path.exists(src):
            sys.exit("missing source slide %s (run tools/samples/make-all.sh)" % src)
        data = open(src, "rb").read()
        # one generator per source: adding a source does not change the others' mutants
        rng = random.Random("%d/%s" % (args.seed, sid))
        t = parse_ifds(data)
        ext = os.path.splitext(src)[1]
        os.makedirs(os.path.join(out, sid))
        for i in range(count):
            d = bytearray(data)
            kind, text = mutate(rng, d, t)
            name = "%03d-%s%s" % (i, kind, ext)
            rel = os.path.join(sid, name)
            with open(os.path.join(out, rel), "wb") as f:
                f.write(d)
            for cext in COMPANIONS.get(sid, []):
                shutil.copyfile(os.path.splitext(src)[0] + cext, os.path.join(out, sid, "%03d-%s%s" % (i, kind, cext)))
            listing.append({"id": "%s/%03d-%s" % (sid, i, kind), "path": rel, "source": os.path.relpath(src, REPO),
                            "kind": kind, "mutation": text, "sha256": hashlib.sha256(d).hexdigest()})
    with open(os.path.join(out, "mutants.json"), "w") as f:
        json.dump(listing, f, indent=1)
    print("%d mutants of %d sources in %s" % (len(listing), len(SOURCES), out))


if __name__ == "__main__":
    main()
