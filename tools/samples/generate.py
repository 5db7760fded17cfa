#!/usr/bin/python3
"""Generate Slidetile's small sample slides and check each with native
OpenSlide 3.4.1.  Usage: /usr/bin/python3 generate.py OUTDIR [ID ...]

Idempotent: a sample whose directory holds a `.ok` marker written by the
same generator sources (hash recorded in it) is skipped; others are rebuilt.
Writes OUTDIR/samples.json listing every sample that opened natively with
the expected vendor.  Exit status 1 if any requested sample failed.
"""

import json
import os
import shutil
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import openslide  # noqa: E402

import gen_hamamatsu  # noqa: E402
import gen_mirax  # noqa: E402
import gen_sakura  # noqa: E402
import gen_tiff  # noqa: E402

# id -> (builder(out_dir) -> [files relative to out_dir, main first], vendor, format)
SAMPLES = {}


def _add(sid, fn, vendor, fmt):
    SAMPLES[sid] = (fn, vendor, fmt)


for _name, (_c, _p, _label) in gen_tiff.GENERIC_COMPRESSIONS.items():
    _add("generic-tiff-" + _name, (lambda d, n=_name: gen_tiff.make_generic(d, n)),
         "generic-tiff", "Generic tiled TIFF (%s)" % _label)
_add("generic-tiff-rgba-deflate", gen_tiff.make_generic_rgba, "generic-tiff",
     "Generic tiled TIFF (RGBA, unassociated alpha, deflate)")
_add("generic-tiff-g4", lambda d: gen_tiff.make_generic_bilevel(d, "g4"), "generic-tiff",
     "Generic tiled TIFF (bilevel, CCITT G4)")
_add("aperio-pyramid", gen_tiff.make_aperio, "aperio",
     "Aperio SVS (JPEG, 4 levels, fractional downsamples, label/macro/thumbnail)")
_add("aperio-missing-tiles", lambda d: gen_tiff.make_aperio(d, missing_tiles=True), "aperio",
     "Aperio SVS (JPEG, zero-length level-0 tiles)")
_add("mirax-jpeg", lambda d: gen_mirax.make_mirax(d, "JPEG"), "mirax", "MIRAX (JPEG)")
_add("mirax-png", lambda d: gen_mirax.make_mirax(d, "PNG"), "mirax", "MIRAX (PNG)")
_add("mirax-bmp", lambda d: gen_mirax.make_mirax(d, "BMP24"), "mirax", "MIRAX (BMP)")
_add("hamamatsu-vms", gen_hamamatsu.make_vms, "hamamatsu", "Hamamatsu VMS")
_add("hamamatsu-vmu", gen_hamamatsu.make_vmu, "hamamatsu", "Hamamatsu VMU")
_add("leica-scn", gen_tiff.make_leica, "leica", "Leica SCN")
_add("philips-tiff", gen_tiff.make_philips, "philips", "Philips TIFF")
_add("ventana-bif", gen_tiff.make_ventana, "ventana", "Ventana BIF")
_add("trestle", gen_tiff.make_trestle, "trestle", "Trestle TIFF")
_add("sakura-svslide", gen_sakura.make_sakura, "sakura", "Sakura SVSlide")


def generator_hash():
    """Hash of the generator sources: a cached sample built by other code is rebuilt."""
    import hashlib
    h = hashlib.sha256()
    for name in ("common.py", "gen_tiff.py", "gen_mirax.py", "gen_hamamatsu.py", "gen_sakura.py"):
        with open(os.path.join(HERE, name), "rb") as f:
            h.update(f.read())
    return h.hexdigest()[:16]


GEN_HASH = generator_hash()


def check(path, vendor):
    """Open natively, check the vendor, read a region from every level."""
    det = openslide.OpenSlide.detect_format(path)
    if det != vendor:
        raise RuntimeError("detect_format says %r, expected %r" % (det, vendor))
    s = openslide.OpenSlide(path)
    try:
        for lvl in range(s.level_count):
            w, h = s.level_dimensions[lvl]
            ds = s.level_downsamples[lvl]
            s.read_region((int(w * ds / 3), int(h * ds / 3)), lvl, (min(300, w), min(300, h)))
        for name in s.associated_images:
            s.associated_images[name]
        return {"levels": s.level_count, "dimensions": list(s.dimensions),
                "associated": sorted(s.associated_images)}
    finally:
        s.close()


def build(outdir, sid):
    fn, vendor, fmt = SAMPLES[sid]
    sdir = os.path.join(outdir, sid)
    marker = os.path.join(sdir, ".ok")
    if os.path.exists(marker):
        with open(marker) as f:
            rec = json.load(f)
        if rec.get("generator") == GEN_HASH:
            return rec, False
    tmp = sdir + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.rmtree(sdir, ignore_errors=True)
    os.makedirs(tmp)
    files = fn(tmp)
    os.rename(tmp, sdir)
    rel = [sid + "/" + f for f in files]
    info = check(os.path.join(outdir, rel[0]), vendor)
    rec = {"id": sid, "path": rel[0], "files": rel, "vendor": vendor, "format": fmt,
           "size_bytes": sum(os.path.getsize(os.path.join(outdir, f)) for f in rel)}
    rec.update(info)
    rec["generator"] = GEN_HASH
    with open(marker, "w") as f:
        json.dump(rec, f)
    return rec, True


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    outdir = argv[1]
    wanted = argv[2:] or list(SAMPLES)
    os.makedirs(outdir, exist_ok=True)
    records = []
    failed = []
    t_all = time.time()
    for sid in wanted:
        if sid not in SAMPLES:
            print("unknown sample %s" % sid, file=sys.stderr)
            failed.append(sid)
            continue
        t0 = time.time()
        try:
            rec, made = build(outdir, sid)
            records.append(rec)
            print("%-28s %-13s %s %8d bytes  %.1fs" % (
                sid, rec["vendor"], "made   " if made else "cached ", rec["size_bytes"],
                time.time() - t0), file=sys.stderr)
        except Exception as exc:  # noqa: BLE001
            failed.append(sid)
            print("%-28s FAILED: %s" % (sid, exc), file=sys.stderr)
            traceback.print_exc()
    # samples.json lists every built sample present in OUTDIR, in registry order
    all_recs = []
    for sid in SAMPLES:
        marker = os.path.join(outdir, sid, ".ok")
        if os.path.exists(marker):
            with open(marker) as f:
                rec = json.load(f)
            if rec.get("generator") == GEN_HASH:
                all_recs.append(rec)
    with open(os.path.join(outdir, "samples.json"), "w") as f:
        json.dump(all_recs, f, indent=1)
    print("%d samples ok, %d failed, %.1fs; wrote %s" % (
        len(records), len(failed), time.time() - t_all,
        os.path.join(outdir, "samples.json")), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
