#!/usr/bin/python3
"""PIL's JPEG bytes for raw RGB tiles, for src/engine/jpeg.test.ts.

Run with Debian's interpreter (/usr/bin/python3: python3-pil, on libjpeg62-turbo).

  pil_jpeg.py REQUESTS.json
      REQUESTS.json: [{"rgb": RAW_FILE, "width": W, "height": H, "quality": Q, "out": JPEG_FILE}]
      Writes Image.frombytes("RGB", (W, H), raw).save(out, "JPEG", quality=Q) for each, as
      ratiopath's tiles are saved. Prints {"pil": PIL.__version__} when done.
"""

import json
import sys

import PIL
from PIL import Image


def main(argv):
    with open(argv[1]) as f:
        reqs = json.load(f)
    for r in reqs:
        with open(r["rgb"], "rb") as f:
            img = Image.frombytes("RGB", (r["width"], r["height"]), f.read())
        img.save(r["out"], "JPEG", quality=r["quality"])
    json.dump({"pil": PIL.__version__}, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
