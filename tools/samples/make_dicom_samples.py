#!/usr/bin/python3
"""DICOM whole-slide samples (VL Whole Slide Microscopy Image Storage) for
src/engine/dicom.test.ts, which checks the engine against native OpenSlide
4.0.1 on each of them (3.4.1 has no DICOM driver, so nothing is checked here).

Usage: /usr/bin/python3 make_dicom_samples.py [OUTDIR]   (default .cache/samples-dicom)
Needs Debian's python3-pydicom, python3-numpy, python3-pil (with OpenJPEG)
and cjpeg (libjpeg-turbo-progs) for RGB-colour-space JPEG.

Writes OUTDIR/<id>/*.dcm and OUTDIR/samples-dicom.json (the record shape of
samples.json: id, path, files, vendor, format; paths relative to OUTDIR).
Idempotent: a sample whose .ok marker holds the current generator hash is
kept. Seeded: every run writes the same bytes.

  dicom-jpeg-ybr      3 levels as 3 files (TILED_FULL, JPEG baseline
                      YBR_FULL_422, edge tiles padded), label, overview and
                      thumbnail files, ICC profile, barcode, unequal pixel
                      spacing, a private tag and a file of another series
                      that must be ignored
  dicom-one-file      the second level of a pyramid dropped alone: a
                      one-file series (its own level 0)
  dicom-jpeg-rgb      one file, JPEG baseline in the RGB colour space
                      (Adobe marker), PhotometricInterpretation RGB
  dicom-sparse        TILED_SPARSE: 2 levels whose frames are listed out of
                      order in the Per-Frame Functional Groups, with holes
                      (tiles that have no frame are transparent)
  dicom-j2k-lossy     JPEG 2000 lossy (1.2.840.10008.1.2.4.91), YBR_ICT,
                      2 levels
  dicom-j2k-lossless  JPEG 2000 reversible (1.2.840.10008.1.2.4.90), RGB
                      without a colour transform, and a YBR_RCT level
  dicom-native        uncompressed frames (Explicit VR Little Endian),
                      2 levels, sequences of undefined length
  dicom-concat        level 0 as a concatenation of two files (the frames
                      split between them), level 1 a file of its own
  dicom-ct            a CT slice (CT Image Storage): not a whole-slide image,
                      which must be refused
"""

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import pydicom
from PIL import Image
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import encapsulate
from pydicom.sequence import Sequence
from pydicom.tag import Tag

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import make_cached  # noqa: E402  (the cached sample-folder writer the other generators use)

WSI_CLASS = "1.2.840.10008.5.1.4.1.1.77.1.6"
CT_CLASS = "1.2.840.10008.5.1.4.1.1.2"
TS_NATIVE = "1.2.840.10008.1.2.1"
TS_JPEG = "1.2.840.10008.1.2.4.50"
TS_J2K_LOSSLESS = "1.2.840.10008.1.2.4.90"
TS_J2K = "1.2.840.10008.1.2.4.91"
UID_ROOT = "1.2.826.0.1.3680043.10.1187."  # fixed prefix: the samples are byte-reproducible


def uid(*parts):
    return UID_ROOT + ".".join(str(p) for p in parts)


