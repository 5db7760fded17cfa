"""TIFF-based samples: generic tiled TIFF (every compression), Aperio
pyramid, Philips, Trestle, Ventana BIF, Leica SCN."""

import base64
import os
import shutil
import subprocess
import tempfile

import numpy as np

from common import (ASCII, BYTE, COMP_ADOBE_DEFLATE, COMP_JPEG, COMP_NONE, LONG,
                    PHOTO_RGB, RATIONAL, SHORT, T_DATETIME, T_DESCRIPTION,
                    T_NEWSUBFILETYPE, T_RESUNIT, T_SOFTWARE, T_XMLPACKET, T_XRES,
                    T_YRES, TiffWriter, downsample, jpeg_bytes, label_image,
                    macro_image, patch_tiff_short_tag, resize, tissue,
                    write_stripped_page, write_tiled_page)

# ---------------------------------------------------------------------------
# Generic tiled TIFF

GENERIC_W, GENERIC_H = 1531, 1129   # not multiples of the 256 tile size


def _generic_levels(seed=11, alpha=False):
    base = tissue(GENERIC_W, GENERIC_H, seed=seed)
    if alpha:
        # partially transparent, non-uniform alpha (soft vignette + a hole)
        h, w = base.shape[:2]
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        d = np.hypot((xx - w * 0.5) / (w * 0.5), (yy - h * 0.5) / (h * 0.5))
        a = np.clip((1.25 - d) * 400, 0, 255)
        hole = np.hypot(xx - w * 0.3, yy - h * 0.35) < 60
        a[hole] = 0
        a[:, : w // 10] = np.minimum(a[:, : w // 10], 128)
        base = np.dstack([base, a.astype(np.uint8)])
    levels = [base]
    for _ in range(2):
        levels.append(downsample(levels[-1], 2))
    return levels


def _write_generic_base(path, levels, tile=256):
    tw = TiffWriter(path)
    for i, arr in enumerate(levels):
        extra = {T_SOFTWARE: (ASCII, "Slidetile sample generator")}
        if i == 0:
            extra[T_DESCRIPTION] = (ASCII, "Slidetile generic tiled TIFF sample")
        write_tiled_page(tw, arr, tile, COMP_NONE, extra=extra,
                         subfile=0 if i == 0 else 1)
    tw.close()


# id -> (tiffcp -c argument or None, compression tag to patch in, label)
GENERIC_COMPRESSIONS = {
    "jpeg": ("jpeg:90", None, "JPEG, YCbCr, shared JPEGTables"),
    "jpeg-rgb": ("jpeg:r:90", None, "JPEG, RGB (no colour transform)"),
    "deflate": ("zip", None, "Adobe deflate (8)"),
    "deflate-old": ("zip:2", 32946, "old-style deflate (32946), predictor 2"),
    "lzw": ("lzw:2", None, "LZW, horizontal predictor"),
    "zstd": ("zstd", None, "Zstandard (50000)"),
    "lzma": ("lzma", None, "LZMA2 (34925)"),
    "webp": ("webp", None, "WebP (50001)"),
    "packbits": ("packbits", None, "PackBits"),
    "none": ("none", None, "uncompressed"),
    "lerc": ("lerc", None, "LERC (34887)"),
}


def make_generic(out_dir, name):
    copt, patch, _ = GENERIC_COMPRESSIONS[name]
    os.makedirs(out_dir, exist_ok=True)
    dst = os.path.join(out_dir, "slide.tiff")
    with tempfile.TemporaryDirectory() as td:
        base = os.path.join(td, "base.tif")
        _write_generic_base(base, _generic_levels())
        subprocess.run(["tiffcp", "-c", copt, "-t", "-w", "256", "-l", "256", base, dst],
                       check=True, stderr=subprocess.DEVNULL)
    if patch:
        patch_tiff_short_tag(dst, 259, patch)
    return ["slide.tiff"]


def make_generic_rgba(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    dst = os.path.join(out_dir, "slide.tiff")
    with tempfile.TemporaryDirectory() as td:
        base = os.path.join(td, "base.tif")
        _write_generic_base(base, _generic_levels(seed=12, alpha=True))
        subprocess.run(["tiffcp", "-c", "zip", "-t", "-w", "256", "-l", "256", base, dst],
                       check=True, stderr=subprocess.DEVNULL)
    return ["slide.tiff"]


def make_generic_bilevel(out_dir, codec):
    """1-bit min-is-white tiled TIFF (JBIG / CCITT G4 only code bilevel)."""
    os.makedirs(out_dir, exist_ok=True)
    dst = os.path.join(out_dir, "slide.tiff")
    t = tissue(1024, 768, seed=13)
    grey = t.mean(axis=2)
    rng = np.random.default_rng(13)
    bits = (grey + rng.normal(0, 25, grey.shape)) < 200   # dither-ish
    packed = np.packbits(bits, axis=1)          # rows padded to bytes
    with tempfile.TemporaryDirectory() as td:
        src = os.path.join(td, "in.tif")
        tw = TiffWriter(src)
        h, w = bits.shape
        tw.add_page({256: (LONG, w), 257: (LONG, h), 258: (SHORT, 1),
                     259: (SHORT, COMP_NONE), 262: (SHORT, 0),   # min-is-white
                     277: (SHORT, 1), 278: (LONG, h), 284: (SHORT, 1)},
                    [packed.tobytes()], tiled=False)
        tw.close()
        subprocess.run(["tiffcp", "-c", codec, "-t", "-w", "256", "-l", "256", src, dst],
                       check=True, stderr=subprocess.DEVNULL)
    return ["slide.tiff"]


# ---------------------------------------------------------------------------
# Aperio SVS with a pyramid

APERIO_VER = "Aperio Image Library v10.0.51"


def make_aperio(out_dir, missing_tiles=False):
    os.makedirs(out_dir, exist_ok=True)
    dst = os.path.join(out_dir, "slide.svs")
    W, H = 1901, 1487      # levels at 2, 4, 8: 950x743 475x371 237x185
    base = tissue(W, H, seed=21)
    levels = [base]
    for _ in range(3):
        levels.append(downsample(levels[-1], 2))
    head = ("%s\r\n%dx%d [0,100 %dx%d] (240x240) JPEG/RGB Q=70"
            % (APERIO_VER, W, H + 100, W, H))
    props = ("|AppMag = 20|StripeWidth = 2040|ScanScope ID = SS1234"
             "|Filename = slidetile-sample|Date = 11/25/24|Time = 10:46:00"
             "|User = 00000000-0000-0000-0000-000000000000|MPP = 0.4990"
             "|Left = 25.0|Top = 18.5|LineCameraSkew = -0.000424"
             "|LineAreaXOffset = 0.019265|LineAreaYOffset = -0.000313"
             "|Focus Offset = 0.000000|ImageID = 1|OriginalWidth = %d"
             "|Originalheight = %d|Filtered = 5|ICC Profile = ScanScope v1" % (W, H))
    tw = TiffWriter(dst)
    res = {T_XRES: (RATIONAL, (1, 1)), T_YRES: (RATIONAL, (1, 1)), T_RESUNIT: (SHORT, 2)}

    def tiled(arr, desc, ds_level):
        chunks_extra = dict(res)
        chunks_extra[T_DESCRIPTION] = (ASCII, desc)
        write_tiled_page(tw, arr, 240, COMP_JPEG, extra=chunks_extra,
                         subfile=0, quality=80)

    if missing_tiles:
        # zero-length tiles in level 0 (an Aperio encoder bug OpenSlide
        # works around): build the page by hand
        from common import encode_tiles, rgb_tags, PHOTO_YCBCR, T_TILEWIDTH, T_TILELENGTH
        chunks = encode_tiles(base, 240, 240, COMP_JPEG, 80)
        across = -(-W // 240)
        for (c, r) in [(2, 1), (3, 1), (5, 4), (0, 6), (7, 6)]:
            chunks[r * across + c] = b""
        tags = rgb_tags(W, H, COMP_JPEG, PHOTO_YCBCR, 3, dict(res))
        tags[T_DESCRIPTION] = (ASCII, head + props)
        tags[T_TILEWIDTH] = (LONG, 240)
        tags[T_TILELENGTH] = (LONG, 240)
        tags[T_NEWSUBFILETYPE] = (LONG, 0)
        tw.add_page(tags, chunks, tiled=True)
    else:
        tiled(base, head + props, 0)
    # thumbnail: stripped JPEG, directory 1
    tw_w, tw_h = 768, int(round(768 * H / W))
    write_stripped_page(tw, resize(base, tw_w, tw_h), COMP_JPEG,
                        extra={T_DESCRIPTION: (ASCII, "%s\r\n%dx%d -> %dx%d - |AppMag = 20|MPP = 0.4990"
                                               % (APERIO_VER, W, H, tw_w, tw_h))})
    for i in (1, 2, 3):
        l = levels[i]
        tiled(l, "%s\r\n%dx%d -> %dx%d - |AppMag = 20|MPP = 0.4990"
              % (APERIO_VER, W, H, l.shape[1], l.shape[0]), i)
    lab = label_image(387, 463, "SLIDETILE APERIO", seed=22)
    write_stripped_page(tw, lab, COMP_ADOBE_DEFLATE, subfile=1,
                        extra={T_DESCRIPTION: (ASCII, "%s\nlabel 387x463" % APERIO_VER)})
    mac = macro_image(1280, 431, seed=23)
    write_stripped_page(tw, mac, COMP_JPEG, subfile=9,
                        extra={T_DESCRIPTION: (ASCII, "%s\nmacro 1280x431" % APERIO_VER)})
    tw.close()
    return ["slide.svs"]


# ---------------------------------------------------------------------------
# Trestle: Software "MedScan", overlapping tiles, ".Full" macro beside it

def make_trestle(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    dst = os.path.join(out_dir, "slide.tif")
    tile = 256
    # (overlap_x, overlap_y) per level; tiles across/down per level
    spec = [((16, 12), 6, 5), ((8, 6), 3, 3), ((0, 0), 2, 2)]
    # content size of level 0
    (ox, oy), na, nd = spec[0]
    W0 = na * tile - (na - 1) * ox - 37     # ImageWidth not a tile multiple
    H0 = nd * tile - (nd - 1) * oy - 53
    canvas0 = tissue(W0 + tile, H0 + tile, seed=31)
    desc = ("Background Color=F2F2F6;White Balance=FFFFFF;Objective Power=10;"
            "JPEG Quality=80;OverlapsXY= %s" %
            " ".join("%d %d" % s[0] for s in spec))
    tw = TiffWriter(dst)
    scale = 1
    for lvl, ((ox, oy), na, nd) in enumerate(spec):
        canvas = canvas0 if scale == 1 else downsample(canvas0, scale)
        img_w = na * tile - (37 if lvl == 0 else 0)
        img_h = nd * tile - (53 if lvl == 0 else 0)
        # the stored TIFF image: tile (c, r) holds canvas[r*(t-oy): +t, c*(t-ox): +t]
        mosaic = np.full((nd * tile, na * tile, 3), 242, np.uint8)
        for r in range(nd):
            for c in range(na):
                src = canvas[r * (tile - oy): r * (tile - oy) + tile,
                             c * (tile - ox): c * (tile - ox) + tile]
                mosaic[r * tile: r * tile + src.shape[0], c * tile: c * tile + src.shape[1]] = src
        mosaic = mosaic[:img_h, :img_w]
        extra = {T_SOFTWARE: (ASCII, "MedScan"),
                 T_DESCRIPTION: (ASCII, desc),
                 T_XRES: (RATIONAL, (10, 40)), T_YRES: (RATIONAL, (10, 40)),
                 T_RESUNIT: (SHORT, 1)}
        write_tiled_page(tw, mosaic, tile, COMP_JPEG, extra=extra,
                         subfile=0 if lvl == 0 else 1, quality=85)
        scale *= 2
    tw.close()
    with open(os.path.join(out_dir, "slide.Full"), "wb") as f:
        f.write(jpeg_bytes(macro_image(600, 220, seed=32), 85))
    return ["slide.tif", "slide.Full"]


# ---------------------------------------------------------------------------
# Philips TIFF: XML ImageDescription, padded levels, base64 label in XML

def _philips_xml(spacings_mm, label_b64, w0, h0):
    reps = "".join(
        '<DataObject ObjectType="PixelDataRepresentation">'
        '<Attribute Name="DICOM_PIXEL_SPACING" Group="0x0028" Element="0x0030" PMSVR="IDoubleArray">'
        '&quot;%g&quot; &quot;%g&quot;</Attribute>'
        '<Attribute Name="PIIM_PIXEL_DATA_REPRESENTATION_NUMBER" Group="0x101D" Element="0x1009" PMSVR="IUInt16">%d</Attribute>'
        '<Attribute Name="PIIM_PIXEL_DATA_REPRESENTATION_COLUMNS" Group="0x2001" Element="0x115E" PMSVR="IUInt32">%d</Attribute>'
        '<Attribute Name="PIIM_PIXEL_DATA_REPRESENTATION_ROWS" Group="0x2001" Element="0x115D" PMSVR="IUInt32">%d</Attribute>'
        '</DataObject>' % (s, s, i, w0 >> i, h0 >> i)
        for i, s in enumerate(spacings_mm))
    return (
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        '<DataObject ObjectType="DPUfsImport">'
        '<Attribute Name="DICOM_MANUFACTURER" Group="0x0008" Element="0x0070" PMSVR="IString">PHILIPS</Attribute>'
        '<Attribute Name="DICOM_SOFTWARE_VERSIONS" Group="0x0018" Element="0x1020" PMSVR="IStringArray">&quot;1.6.5505&quot; &quot;20111209_R44&quot;</Attribute>'
        '<Attribute Name="PIM_DP_UFS_BARCODE" Group="0x301D" Element="0x1002" PMSVR="IString">U0xJREVUSUxF</Attribute>'
        '<Attribute Name="PIM_DP_SCANNED_IMAGES" Group="0x301D" Element="0x1003" PMSVR="IDataObjectArray"><Array>'
        '<DataObject ObjectType="DPScannedImage">'
        '<Attribute Name="DICOM_DERIVATION_DESCRIPTION" Group="0x0008" Element="0x2111" PMSVR="IString">tiff-useBigTIFF=0-useRgb=0-levels=10003,10002,10000,10001-processing=0-q80-sourceFilename=&quot;T11-07929-I1-10&quot;</Attribute>'
        '<Attribute Name="DICOM_PIXEL_SPACING" Group="0x0028" Element="0x0030" PMSVR="IDoubleArray">&quot;%g&quot; &quot;%g&quot;</Attribute>'
        '<Attribute Name="PIM_DP_IMAGE_TYPE" Group="0x301D" Element="0x1004" PMSVR="IString">WSI</Attribute>'
        '<Attribute Name="PIIM_PIXEL_DATA_REPRESENTATION_SEQUENCE" Group="0x1001" Element="0x8B01" PMSVR="IDataObjectArray"><Array>%s</Array></Attribute>'
        '</DataObject>'
        '<DataObject ObjectType="DPScannedImage">'
        '<Attribute Name="PIM_DP_IMAGE_TYPE" Group="0x301D" Element="0x1004" PMSVR="IString">LABELIMAGE</Attribute>'
        '<Attribute Name="PIM_DP_IMAGE_DATA" Group="0x301D" Element="0x1005" PMSVR="IString">%s</Attribute>'
        '</DataObject>'
        '</Array></Attribute>'
        '</DataObject>' % (spacings_mm[0], spacings_mm[0], reps, label_b64))


def make_philips(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    dst = os.path.join(out_dir, "slide.tiff")
    tile = 256
    cw, ch = 1211, 941            # real content
    content = tissue(cw, ch, seed=41)
    # level 0 TIFF is padded to whole tiles (as Philips does), white padding
    n_across, n_down = -(-cw // tile), -(-ch // tile)
    W0, H0 = n_across * tile, n_down * tile
    l0 = np.full((H0, W0, 3), 255, np.uint8)
    l0[:ch, :cw] = content
    levels = [l0]
    for _ in range(2):
        prev = levels[-1]
        d = downsample(prev, 2)
        # pad each level to whole tiles again
        pw, ph = -(-d.shape[1] // tile) * tile, -(-d.shape[0] // tile) * tile
        p = np.full((ph, pw, 3), 255, np.uint8)
        p[: d.shape[0], : d.shape[1]] = d
        levels.append(p)
    spacings = [0.00025 * (1 << i) for i in range(3)]
    label = label_image(420, 400, "SLIDETILE PHILIPS", seed=42)
    label_b64 = base64.b64encode(jpeg_bytes(label, 85)).decode()
    xml = _philips_xml(spacings, label_b64, W0, H0)
    tw = TiffWriter(dst)
    for i, arr in enumerate(levels):
        extra = {T_SOFTWARE: (ASCII, "Philips DP v1.0")}
        if i == 0:
            extra[T_DESCRIPTION] = (ASCII, xml)
        else:
            extra[T_DESCRIPTION] = (ASCII, "level=%d mag=%g quality=80" % (i, 40 / (1 << i)))
        write_tiled_page(tw, arr, tile, COMP_JPEG, extra=extra,
                         subfile=0 if i == 0 else 1, quality=80)
    write_stripped_page(tw, macro_image(1200, 400, seed=43), COMP_JPEG, subfile=1,
                        extra={T_SOFTWARE: (ASCII, "Philips DP v1.0"),
                               T_DESCRIPTION: (ASCII, "Macro")})
    tw.close()
    return ["slide.tiff"]


# ---------------------------------------------------------------------------
# Ventana BIF: iScan XMLPacket, EncodeInfo with overlapping tiles (two AOIs)

def make_ventana(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    dst = os.path.join(out_dir, "slide.bif")
    tile = 256
    ov_x, ov_y = 20, 14
    adv_x, adv_y = tile - ov_x, tile - ov_y
    # areas: (start_col, start_row, cols, rows, display_x, display_y)
    areas = [(0, 0, 3, 3, 0, 0), (4, 1, 2, 2, 3 * adv_x + 150, adv_y + 40)]
    grid_cols, grid_rows = 6, 4
    heights = [(rows - 1) * adv_y + tile for (_, _, _, rows, _, _) in areas]
    total_h = max(a[5] + h for a, h in zip(areas, heights))
    total_w = max(a[4] + (a[2] - 1) * adv_x + tile for a in areas)
    canvas = tissue(total_w + 8, total_h + 8, seed=51)
    mosaic = np.full((grid_rows * tile, grid_cols * tile, 3), 250, np.uint8)
    image_infos = []
    origins = []
    for ai, (sc, sr, cols, rows, dx, dy) in enumerate(areas):
        for r in range(rows):
            for c in range(cols):
                src = canvas[dy + r * adv_y: dy + r * adv_y + tile,
                             dx + c * adv_x: dx + c * adv_x + tile]
                mosaic[(sr + r) * tile:(sr + r + 1) * tile,
                       (sc + c) * tile:(sc + c + 1) * tile] = src

        def tile_no(col, row):
            rr = rows - 1 - row
            cc = col if rr % 2 == 0 else cols - 1 - col
            return rr * cols + cc + 1

        joints = []
        for r in range(rows):
            for c in range(cols):
                if c + 1 < cols:
                    joints.append('<TileJointInfo FlagJoined="1" Direction="RIGHT" Tile1="%d" Tile2="%d" '
                                  'OverlapX="%d" OverlapY="0" Confidence="95"/>'
                                  % (tile_no(c, r), tile_no(c + 1, r), ov_x))
                if r - 1 >= 0:
                    joints.append('<TileJointInfo FlagJoined="1" Direction="UP" Tile1="%d" Tile2="%d" '
                                  'OverlapX="0" OverlapY="%d" Confidence="95"/>'
                                  % (tile_no(c, r), tile_no(c, r - 1), ov_y))
        pos_y = total_h - dy - heights[ai]
        image_infos.append('<ImageInfo AOIScanned="1" AOIIndex="%d" Width="%d" Height="%d" '
                           'NumRows="%d" NumCols="%d" Pos-X="%d" Pos-Y="%d">%s</ImageInfo>'
                           % (ai, tile, tile, rows, cols, dx, pos_y, "".join(joints)))
        origins.append('<AOI%d OriginX="%d" OriginY="%d"/>' % (ai, sc * tile, sr * tile))
    encode_xml = ('<?xml version="1.0" encoding="utf-8"?><EncodeInfo Ver="2">'
                  '<SlideInfo><AoiInfo XIMAGESIZE="%d" YIMAGESIZE="%d" NumRows="%d" NumCols="%d"/></SlideInfo>'
                  '<SlideStitchInfo>%s</SlideStitchInfo><AoiOrigin>%s</AoiOrigin></EncodeInfo>'
                  % (tile, tile, grid_rows, grid_cols, "".join(image_infos), "".join(origins)))
    iscan_xml = ('<?xml version="1.0" encoding="utf-8"?><Metadata><iScan '
                 'BuildDate="11/25/2024" BuildVersion="3.3.0.0" CalibrationImageSizeX="1" '
                 'Magnification="40" ScanRes="0.2325" ScannerModel="VENTANA iScan HT" '
                 'SlideAnnotation="Slidetile sample" UnitNumber="BI10N0000" '
                 'FocusQuality="1" ZLayers="1"/></Metadata>')
    tw = TiffWriter(dst)
    write_stripped_page(tw, macro_image(800, 300, seed=52), COMP_JPEG,
                        extra={T_DESCRIPTION: (ASCII, "Label_Image"),
                               T_XMLPACKET: (BYTE, iscan_xml.encode())})
    write_stripped_page(tw, resize(canvas, 400, int(400 * canvas.shape[0] / canvas.shape[1])),
                        COMP_JPEG, extra={T_DESCRIPTION: (ASCII, "Thumbnail")})
    levels = [mosaic, downsample(mosaic, 2), downsample(mosaic, 4)]
    for i, arr in enumerate(levels):
        extra = {T_DESCRIPTION: (ASCII, "level=%d mag=%g quality=90" % (i, 40 / (1 << i)))}
        if i == 0:
            extra[T_XMLPACKET] = (BYTE, encode_xml.encode())
        write_tiled_page(tw, arr, tile, COMP_JPEG, extra=extra, quality=88)
    tw.close()
    return ["slide.bif"]


# ---------------------------------------------------------------------------
# Leica SCN: XML collection with a macro and two main images (areas)

LEICA_NS = "http://www.leica-microsystems.com/scn/2010/10/01"


def make_leica(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    dst = os.path.join(out_dir, "slide.scn")
    tile = 256
    nm_per_px = 500           # level-0 resolution of the main images
    coll_w_px, coll_h_px = 1500, 1100
    coll_w, coll_h = coll_w_px * nm_per_px, coll_h_px * nm_per_px
    canvas = tissue(coll_w_px, coll_h_px, seed=61)
    mains = [(60, 40, 700, 620), (820, 300, 610, 700)]   # x, y, w, h in level-0 px
    ifd = 0
    pages = []   # (array, tiled)
    images_xml = []
    # macro: covers the whole collection, lower resolution
    macro = resize(canvas, 600, 440)
    macro_dims = [(macro, ifd)]
    pages.append(macro)
    ifd += 1
    images_xml.append(
        '<image name="" uuid="urn:uuid:macro"><creationDate>2024-11-25T10:46:00.00Z</creationDate>'
        '<device model="Leica SCN400;Leica SCN" version="1.5.0.13116 2013/01/21 13:10:51;1.5.0.13116"/>'
        '<pixels sizeX="600" sizeY="440"><dimension sizeX="600" sizeY="440" r="0" ifd="0"/></pixels>'
        '<view sizeX="%d" sizeY="%d" offsetX="0" offsetY="0" spacingZ="0"/>'
        '<scanSettings><objectiveSettings><objective>0.5</objective></objectiveSettings>'
        '<illuminationSettings><numericalAperture>0.02</numericalAperture>'
        '<illuminationSource>brightfield</illuminationSource></illuminationSettings></scanSettings>'
        '</image>' % (coll_w, coll_h))
    for k, (x, y, w, h) in enumerate(mains):
        region = canvas[y:y + h, x:x + w]
        dims = []
        lvl = region
        for r in range(3):
            pages.append(lvl)
            dims.append('<dimension sizeX="%d" sizeY="%d" r="%d" ifd="%d"/>'
                        % (lvl.shape[1], lvl.shape[0], r, ifd))
            ifd += 1
            lvl = downsample(lvl, 2)
        images_xml.append(
            '<image name="" uuid="urn:uuid:main%d"><creationDate>2024-11-25T10:47:00.00Z</creationDate>'
            '<device model="Leica SCN400;Leica SCN" version="1.5.0.13116 2013/01/21 13:10:51;1.5.0.13116"/>'
            '<pixels sizeX="%d" sizeY="%d">%s</pixels>'
            '<view sizeX="%d" sizeY="%d" offsetX="%d" offsetY="%d" spacingZ="0"/>'
            '<scanSettings><objectiveSettings><objective>20</objective></objectiveSettings>'
            '<illuminationSettings><numericalAperture>0.4</numericalAperture>'
            '<illuminationSource>brightfield</illuminationSource></illuminationSettings></scanSettings>'
            '</image>' % (k, w, h, "".join(dims), w * nm_per_px, h * nm_per_px,
                          x * nm_per_px, y * nm_per_px))
    xml = ('<?xml version="1.0" encoding="utf-8"?>'
           '<scn xmlns="%s"><collection name="slidetile" uuid="urn:uuid:collection" '
           'sizeX="%d" sizeY="%d"><barcode>SLIDETILE-SCN</barcode>%s</collection></scn>'
           % (LEICA_NS, coll_w, coll_h, "".join(images_xml)))
    tw = TiffWriter(dst)
    for i, arr in enumerate(pages):
        extra = {}
        if i == 0:
            extra[T_DESCRIPTION] = (ASCII, xml)
        write_tiled_page(tw, arr, tile, COMP_JPEG, extra=extra, quality=85)
    tw.close()
    return ["slide.scn"]
