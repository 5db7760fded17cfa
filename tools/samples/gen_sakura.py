"""Sakura SVSlide sample: an SQLite database whose tiles are stored as one
greyscale JPEG per colour channel, keyed "T;x|y;downsample;colour;plane"."""

import os
import sqlite3
import struct

import numpy as np

from common import downsample, jpeg_bytes, label_image, macro_image, resize, tissue

TABLE = "SVGigaPixelImage_6cb1b5a2_3d8f_4b6e_9f3d_2a6a0cbd7e11"


def make_sakura(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, "slide.svslide")
    tile = 256
    W, H = 1400, 1050           # not multiples of the tile size
    canvas = tissue(W, H, seed=101)
    db = sqlite3.connect(path)
    c = db.cursor()
    c.execute("PRAGMA journal_mode=DELETE")
    c.execute("CREATE TABLE DataManagerSQLiteConfigXPO (OID INTEGER PRIMARY KEY, TableName TEXT)")
    c.execute("INSERT INTO DataManagerSQLiteConfigXPO (TableName) VALUES (?)", (TABLE,))
    c.execute('CREATE TABLE "%s" (id TEXT PRIMARY KEY, data BLOB)' % TABLE)
    ins = 'INSERT INTO "%s" (id, data) VALUES (?, ?)' % TABLE
    c.execute(ins, ("++MagicBytes", "SVGigaPixelImage"))
    c.execute(ins, ("++VersionBytes", "1.0.0.0"))
    # header: tile size, width, height, (unused), focal planes
    c.execute(ins, ("Header", struct.pack("<IIIII", tile, W, H, 0, 1)))
    rng = np.random.default_rng(102)
    ds = 1
    lvl = canvas
    while True:
        h, w = lvl.shape[:2]
        for ty in range(0, h, tile):
            for tx in range(0, w, tile):
                t = lvl[ty:ty + tile, tx:tx + tile]
                # leave out a few all-background tiles at level 0 (they read
                # as transparent), as a scanner would
                if ds == 1 and t.mean() > 236 and rng.random() < 0.5:
                    continue
                full = np.full((tile, tile, 3), 255, np.uint8)
                full[: t.shape[0], : t.shape[1]] = t
                for ch in range(3):
                    tid = "T;%d|%d;%d;%d;%d" % (tx * ds, ty * ds, ds, ch, 0)
                    blob = jpeg_bytes(np.ascontiguousarray(full[..., ch]), 88, mode="L")
                    c.execute(ins, (tid, blob))
                    c.execute(ins, (tid + "#", b"\x00" * 20))   # a "hash" row: ignored
        if max(w, h) <= tile:
            break
        ds *= 2
        lvl = downsample(canvas, ds)
    c.execute("CREATE TABLE SVScannedImageDataXPO (OID INTEGER PRIMARY KEY, Image BLOB)")
    c.execute("INSERT INTO SVScannedImageDataXPO (OID, Image) VALUES (1, ?)",
              (jpeg_bytes(label_image(320, 300, "SAKURA", 103), 85),))
    c.execute("INSERT INTO SVScannedImageDataXPO (OID, Image) VALUES (2, ?)",
              (jpeg_bytes(macro_image(900, 300, seed=104), 85),))
    c.execute("CREATE TABLE SVSlideDataXPO (OID INTEGER PRIMARY KEY, SlideId TEXT, Date TEXT, "
              "Description TEXT, Creator TEXT, DiagnosisCode TEXT, Keywords TEXT, "
              "m_labelScan INTEGER, m_overviewScan INTEGER)")
    c.execute("INSERT INTO SVSlideDataXPO VALUES (1, 'SLIDETILE-SAKURA', '2024-11-25 10:46:00', "
              "'Slidetile sample', 'slidetile', '', 'sample;synthetic', 1, 2)")
    c.execute("CREATE TABLE SVHRScanDataXPO (OID INTEGER PRIMARY KEY, ParentSlide INTEGER, "
              "ScanId TEXT, ResolutionMmPerPix REAL, NominalLensMagnification REAL, "
              "FocussingMethod TEXT, Date TEXT, Name TEXT, Description TEXT, ThumbnailImage BLOB)")
    c.execute("INSERT INTO SVHRScanDataXPO VALUES (1, 1, 'SCAN-0001', 0.000227, 20.0, "
              "'Auto', '2024-11-25 10:46:00', 'scan', 'high resolution scan', ?)",
              (jpeg_bytes(resize(canvas, 400, 300), 85),))
    db.commit()
    db.close()
    return ["slide.svslide"]
