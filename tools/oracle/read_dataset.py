#!/usr/bin/env python3
"""Reads an export's dataset files with the readers training pipelines use, and prints what they hold
as JSON, so the tests compare it with tiles.csv in full (src/export/formats/formats.test.ts).

  read_dataset.py h5 coords.h5           h5py (CLAM's and TRIDENT's reader)
  read_dataset.py parquet tiles.parquet  pyarrow (ratiopath's Ray writes Parquet with it)
  read_dataset.py tar SHARD.tar ...      Python's tarfile, grouped into samples as WebDataset does
"""
import hashlib
import json
import math
import sys


def clean(v):
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "tolist"):
        return v.tolist()
    if isinstance(v, bytes):
        return v.decode()
    return v


def read_h5(path):
    import h5py

    with h5py.File(path, "r") as f:
        d = f["coords"]
        return {
            "dtype": str(d.dtype),
            "shape": list(d.shape),
            "coords": d[:].tolist(),
            "attrs": {k: clean(v) for k, v in d.attrs.items()},
            "attr_dtypes": {k: str(getattr(v, "dtype", type(v).__name__)) for k, v in d.attrs.items()},
        }


def read_parquet(path):
    import pyarrow.parquet as pq

    t = pq.read_table(path)
    return {
        "schema": {f.name: str(f.type) for f in t.schema},
        "rows": [{k: clean(v) for k, v in r.items()} for r in t.to_pylist()],
    }


def read_tars(paths):
    import tarfile

    shards = []
    for p in paths:
        samples = []
        with tarfile.open(p, "r:") as tf:
            for m in tf.getmembers():
                # WebDataset: the key is the member's name up to its first dot, the rest its field
                base = m.name.rsplit("/", 1)[-1]
                key, field = base.split(".", 1)
                data = tf.extractfile(m).read()
                if not samples or samples[-1]["__key__"] != key:
                    samples.append({"__key__": key})
                if field == "json":
                    samples[-1]["json"] = json.loads(data)
                else:
                    samples[-1][field] = hashlib.sha256(data).hexdigest()
        shards.append({"path": p, "samples": samples})
    return shards


if __name__ == "__main__":
    kind, *files = sys.argv[1:]
    out = {"h5": lambda: read_h5(files[0]), "parquet": lambda: read_parquet(files[0]), "tar": lambda: read_tars(files)}[kind]()
    json.dump(out, sys.stdout)
