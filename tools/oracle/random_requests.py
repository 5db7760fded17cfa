#!/usr/bin/python3
"""Print a JSON list of random oracle requests for a slide:
N regions and N tiles per level (every 4th crossing the right/bottom edge,
some starting left of/above the slide), plus every associated image.
Usage: /usr/bin/python3 random_requests.py SLIDE [N=20] [SEED=1]"""
import json
import random
import sys

import openslide


def requests(path, n=20, seed=1):
    s = openslide.OpenSlide(path)
    rnd = random.Random(seed)
    reqs = []
    for level in range(s.level_count):
        w, h = s.level_dimensions[level]
        ds = s.level_downsamples[level]
        for i in range(n):
            rw, rh = rnd.randint(1, 400), rnd.randint(1, 400)
            if i % 4 == 0:
                x, y = w - rw // 2, h - rh // 2
            else:
                x, y = rnd.randint(-50, w), rnd.randint(-50, h)
            reqs.append({"kind": "region", "x": int(x * ds), "y": int(y * ds),
                         "level": level, "w": rw, "h": rh})
            reqs.append({"kind": "tile", "x": max(0, x), "y": max(0, y), "level": level,
                         "w": rw, "h": rh, "background": 255})
    for name in sorted(s.associated_images):
        reqs.append({"kind": "associated", "name": name})
    s.close()
    return reqs


if __name__ == "__main__":
    a = sys.argv[1:]
    json.dump(requests(a[0], int(a[1]) if len(a) > 1 else 20, int(a[2]) if len(a) > 2 else 1),
              sys.stdout)
