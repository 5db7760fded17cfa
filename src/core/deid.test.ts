// De-identification by default: the table and the generic rule on real vendors' property sets.
import { describe, expect, it } from 'vitest';
import { deidentifyProperties, identifyingValues, IDENTIFYING_PROPERTIES, rewriteAperioDescription } from './deid.ts';

// CMU-1-Small-Region.svs (OpenSlide's public test data), abridged to what matters
const cmuDescription =
  'Aperio Image Library v11.2.1 \r\n46000x32914 [42673,5576 2220x2967] (240x240) JPEG/RGB Q=30;Aperio Image Library v10.0.51\r\n46920x33014 [0,100 46000x32914] (256x256) JPEG/RGB Q=30|AppMag = 20|StripeWidth = 2040|ScanScope ID = CPAPERIOCS|Filename = CMU-1|Date = 12/29/09|Time = 09:59:15|User = b414003d-95c6-48b0-9369-8010ed517ba7|Parmset = USM Filter|MPP = 0.4990|Left = 25.691574|Top = 23.449873|ImageID = 1004486|OriginalWidth = 46920';
const cmu: Record<string, string> = {
  'aperio.AppMag': '20',
  'aperio.Date': '12/29/09',
  'aperio.Filename': 'CMU-1',
  'aperio.ImageID': '1004486',
  'aperio.MPP': '0.4990',
  'aperio.ScanScope ID': 'CPAPERIOCS',
  'aperio.Time': '09:59:15',
  'aperio.User': 'b414003d-95c6-48b0-9369-8010ed517ba7',
  'openslide.comment': cmuDescription,
  'tiff.ImageDescription': cmuDescription,
  'openslide.mpp-x': '0.499',
  'openslide.mpp-y': '0.499',
  'openslide.objective-power': '20',
  'openslide.level-count': '1',
  'openslide.level[0].width': '2220',
  'openslide.quickhash-1': '6335ea0e6cc54c2cba64bb265d3c713a50cd84484924e3a9c109558c13521d5c',
  'openslide.vendor': 'aperio',
  'tiff.ResolutionUnit': 'inch',
};

describe('deidentifyProperties', () => {
  it('Aperio: drops date, time, user, scanner, file name and image id — also inside the description', () => {
    const d = deidentifyProperties(cmu);
    const text = JSON.stringify(d.properties);
    for (const v of ['12/29/09', '09:59:15', 'b414003d-95c6-48b0-9369-8010ed517ba7', 'CPAPERIOCS', 'CMU-1', '1004486']) expect(text).not.toContain(v);
    // what the recipe and a model need stays: magnification, µm/px, geometry, the vendor
    // (and the content hash, which names no one and proves which slide a dataset came from)
    for (const k of ['aperio.AppMag', 'aperio.MPP', 'openslide.mpp-x', 'openslide.objective-power', 'openslide.level[0].width', 'openslide.vendor', 'tiff.ResolutionUnit', 'openslide.quickhash-1']) expect(d.properties[k]).toBe(cmu[k]);
    expect(d.properties['openslide.comment']).toContain('AppMag = 20');
    expect(d.properties['openslide.comment']).toContain('MPP = 0.4990');
    expect(d.rewritten).toEqual(['openslide.comment', 'tiff.ImageDescription']);
    expect(new Set(identifyingValues(d))).toEqual(new Set(['12/29/09', '09:59:15', 'b414003d-95c6-48b0-9369-8010ed517ba7', 'CPAPERIOCS', 'CMU-1', '1004486']));
  });

  it('Hamamatsu: dates, serials, the slide reference, and the shading blob that embeds a date and a serial', () => {
    const d = deidentifyProperties({
      'hamamatsu.Created': '2011/05/23',
      'hamamatsu.Updated': '2011/05/23',
      'hamamatsu.Reference': 'S11-1234 A1',
      'hamamatsu.NDP.S/N': '950291',
      'hamamatsu.SourceLens': '20',
      'hamamatsu.;NDP Shading Data\r;Version': '0004\r;ID=6\r;Date=2017/01/27\r;SerialNumber=950291\r',
      'tiff.DateTime': '2011:05:23 10:11:12',
      'tiff.Make': 'Hamamatsu',
      'tiff.Model': 'C9600-12',
    });
    expect(Object.keys(d.properties).sort()).toEqual(['hamamatsu.SourceLens', 'tiff.Make', 'tiff.Model']);
    expect(d.removed.find((r) => r.key === 'hamamatsu.NDP.S/N')?.kind).toBe('scanner');
  });

  it('Philips and DICOM: patient, study, accession, people and serials go; optics stay', () => {
    const d = deidentifyProperties({
      'philips.DICOM_PATIENT_NAME': 'DOE^JANE',
      'philips.DICOM_PATIENT_ID': '12345678',
      'philips.DICOM_ACCESSION_NUMBER': 'A-99',
      'philips.DICOM_STUDY_DATE': '20200101',
      'philips.DICOM_DEVICE_SERIAL_NUMBER': 'FMT0123',
      'philips.PIM_DP_UFS_BARCODE': 'MTIzNDU=',
      'philips.DICOM_PIXEL_SPACING': '"0.000250" "0.000250"',
      'dicom.PatientName': 'DOE^JOHN',
      'dicom.ContainerIdentifier': 'SLIDE-7',
      'dicom.SeriesInstanceUID': '1.2.3.4',
      'dicom.ImagedVolumeWidth': '15.0',
      'leica.barcode': '0123',
      'leica.creation-date': '2013-01-01T00:00:00',
      'leica.objective': '20',
      'mirax.GENERAL.SLIDE_NAME': 'case 17',
      'mirax.GENERAL.SLIDE_CREATIONDATETIME': '17/05/2011 10:10:10',
      'mirax.GENERAL.OBJECTIVE_MAGNIFICATION': '20',
    });
    expect(Object.keys(d.properties).sort()).toEqual(['dicom.ImagedVolumeWidth', 'leica.objective', 'mirax.GENERAL.OBJECTIVE_MAGNIFICATION', 'philips.DICOM_PIXEL_SPACING']);
  });

  it('a vendor nobody listed: keys that name dates, people, ids or serials are dropped by the generic rule', () => {
    const d = deidentifyProperties({ 'newvendor.ScanDate': 'x', 'newvendor.OperatorName': 'y', 'newvendor.SlideBarcode': 'z', 'newvendor.Magnification': '40' });
    expect(Object.keys(d.properties)).toEqual(['newvendor.Magnification']);
  });

  it('free text that is not Aperio’s is dropped whole', () => {
    const d = deidentifyProperties({ 'openslide.comment': 'scanned for Dr. Smith, case 2020-17', 'tiff.ImageDescription': '' });
    expect(d.properties).toEqual({});
    expect(d.removed.map((r) => r.kind)).toEqual(['free-text']);
  });
});

describe('the table', () => {
  it('every entry says its kind, its vendor and why', () => {
    for (const r of IDENTIFYING_PROPERTIES) {
      expect(r.why.length).toBeGreaterThan(3);
      expect(r.vendor).toMatch(/^[a-z]+$/);
    }
  });
  it('rewriteAperioDescription leaves a description without identifying fields as it is', () => {
    const t = 'Aperio Image Library v10\r\n100x100 (256x256) JPEG/RGB Q=70|AppMag = 40|MPP = 0.25';
    expect(rewriteAperioDescription(t)).toEqual({ text: t, removed: [] });
    expect(rewriteAperioDescription('not aperio')).toBeNull();
  });
});