def slide_pixels(w, h, seed):
    """Deterministic tissue-like RGB content: smooth gradients, blobs, lines and noise, so lossy
    codecs and every tile differ."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    img = np.empty((h, w, 3), np.float32)
    img[..., 0] = 200 + 40 * np.sin(x / 37.0) * np.cos(y / 53.0)
    img[..., 1] = 150 + 60 * np.sin((x + y) / 71.0)
    img[..., 2] = 190 + 50 * np.cos(x / 29.0 - y / 41.0)
    for _ in range(12):
        cx, cy, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(10, max(12, w / 6))
        m = (x - cx) ** 2 + (y - cy) ** 2 < r * r
        img[m] = img[m] * 0.5 + rng.uniform(60, 220, 3)
    img[(x.astype(int) % 97) < 2] = (30, 30, 120)
    img += rng.normal(0, 6, img.shape)
    return np.clip(img, 0, 255).astype(np.uint8)


def downsample2(a):
    h, w = a.shape[0] // 2 * 2, a.shape[1] // 2 * 2
    a = a[:h, :w].astype(np.uint16)
    return ((a[0::2, 0::2] + a[1::2, 0::2] + a[0::2, 1::2] + a[1::2, 1::2] + 2) // 4).astype(np.uint8)


def encode(tile, syntax, photometric):
    if syntax == TS_NATIVE:
        return tile.tobytes()
    im = Image.fromarray(tile)
    b = io.BytesIO()
    if syntax == TS_JPEG and photometric == "RGB":
        # Pillow cannot write the RGB colour space; cjpeg -rgb does (with an Adobe marker)
        with tempfile.NamedTemporaryFile(suffix=".ppm") as f:
            im.save(f.name)
            return subprocess.run(["cjpeg", "-rgb", "-quality", "90", f.name], check=True,
                                  capture_output=True).stdout
    if syntax == TS_JPEG:
        im.save(b, "JPEG", quality=88, subsampling=1)  # 4:2:2, JFIF: YBR_FULL_422
    elif syntax == TS_J2K:
        im.save(b, "JPEG2000", no_jp2=True, irreversible=True, mct=1, quality_mode="rates",
                quality_layers=[12])
    elif syntax == TS_J2K_LOSSLESS:
        im.save(b, "JPEG2000", no_jp2=True, irreversible=False, mct=1 if photometric == "YBR_RCT" else 0)
    else:
        raise ValueError(syntax)
    return b.getvalue()


def tiles_of(img, tw, th):
    """(col, row, tile) in raster order; edge tiles padded with white to the full tile size."""
    h, w = img.shape[:2]
    out = []
    for r in range((h + th - 1) // th):
        for c in range((w + tw - 1) // tw):
            t = np.full((th, tw, 3), 255, np.uint8)
            part = img[r * th:(r + 1) * th, c * tw:(c + 1) * tw]
            t[:part.shape[0], :part.shape[1]] = part
            out.append((c, r, t))
    return out


def icc_profile():
    """A profile-shaped blob; OpenSlide only reports its size and hands out the bytes."""
    body = bytearray(456)
    body[0:4] = len(body).to_bytes(4, "big")
    body[12:16] = b"mntr"
    body[16:20] = b"RGB "
    body[36:40] = b"acsp"
    body[128:148] = b"slidetile dicom test"
    return bytes(body)


def code_item(value, scheme, meaning):
    it = Dataset()
    it.CodeValue = value
    it.CodingSchemeDesignator = scheme
    it.CodeMeaning = meaning
    return it


def base_dataset(series, instance, flavor, syntax, photometric, spacing, with_icc=True, barcode=None):
    ds = Dataset()
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = WSI_CLASS
    meta.MediaStorageSOPInstanceUID = uid(series, instance)
    meta.TransferSyntaxUID = syntax
    meta.ImplementationClassUID = uid(0, 1)
    meta.ImplementationVersionName = "SLIDETILE_1"
    ds.file_meta = meta
    ds.ImageType = ["DERIVED" if flavor == "VOLUME" and instance > 1 else "ORIGINAL", "PRIMARY", flavor,
                    "RESAMPLED" if flavor == "THUMBNAIL" or (flavor == "VOLUME" and instance > 1) else "NONE"]
    ds.SOPClassUID = WSI_CLASS
    ds.SOPInstanceUID = uid(series, instance)
    ds.StudyDate = "20261202"
    ds.ContentDate = "20261202"
    ds.StudyTime = "120000"
    ds.ContentTime = "120000.5 "
    ds.AccessionNumber = ""
    ds.Modality = "SM"
    ds.Manufacturer = "Slidetile test generator"
    ds.ReferringPhysicianName = ""
    ds.ManufacturerModelName = "make_dicom_samples.py"
    ds.SoftwareVersions = ["1.0", "pydicom " + pydicom.__version__.split(".")[0]]
    ds.PatientName = "Test^Slide"
    ds.PatientID = "ST-0001"
    ds.PatientBirthDate = ""
    ds.PatientSex = ""
    ds.StudyInstanceUID = uid(series, 0, 1)
    ds.SeriesInstanceUID = uid(series)
    ds.StudyID = ""
    ds.SeriesNumber = 1
    ds.InstanceNumber = instance
    ds.FrameOfReferenceUID = uid(series, 0, 2)
    ds.PositionReferenceIndicator = ""
    ds.DimensionOrganizationType = "TILED_FULL"
    ds.ContainerIdentifier = "SLIDE-%d" % series
    ds.ContainerTypeCodeSequence = Sequence([code_item("433466003", "SCT", "Microscope slide")])
    ds.SpecimenDescriptionSequence = Sequence()
    ds.ImagedVolumeWidth = 1.5
    ds.ImagedVolumeHeight = 0.1 + series / 1000
    ds.ImagedVolumeDepth = 0.0
    ds.SamplesPerPixel = 3
    ds.PhotometricInterpretation = photometric
    ds.PlanarConfiguration = 0
    ds.BitsAllocated = 8
    ds.BitsStored = 8
    ds.HighBit = 7
    ds.PixelRepresentation = 0
    ds.BurnedInAnnotation = "YES" if flavor in ("LABEL", "OVERVIEW") else "NO"
    ds.SpecimenLabelInImage = "YES" if flavor in ("LABEL", "OVERVIEW") else "NO"
    ds.FocusMethod = "AUTO"
    ds.ExtendedDepthOfField = "NO"
    ds.TotalPixelMatrixFocalPlanes = 1
    ds.VolumetricProperties = "VOLUME"
    if syntax in (TS_JPEG, TS_J2K):
        ds.LossyImageCompression = "01"
    shared = Dataset()
    pm = Dataset()
    pm.PixelSpacing = spacing
    pm.SliceThickness = 0
    shared.PixelMeasuresSequence = Sequence([pm])
    ft = Dataset()
    ft.FrameType = list(ds.ImageType)
    shared.WholeSlideMicroscopyImageFrameTypeSequence = Sequence([ft])
    ds.SharedFunctionalGroupsSequence = Sequence([shared])
    op = Dataset()
    op.OpticalPathIdentifier = "1"
    op.IlluminationTypeCodeSequence = Sequence([code_item("111744", "DCM", "Brightfield illumination")])
    op.IlluminationColorCodeSequence = Sequence([code_item("414298005", "SCT", "Full Spectrum")])
    op.ObjectiveLensPower = "20"
    if with_icc:
        op.ICCProfile = icc_profile()
    ds.OpticalPathSequence = Sequence([op])
    ds.NumberOfOpticalPaths = 1
    if barcode:
        ds.BarcodeValue = barcode
    origin = Dataset()
    origin.XOffsetInSlideCoordinateSystem = "20"
    origin.YOffsetInSlideCoordinateSystem = "40"
    ds.TotalPixelMatrixOriginSequence = Sequence([origin])
    ds.ImageOrientationSlide = [0, -1, 0, -1, 0, 0]
    return ds


def write_image(path, ds, img, tw, th, sparse_drop=None, shuffle_seed=None):
    """Frames of `img` (tw x th tiles) into ds's Pixel Data; TILED_SPARSE when sparse_drop (a set of
    (col, row) without a frame) or shuffle_seed is given."""
    syntax = ds.file_meta.TransferSyntaxUID
    h, w = img.shape[:2]
    tiles = tiles_of(img, tw, th)
    sparse = sparse_drop is not None or shuffle_seed is not None
    if sparse:
        tiles = [t for t in tiles if (t[0], t[1]) not in (sparse_drop or set())]
        if shuffle_seed is not None:
            order = np.random.default_rng(shuffle_seed).permutation(len(tiles))
            tiles = [tiles[i] for i in order]
        ds.DimensionOrganizationType = "TILED_SPARSE"
        per_frame = []
        for c, r, _ in tiles:
            fg = Dataset()
            pp = Dataset()
            pp.ColumnPositionInTotalImagePixelMatrix = c * tw + 1
            pp.RowPositionInTotalImagePixelMatrix = r * th + 1
            pp.XOffsetInSlideCoordinateSystem = "%g" % (c * tw * 0.00025)
            pp.YOffsetInSlideCoordinateSystem = "%g" % (r * th * 0.00025)
            pp.ZOffsetInSlideCoordinateSystem = "0"
            fg.PlanePositionSlideSequence = Sequence([pp])
            per_frame.append(fg)
        ds.PerFrameFunctionalGroupsSequence = Sequence(per_frame)
    ds.Rows = th
    ds.Columns = tw
    ds.TotalPixelMatrixColumns = w
    ds.TotalPixelMatrixRows = h
    ds.NumberOfFrames = len(tiles)
    frames = [encode(t, syntax, ds.PhotometricInterpretation) for _, _, t in tiles]
    if syntax == TS_NATIVE:
        ds.PixelData = b"".join(frames)
        ds["PixelData"].VR = "OB"
    else:
        ds.PixelData = encapsulate(frames, has_bot=True)
        ds["PixelData"].VR = "OB"
        ds["PixelData"].is_undefined_length = True
    ds.is_little_endian = True
    ds.is_implicit_VR = False
    ds.save_as(path, write_like_original=False)


def pyramid(img, n):
    out = [img]
    for _ in range(n - 1):
        out.append(downsample2(out[-1]))
    return out


def make_jpeg_ybr(d):
    series = 11
    levels = pyramid(slide_pixels(700, 500, 1), 3)
    files = []
    for i, (img, t) in enumerate(zip(levels, (256, 256, 128))):
        ds = base_dataset(series, i + 1, "VOLUME", TS_JPEG, "YBR_FULL_422", ["0.00025", "0.00026"] if i == 0 else
                          ["%g" % (0.00025 * 2 ** i), "%g" % (0.00026 * 2 ** i)], barcode="ST-BARCODE-11")
        if i == 0:
            ds.add_new(Tag(0x0009, 0x0010), "LO", "SLIDETILE")  # private creator: not in the dictionary
            ds.add_new(Tag(0x0009, 0x1001), "LO", "private value")
            ds.ImageComments = "level zero\r\nsecond line "
            ds.ImagedVolumeWidth = 0.175
        name = "level-%d.dcm" % i
        write_image(os.path.join(d, name), ds, img, t, t)
        files.append(name)
    for n, (flavor, w, h, seed) in enumerate((("LABEL", 200, 180, 5), ("OVERVIEW", 300, 120, 6),
                                              ("THUMBNAIL", 175, 125, 7))):
        ds = base_dataset(series, 10 + n, flavor, TS_JPEG, "YBR_FULL_422", ["0.01", "0.01"], with_icc=n != 0)
        img = slide_pixels(w, h, seed) if flavor != "THUMBNAIL" else levels[2]
        name = flavor.lower() + ".dcm"
        write_image(os.path.join(d, name), ds, img, w, h)
        files.append(name)
    # another series in the same folder: never part of this slide
    other = base_dataset(99, 1, "VOLUME", TS_JPEG, "YBR_FULL_422", ["0.0005", "0.0005"])
    write_image(os.path.join(d, "other-series.dcm"), other, slide_pixels(64, 64, 9), 64, 64)
    files.append("other-series.dcm")
    return files


def make_one_file(d):
    img = downsample2(slide_pixels(700, 500, 1))
    ds = base_dataset(18, 2, "VOLUME", TS_JPEG, "YBR_FULL_422", ["0.0005", "0.00052"])
    write_image(os.path.join(d, "level-1.dcm"), ds, img, 256, 256)
    return ["level-1.dcm"]


def make_jpeg_rgb(d):
    ds = base_dataset(12, 1, "VOLUME", TS_JPEG, "RGB", ["0.0005", "0.0005"], with_icc=False)
    write_image(os.path.join(d, "slide.dcm"), ds, slide_pixels(600, 400, 2), 256, 256)
    return ["slide.dcm"]


def make_sparse(d):
    files = []
    img = slide_pixels(800, 600, 3)
    drops = ({(1, 0), (2, 1), (3, 2), (0, 4), (4, 4)}, {(1, 1)})
    for i, (lvl, drop) in enumerate(zip(pyramid(img, 2), drops)):
        ds = base_dataset(13, i + 1, "VOLUME", TS_JPEG, "YBR_FULL_422", ["%g" % (0.0005 * 2 ** i)] * 2)
        name = "level-%d.dcm" % i
        write_image(os.path.join(d, name), ds, lvl, 160, 128, sparse_drop=drop, shuffle_seed=30 + i)
        files.append(name)
    return files


def make_j2k_lossy(d):
    files = []
    for i, lvl in enumerate(pyramid(slide_pixels(640, 480, 4), 2)):
        ds = base_dataset(14, i + 1, "VOLUME", TS_J2K, "YBR_ICT", ["%g" % (0.0005 * 2 ** i)] * 2)
        name = "level-%d.dcm" % i
        write_image(os.path.join(d, name), ds, lvl, 256, 256)
        files.append(name)
    return files


def make_j2k_lossless(d):
    files = []
    for i, (lvl, pi) in enumerate(zip(pyramid(slide_pixels(520, 300, 5), 2), ("RGB", "YBR_RCT"))):
        ds = base_dataset(15, i + 1, "VOLUME", TS_J2K_LOSSLESS, pi, ["%g" % (0.0005 * 2 ** i)] * 2)
        name = "level-%d.dcm" % i
        write_image(os.path.join(d, name), ds, lvl, 200, 200)
        files.append(name)
    return files


def make_native(d):
    files = []
    for i, lvl in enumerate(pyramid(slide_pixels(500, 380, 6), 2)):
        ds = base_dataset(16, i + 1, "VOLUME", TS_NATIVE, "RGB", ["%g" % (0.0005 * 2 ** i)] * 2)
        for kw in ("SharedFunctionalGroupsSequence", "OpticalPathSequence", "ContainerTypeCodeSequence"):
            ds[kw].is_undefined_length = True
        name = "level-%d.dcm" % i
        write_image(os.path.join(d, name), ds, lvl, 128, 96)
        files.append(name)
    label = base_dataset(16, 9, "LABEL", TS_NATIVE, "RGB", ["0.01", "0.01"])
    write_image(os.path.join(d, "label.dcm"), label, slide_pixels(90, 70, 8), 90, 70)
    return files + ["label.dcm"]


def make_concat(d):
    img = slide_pixels(600, 400, 10)
    tiles = tiles_of(img, 128, 128)
    files, offset = [], 0
    for n, part in enumerate((tiles[:12], tiles[12:])):
        ds = base_dataset(19, 1, "VOLUME", TS_JPEG, "YBR_FULL_422", ["0.0005", "0.0005"])
        ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = uid(19, 1, n + 1)
        ds.SOPInstanceUIDOfConcatenationSource = uid(19, 1)
        ds.ConcatenationUID = uid(19, 0, 3)
        ds.InConcatenationNumber = n + 1
        ds.InConcatenationTotalNumber = 2
        ds.ConcatenationFrameOffsetNumber = offset
        ds.Rows = ds.Columns = 128
        ds.TotalPixelMatrixColumns, ds.TotalPixelMatrixRows = 600, 400
        ds.NumberOfFrames = len(part)
        ds.PixelData = encapsulate([encode(t, TS_JPEG, "YBR_FULL_422") for _, _, t in part], has_bot=True)
        ds["PixelData"].VR = "OB"
        ds["PixelData"].is_undefined_length = True
        ds.is_little_endian = True
        ds.is_implicit_VR = False
        # the second part first: the slide is the same whichever part is opened
        name = "level-0-part-%d.dcm" % (2 - n)
        ds.save_as(os.path.join(d, name), write_like_original=False)
        files.append(name)
        offset += len(part)
    ds = base_dataset(19, 2, "VOLUME", TS_JPEG, "YBR_FULL_422", ["0.001", "0.001"])
    write_image(os.path.join(d, "level-1.dcm"), ds, downsample2(img), 128, 128)
    return sorted(files, reverse=True) + ["level-1.dcm"]


def make_ct(d):
    ds = Dataset()
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = CT_CLASS
    meta.MediaStorageSOPInstanceUID = uid(17, 1)
    meta.TransferSyntaxUID = TS_NATIVE
    meta.ImplementationClassUID = uid(0, 1)
    ds.file_meta = meta
    ds.SOPClassUID = CT_CLASS
    ds.SOPInstanceUID = uid(17, 1)
    ds.Modality = "CT"
    ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
    ds.StudyInstanceUID = uid(17, 0, 1)
    ds.SeriesInstanceUID = uid(17)
    ds.PatientName = "Phantom^CT"
    ds.Rows = 64
    ds.Columns = 64
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated = 16
    ds.BitsStored = 12
    ds.HighBit = 11
    ds.PixelRepresentation = 0
    ds.RescaleIntercept = "-1024"
    ds.RescaleSlope = "1"
    y, x = np.mgrid[0:64, 0:64]
    ds.PixelData = (((x - 32) ** 2 + (y - 32) ** 2 < 400) * 1000 + 24).astype("<u2").tobytes()
    ds.is_little_endian = True
    ds.is_implicit_VR = False
    ds.save_as(os.path.join(d, "ct-slice.dcm"), write_like_original=False)
    return ["ct-slice.dcm"]


# id -> (generator, vendor OpenSlide 4.0.1 reports or None when it must refuse, format)
SAMPLES = {
    "dicom-jpeg-ybr": (make_jpeg_ybr, "dicom", "DICOM WSI (JPEG YBR_FULL_422, 3 files, label/macro/thumbnail)"),
    "dicom-one-file": (make_one_file, "dicom", "DICOM WSI (one level file of a pyramid, alone)"),
    "dicom-jpeg-rgb": (make_jpeg_rgb, "dicom", "DICOM WSI (JPEG RGB)"),
    "dicom-sparse": (make_sparse, "dicom", "DICOM WSI (TILED_SPARSE with holes)"),
    "dicom-j2k-lossy": (make_j2k_lossy, "dicom", "DICOM WSI (JPEG 2000 lossy, YBR_ICT)"),
    "dicom-j2k-lossless": (make_j2k_lossless, "dicom", "DICOM WSI (JPEG 2000 reversible, RGB and YBR_RCT)"),
    "dicom-native": (make_native, "dicom", "DICOM WSI (uncompressed)"),
    "dicom-concat": (make_concat, "dicom", "DICOM WSI (level 0 a concatenation of two files)"),
    "dicom-ct": (make_ct, None, "DICOM CT slice (not a whole-slide image)"),
}


def generator_hash():
    h = hashlib.sha256()
    with open(os.path.abspath(__file__), "rb") as f:
        h.update(f.read())
    h.update(pydicom.__version__.encode())
    return h.hexdigest()[:16]


def main(argv):
    outdir = argv[1] if len(argv) > 1 else ".cache/samples-dicom"
    os.makedirs(outdir, exist_ok=True)
    gen = generator_hash()
    make_cached(outdir, SAMPLES, gen, "samples-dicom.json", "samples-dicom")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
