#!/usr/bin/python3
"""Native OpenSlide's outcome on every mutant written by tools/mutants/make_mutants.py.

Run with Debian's interpreter (python3-openslide, OpenSlide 3.4.1):

  mutants_oracle.py MUTANTS_DIR OUT.json [--timeout S]

For each mutant in MUTANTS_DIR/mutants.json: openslide.OpenSlide(path) and, when it opens, the vendor,
levels, properties, associated images and the fixed reads of `requests()` (sha256 of the straight
RGBA bytes, or the error); when it does not, the exception class and message. Each file is bounded by
--timeout seconds (SIGALRM's default action kills the worker; the file is recorded as a hang) and a
native crash is recorded with its signal. Everything runs twice, in two processes: a read whose bytes differ
between the runs is marked "nondeterministic", and a file whose other results differ too (both kept);
the second run goes in reverse order. A third run with libjpeg-turbo's SIMD off (JSIMD_FORCENONE=1)
adds "scalar_jpeg" to each read whose result it changes.

OUT.json: {"key": <hash of this script and mutants.json>, "results": {id: result}}.
The same requests are made by src/engine/mutants.test.ts, which reads them from "reads".
"""

import argparse
import hashlib
import json
import os
import signal
import subprocess
import sys

HERE = os.path.abspath(__file__)

# the reads made on a mutant that opens: each is (kind, level, x0, y0, w, h) or ("associated", name)
WHOLE_LEVEL_MAX = 1 << 20
ASSOCIATED_MAX = 4 << 20


