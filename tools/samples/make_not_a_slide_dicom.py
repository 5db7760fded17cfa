#!/usr/bin/python3
"""A DICOM file that is not a whole-slide image: one 16x16 CT slice (CT Image
Storage, 1.2.840.10008.5.1.4.1.1.2), for the refusal tests (src/engine/bad-files.test.ts,
e2e/bad.spec.ts): Slidetile must say "a DICOM file but not a whole-slide image",
not "not supported yet" as for a DICOM slide.

Usage: /usr/bin/python3 make_not_a_slide_dicom.py OUT.dcm
Needs Debian's python3-pydicom. Fixed UIDs and pixels: every run writes the same bytes.
"""
import sys

from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian

CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2"
# under the "2.25" root (a UUID as an integer): fixed so the file is reproducible
INSTANCE = "2.25.131977430846711624119463315282385409641"


def main(out):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = CT_IMAGE_STORAGE
    meta.MediaStorageSOPInstanceUID = INSTANCE
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    meta.ImplementationClassUID = "2.25.1"
    ds = FileDataset(out, Dataset(), file_meta=meta, preamble=b"\0" * 128)
    ds.SOPClassUID = CT_IMAGE_STORAGE
    ds.SOPInstanceUID = INSTANCE
    ds.StudyInstanceUID = INSTANCE + ".1"
    ds.SeriesInstanceUID = INSTANCE + ".2"
    ds.Modality = "CT"
    ds.PatientName = "Phantom^Slice"
    ds.Rows = ds.Columns = 16
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated = ds.BitsStored = 16
    ds.HighBit = 15
    ds.PixelRepresentation = 0
    ds.PixelData = bytes((i * 7) & 0xFF for i in range(16 * 16 * 2))
    ds.is_little_endian = True
    ds.is_implicit_VR = False
    ds.save_as(out, write_like_original=False)


if __name__ == "__main__":
    main(sys.argv[1])
