#!/usr/bin/python3
"""Native OpenSlide oracle for Slidetile's parity tests.

Run with Debian 12's interpreter, /usr/bin/python3 (python3-openslide 1.2.0
over OpenSlide 3.4.1, numpy, PIL), or with the Debian sid root's (OpenSlide
4.0.1 under python3-openslide 1.4.6: tools/oracle/sid-root.sh,
src/engine/testing/oracle41.ts). The same script serves both.

Subcommands (all print one JSON document on stdout, exit 0 unless the CLI
itself is misused or the slide cannot be opened for `info`/`regions`):

  oracle.py info SLIDE
      {"path", "vendor" (detect_format), "level_count", "level_dimensions",
       "level_downsamples" (full-precision floats), "properties" (all),
       "associated_images": {name: [w, h]},
       "library_version" (OpenSlide's), "icc_profile": {"size", "sha256"} or
       null (always null before OpenSlide 4.0, which cannot read profiles),
       "associated_icc_profiles": {name: {"size", "sha256"}} for the
       associated images that carry one (4.0+)}

  oracle.py regions SLIDE REQUESTS.json [--raw-dir DIR] [--no-repro]
      REQUESTS.json ("-" = stdin) is a list (or {"requests": [...]}) of
        {"kind": "region", "x": X0, "y": Y0, "level": L, "w": W, "h": H}
            openslide-python read_region((X0, Y0), L, (W, H)); X0, Y0 are
            level-0 coordinates; result = straight RGBA bytes.
        {"kind": "tile", "x": X, "y": Y, "level": L, "w": W, "h": H,
         "background": 255}
            ratiopath read_tile semantics: X, Y are in level L's pixels,
            level-0 location = (int(X * ds), int(Y * ds)) with
            ds = level_downsamples[L]; the RGBA region is alpha_composite'd by
            PIL onto an opaque (bg, bg, bg) image and converted to RGB.
            Result = RGB bytes.
        {"kind": "associated", "name": N}
            RGBA bytes of associated image N.
      Output: {"path", "vendor", "results": [...]}, one result per request,
      in order: {"index", "kind", "sha256", "width", "height", "channels",
      "nbytes", "reproducible"} (+ "level0": [x0, y0] and "alpha_all_opaque"
      for tiles, "alpha_all_opaque" for regions) or {"index", "kind",
      "error": "<OpenSlideError message>", "error_type", "reproducible"}.
      "reproducible" says whether a second read through a *fresh* OpenSlide
      handle gives the same bytes (or the same error).  With --no-repro it
      is null.  After a failed read the main handle is reopened (OpenSlide's
      error state is sticky).
      --raw-dir DIR writes DIR/<index>.bin (the result bytes) and, for
      tiles, DIR/<index>.alpha.bin (the alpha plane of the RGBA region the
      tile was composited from) so a test can compute max abs differences.

  oracle.py open SLIDE
      {"ok": true, "vendor", "read": {"ok": bool, "error"?}} or
      {"ok": false, "error_type": "OpenSlideUnsupportedFormatError" |
       "OpenSlideError", "message", "detected": detect_format or null}.
      "read" reports a level-0 centre read (256x256) and a whole-last-level
      read (if it is at most 16 Mpixel), like MANIFEST.tsv's checks.
"""

import argparse
import hashlib
import json
import os
import sys

import numpy as np
import openslide
from PIL import Image


def _err_type(exc):
    if isinstance(exc, openslide.OpenSlideUnsupportedFormatError):
        return "OpenSlideUnsupportedFormatError"
    if isinstance(exc, openslide.OpenSlideError):
        return "OpenSlideError"
    return type(exc).__name__


def _detect(path):
    try:
        return openslide.OpenSlide.detect_format(path)
    except Exception:  # noqa: BLE001 - detection is best effort
        return None


def _icc(profile_bytes):
    if not profile_bytes:
        return None
    return {"size": len(profile_bytes),
            "sha256": hashlib.sha256(profile_bytes).hexdigest()}


def _slide_icc(slide):
    # openslide-python 1.4 / OpenSlide 4.0 only; the raw bytes, not the
    # ImageCms wrapper (its tobytes() re-serialises the profile)
    osr = getattr(slide, "_osr", None)
    lowlevel = getattr(openslide, "lowlevel", None)
    if osr is None or not hasattr(lowlevel, "read_icc_profile"):
        return None
    try:
        return _icc(lowlevel.read_icc_profile(osr))
    except Exception:  # noqa: BLE001 - e.g. an unreadable profile
        return None


def cmd_info(path):
    slide = openslide.OpenSlide(path)
    try:
        out = {
            "path": path,
            "vendor": _detect(path),
            "level_count": slide.level_count,
            "level_dimensions": [list(d) for d in slide.level_dimensions],
            "level_downsamples": [float(d) for d in slide.level_downsamples],
            "properties": dict(slide.properties),
            "associated_images": {
                name: list(img.size)
                for name, img in slide.associated_images.items()
            },
            "library_version": getattr(openslide, "__library_version__", None),
            "icc_profile": _slide_icc(slide),
            "associated_icc_profiles": {
                name: _icc(img.info.get("icc_profile"))
                for name, img in slide.associated_images.items()
                if img.info.get("icc_profile")
            },
        }
    finally:
        slide.close()
    return out