def requests(levels, associated):
    """The fixed reads, from the levels [(w, h, downsample)] and associated images {name: (w, h)}."""
    out = []
    W, H = levels[0][0], levels[0][1]
    out.append(["region", 0, 0, 0, max(1, min(256, W)), max(1, min(256, H))])
    out.append(["region", 0, max(0, W // 2 - 128), max(0, H // 2 - 128), 256, 256])
    last = len(levels) - 1
    lw, lh = levels[last][0], levels[last][1]
    if 0 < lw * lh <= WHOLE_LEVEL_MAX:
        out.append(["region", last, 0, 0, lw, lh])
    else:
        out.append(["region", last, 0, 0, 512, 512])
    if len(levels) > 2:
        out.append(["region", len(levels) // 2, 0, 0, 256, 256])
    for name in sorted(associated):
        w, h = associated[name]
        if 0 < w * h <= ASSOCIATED_MAX:
            out.append(["associated", name])
    return out


def err_type(exc):
    import openslide
    if isinstance(exc, openslide.OpenSlideUnsupportedFormatError):
        return "OpenSlideUnsupportedFormatError"
    if isinstance(exc, openslide.OpenSlideError):
        return "OpenSlideError"
    return type(exc).__name__


def one(path):
    import numpy as np
    import openslide
    try:
        vendor = openslide.OpenSlide.detect_format(path)
    except Exception as exc:  # noqa: BLE001 - reported, not hidden
        vendor = "detect failed: %s" % exc
    try:
        slide = openslide.OpenSlide(path)
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "vendor": vendor, "error_type": err_type(exc), "message": str(exc)}
    try:
        levels = [[int(w), int(h), float(ds)] for (w, h), ds in zip(slide.level_dimensions, slide.level_downsamples)]
        props = dict(slide.properties)
        assoc = {}
        # names and sizes only: slide.associated_images would read every image
        for name in openslide.lowlevel.get_associated_image_names(slide._osr):
            assoc[name] = list(openslide.lowlevel.get_associated_image_dimensions(slide._osr, name))
    except Exception as exc:  # noqa: BLE001
        slide.close()
        return {"ok": False, "vendor": vendor, "error_type": err_type(exc), "message": str(exc), "stage": "info"}
    reads = []
    for req in requests(levels, assoc):
        r = {"req": req}
        try:
            if req[0] == "region":
                img = slide.read_region((req[2], req[3]), req[1], (req[4], req[5]))
            else:
                img = openslide.lowlevel.read_associated_image(slide._osr, req[1])
            r["sha256"] = hashlib.sha256(np.asarray(img).tobytes()).hexdigest()
        except Exception as exc:  # noqa: BLE001
            r["error_type"] = err_type(exc)
            r["error"] = str(exc)
            # OpenSlide's error state is sticky: later reads go through a fresh handle
            slide.close()
            try:
                slide = openslide.OpenSlide(path)
            except Exception as exc2:  # noqa: BLE001
                reads.append(r)
                reads.append({"reopen_error": str(exc2)})
                return {"ok": True, "vendor": vendor, "levels": levels, "properties": props,
                        "associated": assoc, "reads": reads}
        reads.append(r)
    slide.close()
    return {"ok": True, "vendor": vendor, "levels": levels, "properties": props, "associated": assoc,
            "reads": reads}


def child(timeout, paths):
    for p in paths:
        print(json.dumps({"begin": p}), flush=True)
        signal.alarm(timeout)  # default action: the process dies, the parent records a hang
        res = one(p)
        signal.alarm(0)
        print(json.dumps({"path": p, "result": res}), flush=True)


def run_pass(paths, timeout, env=None):
    """Runs `one` on every path, in order, in worker processes; a worker that dies is replaced after
    its file. `env` is added to the workers' environment."""
    results = {}
    todo = list(paths)
    while todo:
        proc = subprocess.run([sys.executable, HERE, "--child", str(timeout), *todo],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                              env=dict(os.environ, **(env or {})))
        current = None
        for line in proc.stdout.splitlines():
            msg = json.loads(line)
            if "begin" in msg:
                current = msg["begin"]
            else:
                results[msg["path"]] = msg["result"]
                current = None
        if current is not None:
            sig = -proc.returncode if proc.returncode < 0 else None
            results[current] = {"native_died": True, "signal": sig,
                                "reason": "timeout after %d s" % timeout if sig == signal.SIGALRM
                                else "native crashed (signal %s, exit %s)" % (sig, proc.returncode)}
        todo = [p for p in paths if p not in results]
        if proc.returncode == 0 and current is None and todo:
            raise SystemExit("worker ended without results for %d files" % len(todo))
    return results


def merge(a, b):
    """One result from two runs. Reads whose bytes differ between the runs are marked
    "nondeterministic" (e.g. libtiff's "raster width adapted" path on levels narrower than a tile
    reads memory it did not fill); any other difference marks the whole file."""
    if a == b:
        return a
    if a.get("ok") and b.get("ok") and {k: v for k, v in a.items() if k != "reads"} == \
            {k: v for k, v in b.items() if k != "reads"} and len(a["reads"]) == len(b["reads"]):
        reads = []
        for x, y in zip(a["reads"], b["reads"]):
            if x == y:
                reads.append(x)
            elif x.get("req") == y.get("req") and x.get("req") is not None:
                reads.append({"req": x["req"], "nondeterministic": [x, y]})
            else:
                return {"nondeterministic": True, "runs": [a, b]}
        return dict(a, reads=reads)
    return {"nondeterministic": True, "runs": [a, b]}


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        child(int(argv[1]), argv[2:])
        return 0
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mutants_dir")
    ap.add_argument("out")
    ap.add_argument("--timeout", type=int, default=30)
    args = ap.parse_args(argv)
    listing_path = os.path.join(args.mutants_dir, "mutants.json")
    listing = json.load(open(listing_path))
    key = hashlib.sha256(open(HERE, "rb").read() + open(listing_path, "rb").read()).hexdigest()
    paths = [os.path.abspath(os.path.join(args.mutants_dir, m["path"])) for m in listing]
    first = run_pass(paths, args.timeout)
    # the second run in reverse order: what a read leaves in the heap can change what a later read of
    # another file returns (libtiff's "raster width adapted" path reads memory it did not fill)
    second = run_pass(paths[::-1], args.timeout)
    # libjpeg-turbo's x86 SIMD decodes corrupt JPEG data (out-of-range coefficients) differently from
    # its C code, which is what the wasm engine is built with: a third run with the SIMD turned off
    # (libjpeg-turbo's own switch) says which reads only that explains
    scalar = run_pass(paths, args.timeout, {"JSIMD_FORCENONE": "1"})
    results = {}
    for m, p in zip(listing, paths):
        r = merge(first[p], second[p])
        c = scalar[p]
        if r.get("ok") and c.get("ok") and len(c["reads"]) == len(r["reads"]):
            for x, y in zip(r["reads"], c["reads"]):
                if "nondeterministic" not in x and x.get("req") == y.get("req") and \
                        (x.get("sha256"), x.get("error")) != (y.get("sha256"), y.get("error")):
                    x["scalar_jpeg"] = {k: y[k] for k in ("sha256", "error", "error_type") if k in y}
        results[m["id"]] = r
    with open(args.out, "w") as f:
        json.dump({"key": key, "results": results}, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