def _read_bytes(slide, req):
    """Return (bytes, width, height, channels, extra) for one request."""
    kind = req.get("kind", "region")
    if kind == "region":
        img = slide.read_region((int(req["x"]), int(req["y"])), int(req["level"]),
                                (int(req["w"]), int(req["h"])))
        arr = np.asarray(img)
        extra = {"alpha_all_opaque": bool((arr[..., 3] == 255).all())}
        return arr.tobytes(), img.size[0], img.size[1], 4, extra, None
    if kind == "tile":
        level = int(req["level"])
        ds = slide.level_downsamples[level]
        x0 = int(req["x"] * ds)
        y0 = int(req["y"] * ds)
        bg = int(req.get("background", 255))
        rgba = slide.read_region((x0, y0), level, (int(req["w"]), int(req["h"])))
        alpha = np.asarray(rgba)[..., 3]
        rgb = Image.alpha_composite(
            Image.new("RGBA", rgba.size, (bg, bg, bg)), rgba
        ).convert("RGB")
        arr = np.asarray(rgb)
        extra = {"level0": [x0, y0],
                 "alpha_all_opaque": bool((alpha == 255).all())}
        return arr.tobytes(), rgb.size[0], rgb.size[1], 3, extra, alpha.tobytes()
    if kind == "associated":
        if req["name"] not in slide.associated_images:
            raise KeyError(req["name"])
        img = slide.associated_images[req["name"]]
        arr = np.asarray(img)
        return arr.tobytes(), img.size[0], img.size[1], 4, {}, None
    raise ValueError("unknown request kind %r" % kind)


def _attempt(slide, req):
    try:
        return ("ok",) + _read_bytes(slide, req)
    except openslide.OpenSlideError as exc:
        return ("error", str(exc), _err_type(exc))
    except KeyError as exc:
        return ("error", "No such associated image: %s" % exc.args[0], "KeyError")
    except (IndexError, ValueError) as exc:
        # e.g. a tile request at a level the slide does not have (ratiopath
        # indexes level_downsamples), or a non-positive size.
        return ("error", str(exc), type(exc).__name__)


def cmd_regions(path, requests, raw_dir=None, repro=True):
    if raw_dir:
        os.makedirs(raw_dir, exist_ok=True)
    slide = openslide.OpenSlide(path)
    results = []
    for index, req in enumerate(requests):
        kind = req.get("kind", "region")
        first = _attempt(slide, req)
        if first[0] == "error" and first[2].startswith("OpenSlide"):
            # OpenSlide's error state is sticky: never reuse the handle.
            slide.close()
            slide = openslide.OpenSlide(path)
        second = None
        if repro:
            fresh = openslide.OpenSlide(path)
            try:
                second = _attempt(fresh, req)
            finally:
                fresh.close()
        res = {"index": index, "kind": kind}
        if first[0] == "ok":
            data, w, h, ch, extra, alpha = first[1:]
            res.update({
                "sha256": hashlib.sha256(data).hexdigest(),
                "width": w, "height": h, "channels": ch, "nbytes": len(data),
            })
            res.update(extra)
            if raw_dir:
                with open(os.path.join(raw_dir, "%d.bin" % index), "wb") as f:
                    f.write(data)
                if alpha is not None:
                    with open(os.path.join(raw_dir, "%d.alpha.bin" % index), "wb") as f:
                        f.write(alpha)
            if second is None:
                res["reproducible"] = None
            else:
                res["reproducible"] = second[0] == "ok" and second[1] == data
        else:
            res["error"] = first[1]
            res["error_type"] = first[2]
            if second is None:
                res["reproducible"] = None
            else:
                res["reproducible"] = second[0] == "error" and second[1] == first[1]
        results.append(res)
    slide.close()
    return {"path": path, "vendor": _detect(path), "results": results}


def cmd_open(path):
    try:
        slide = openslide.OpenSlide(path)
    except openslide.OpenSlideError as exc:
        return {"ok": False, "error_type": _err_type(exc), "message": str(exc),
                "detected": _detect(path)}
    out = {"ok": True, "vendor": _detect(path), "level_count": slide.level_count,
           "dimensions": list(slide.dimensions)}
    read = {"ok": True}
    try:
        w, h = slide.dimensions
        slide.read_region((max(0, w // 2 - 128), max(0, h // 2 - 128)), 0, (256, 256))
        last = slide.level_count - 1
        lw, lh = slide.level_dimensions[last]
        if lw * lh <= 16 * 1024 * 1024:
            slide.read_region((0, 0), last, (lw, lh))
    except openslide.OpenSlideError as exc:
        read = {"ok": False, "error": str(exc), "error_type": _err_type(exc)}
    out["read"] = read
    slide.close()
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("info")
    p.add_argument("slide")
    p = sub.add_parser("regions")
    p.add_argument("slide")
    p.add_argument("requests", help="JSON file, or - for stdin")
    p.add_argument("--raw-dir")
    p.add_argument("--no-repro", action="store_true",
                   help="skip the fresh-handle reproducibility read")
    p = sub.add_parser("open")
    p.add_argument("slide")
    args = ap.parse_args(argv)

    if args.cmd == "info":
        try:
            out = cmd_info(args.slide)
        except openslide.OpenSlideError as exc:
            json.dump({"error_type": _err_type(exc), "message": str(exc)}, sys.stdout)
            sys.stdout.write("\n")
            return 2
    elif args.cmd == "regions":
        if args.requests == "-":
            reqs = json.load(sys.stdin)
        else:
            with open(args.requests) as f:
                reqs = json.load(f)
        if isinstance(reqs, dict):
            reqs = reqs["requests"]
        try:
            out = cmd_regions(args.slide, reqs, args.raw_dir, not args.no_repro)
        except openslide.OpenSlideError as exc:
            json.dump({"error_type": _err_type(exc), "message": str(exc)}, sys.stdout)
            sys.stdout.write("\n")
            return 2
    else:
        out = cmd_open(args.slide)
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
