// De-identification of slide properties (issue 12): what an export may carry out of the hospital.
// One table of the properties that identify a patient, a person, a date or time, a scanner unit or
// an original file, per vendor, learned from each format's documentation (OpenSlide's format pages,
// Aperio's ImageDescription, Hamamatsu NDPI tags, Leica SCN XML, MIRAX Slidedat.ini, Philips' DICOM
// attributes, Ventana BIF XML, DICOM WSI) and from the samples in ../shared/slides. A second,
// generic rule catches the same kinds of key in any vendor's namespace, so a property nobody listed
// is dropped rather than leaked: the table explains, the rule protects.
//
// Free text (openslide.comment, tiff.ImageDescription) can hold anything: Aperio's is parsed and
// rewritten without its identifying fields; any other is dropped whole.

// openslide.quickhash-1 (a hash of the slide's pixels and metadata) is kept: it names no one, and it
// is how a dataset proves which slide it came from (re-opening an export checks it).
export type IdentifyingKind = 'patient' | 'person' | 'date-time' | 'scanner' | 'file-name' | 'slide-id' | 'free-text';

export interface IdentifyingRule {
  /** property name, exact or a pattern over the full name */
  key: string | RegExp;
  kind: IdentifyingKind;
  /** the format it belongs to, for the table in the README */
  vendor: string;
  why: string;
}

export const IDENTIFYING_PROPERTIES: readonly IdentifyingRule[] = [
  // Aperio SVS: the ImageDescription's "key = value" fields, as aperio.<key>
  { vendor: 'aperio', key: 'aperio.Date', kind: 'date-time', why: 'scan date' },
  { vendor: 'aperio', key: 'aperio.Time', kind: 'date-time', why: 'scan time' },
  { vendor: 'aperio', key: 'aperio.Time Zone', kind: 'date-time', why: 'scan time zone' },
  { vendor: 'aperio', key: 'aperio.User', kind: 'person', why: 'operator account (a GUID per user)' },
  { vendor: 'aperio', key: 'aperio.ScanScope ID', kind: 'scanner', why: 'scanner unit name' },
  { vendor: 'aperio', key: 'aperio.DSR ID', kind: 'scanner', why: 'image server that stored the scan' },
  { vendor: 'aperio', key: 'aperio.Filename', kind: 'file-name', why: 'original file name, often a case number' },
  { vendor: 'aperio', key: 'aperio.ImageID', kind: 'slide-id', why: 'image database id' },
  { vendor: 'aperio', key: 'aperio.Barcode', kind: 'slide-id', why: 'slide label barcode' },
  { vendor: 'aperio', key: 'aperio.Rack', kind: 'slide-id', why: 'scanner rack position of the slide' },
  { vendor: 'aperio', key: 'aperio.Slide', kind: 'slide-id', why: 'slide position / label' },
  { vendor: 'aperio', key: 'aperio.Title', kind: 'slide-id', why: 'free title, often the case' },
  // Hamamatsu NDPI / VMS
  { vendor: 'hamamatsu', key: 'hamamatsu.Reference', kind: 'slide-id', why: 'slide reference (barcode text)' },
  { vendor: 'hamamatsu', key: 'hamamatsu.Created', kind: 'date-time', why: 'scan date' },
  { vendor: 'hamamatsu', key: 'hamamatsu.Updated', kind: 'date-time', why: 'modification date' },
  { vendor: 'hamamatsu', key: 'hamamatsu.NDP.S/N', kind: 'scanner', why: 'scanner serial number' },
  { vendor: 'hamamatsu', key: 'hamamatsu.Macro.S/N', kind: 'scanner', why: 'macro camera serial number' },
  { vendor: 'hamamatsu', key: 'hamamatsu.roi.barcode.macro', kind: 'slide-id', why: 'where the barcode is on the macro image' },
  { vendor: 'hamamatsu', key: 'hamamatsu.exposure.barcode.macro', kind: 'slide-id', why: 'barcode exposure (names the barcode region)' },
  // Leica SCN
  { vendor: 'leica', key: 'leica.barcode', kind: 'slide-id', why: 'slide barcode' },
  { vendor: 'leica', key: 'leica.creation-date', kind: 'date-time', why: 'scan date' },
  { vendor: 'leica', key: 'leica.device-version', kind: 'scanner', why: 'scanner unit firmware and serial' },
  // MIRAX (3DHISTECH) Slidedat.ini
  { vendor: 'mirax', key: 'mirax.GENERAL.SLIDE_ID', kind: 'slide-id', why: 'slide id' },
  { vendor: 'mirax', key: 'mirax.GENERAL.SLIDE_NAME', kind: 'slide-id', why: 'slide name, often the case' },
  { vendor: 'mirax', key: 'mirax.GENERAL.PROJECT_NAME', kind: 'slide-id', why: 'project name' },
  { vendor: 'mirax', key: 'mirax.GENERAL.SLIDE_CREATIONDATETIME', kind: 'date-time', why: 'scan date and time' },
  { vendor: 'mirax', key: 'mirax.GENERAL.SLIDE_UTC_CREATIONDATETIME', kind: 'date-time', why: 'scan date and time (UTC)' },
  { vendor: 'mirax', key: /^mirax\.GENERAL\.(SCANNER_HARDWARE_ID|SCANNER_SERIAL|CAMERA_.*SERIAL.*)$/, kind: 'scanner', why: 'scanner and camera serials' },
  // Philips TIFF: DICOM attributes as philips.DICOM_*
  { vendor: 'philips', key: /^philips\.DICOM_PATIENT_/, kind: 'patient', why: 'patient name, id, birth date, sex' },
  { vendor: 'philips', key: /^philips\.DICOM_(STUDY|SERIES|ACQUISITION|CONTENT)_(DATE|TIME|DATETIME)$/, kind: 'date-time', why: 'study and acquisition dates' },
  { vendor: 'philips', key: /^philips\.DICOM_(DATE|TIME)_OF_LAST_CALIBRATION$/, kind: 'date-time', why: 'calibration date (dates the scan)' },
  { vendor: 'philips', key: /^philips\.DICOM_(ACCESSION_NUMBER|STUDY_ID|STUDY_INSTANCE_UID|SERIES_INSTANCE_UID|SOP_INSTANCE_UID)$/, kind: 'slide-id', why: 'accession number and study/series/instance UIDs' },
  { vendor: 'philips', key: /^philips\.DICOM_(INSTITUTION_NAME|INSTITUTION_ADDRESS|REFERRING_PHYSICIAN_NAME|OPERATORS_NAME)$/, kind: 'person', why: 'institution and people' },
  { vendor: 'philips', key: 'philips.DICOM_DEVICE_SERIAL_NUMBER', kind: 'scanner', why: 'scanner serial number' },
  { vendor: 'philips', key: 'philips.PIM_DP_UFS_BARCODE', kind: 'slide-id', why: 'slide barcode' },
  // Ventana BIF (iScan XML attributes)
  { vendor: 'ventana', key: /^ventana\.(UnitNumber|ScannerSerial.*)$/, kind: 'scanner', why: 'scanner unit number' },
  { vendor: 'ventana', key: /^ventana\.(UserName|User)$/, kind: 'person', why: 'operator' },
  { vendor: 'ventana', key: /^ventana\.(BuildDate|ScanDate|ScanTime|Date|Time)$/, kind: 'date-time', why: 'scan date' },
  { vendor: 'ventana', key: /^ventana\.(Barcode.*|SlideId|Slide-Label|Label.*)$/, kind: 'slide-id', why: 'slide barcode and label' },
  // DICOM WSI (OpenSlide 4: dicom.<keyword>)
  { vendor: 'dicom', key: /^dicom\.Patient/, kind: 'patient', why: 'patient name, id, birth date, sex, age' },
  { vendor: 'dicom', key: /^dicom\.(Study|Series|Acquisition|Content|InstanceCreation)(Date|Time|DateTime)$/, kind: 'date-time', why: 'study and acquisition dates' },
  { vendor: 'dicom', key: /^dicom\.(AccessionNumber|StudyID|StudyInstanceUID|SeriesInstanceUID|SOPInstanceUID|FrameOfReferenceUID|ContainerIdentifier|SpecimenIdentifier|SpecimenUID)$/, kind: 'slide-id', why: 'accession number, UIDs, slide and specimen ids' },
  { vendor: 'dicom', key: /^dicom\.(InstitutionName|InstitutionAddress|ReferringPhysicianName|OperatorsName|PerformingPhysicianName)$/, kind: 'person', why: 'institution and people' },
  { vendor: 'dicom', key: /^dicom\.(DeviceSerialNumber|StationName|DeviceUID)$/, kind: 'scanner', why: 'scanner unit' },
  // Sakura
  { vendor: 'sakura', key: /^sakura\.(SlideId|Date|Time|UserName)$/, kind: 'slide-id', why: 'slide id, scan date, operator' },
  // any TIFF
  { vendor: 'tiff', key: 'tiff.DateTime', kind: 'date-time', why: 'file creation date (the scan date)' },
  { vendor: 'tiff', key: 'tiff.Artist', kind: 'person', why: 'author' },
  { vendor: 'tiff', key: 'tiff.HostComputer', kind: 'scanner', why: 'computer that wrote the file' },
  { vendor: 'tiff', key: 'tiff.DocumentName', kind: 'file-name', why: 'original document name' },
];

/**
 * Kinds of key that identify whatever the vendor: checked on the part after the vendor prefix. A
 * property that matches is dropped even when the table does not list it.
 */
const GENERIC = /(patient|birth|accession|barcode|physician|operator|institution|user(name)?$|\bname$|_name$|serial|s\/n$|date|time(?!r)|filename|file name|uid$|\bid$|_id$| id$|reference|label)/i;

/**
 * Properties kept although the generic rule would catch their names: geometry, optics and structure
 * only (MIRAX's objective name, its layer names such as "Slide zoom level", the barcode image's format).
 */
const SAFE = /^(openslide\.(vendor|quickhash-1|mpp-[xy]|objective-power|level-count|level\[\d+\]\.\w+(-\w+)?|bounds-(x|y|width|height)|background-color|icc-size|associated\.[^.]+\.(width|height))|tiff\.(ResolutionUnit|XResolution|YResolution|Make|Model|Software)|aperio\.(AppMag|MPP|Exposure Time|Exposure Scale|StripeWidth|Left|Top|LineCameraSkew|LineAreaXOffset|LineAreaYOffset|Focus Offset|OriginalWidth|OriginalHeight|Originalheight|Filtered|Parmset|ICC Profile|DisplayColor|SessionMode)|hamamatsu\.(variable\.exposuretime|exposure\.slide\.(macro|darkfield\.macro)|target\.white\.intensity)|mirax\.(GENERAL\.OBJECTIVE_NAME|HIERARCHICAL\.(NON)?HIER_\d+_NAME|[^.]+\.BARCODE_IMAGE_TYPE))$/;

const FREE_TEXT = new Set(['openslide.comment', 'tiff.ImageDescription']);

/**
 * A value that is itself a blob of fields naming dates, serials, ids or people (Hamamatsu stores its
 * shading data as one property: "…;Date=2017/01/27\r;SerialNumber=950291…"): dropped like free text.
 */
const EMBEDDED_FIELDS = /(?:^|[;\r\n|,&])\s*(?:\w*Date\w*|\w*Time\w*|Serial\w*|\w*Barcode\w*|User\w*|Operator\w*|Patient\w*)\s*[=:]/i;

export interface RemovedProperty {
  key: string;
  kind: IdentifyingKind;
  why: string;
  /** the value that was removed (for the app's "removed" list and for tests; never exported) */
  value: string;
}

export interface Deidentified {
  properties: Record<string, string>;
  removed: RemovedProperty[];
  /** free-text properties rewritten without their identifying fields (Aperio's description) */
  rewritten: string[];
}

function ruleFor(key: string): IdentifyingRule | null {
  for (const r of IDENTIFYING_PROPERTIES) if (typeof r.key === 'string' ? r.key === key : r.key.test(key)) return r;
  if (SAFE.test(key)) return null;
  const local = key.includes('.') ? key.slice(key.indexOf('.') + 1) : key;
  if (GENERIC.test(local)) return { vendor: key.split('.')[0], key, kind: 'slide-id', why: 'its name says it identifies (a date, a person, an id, a serial or a file)' };
  return null;
}

/**
 * Aperio's ImageDescription: "Aperio Image Library v…\r\n<geometry>|Key = Value|…". The fields the
 * table lists come out; the rest (magnification, µm/px, geometry) stay. Null when the text is not
 * Aperio's.
 */
export function rewriteAperioDescription(text: string): { text: string; removed: { key: string; value: string }[] } | null {
  if (!/^Aperio/.test(text) || !text.includes('|')) return null;
  const parts = text.split('|');
  const kept = [parts[0]];
  const removed: { key: string; value: string }[] = [];
  for (const p of parts.slice(1)) {
    const m = /^\s*([^=]+?)\s*=\s*(.*)$/s.exec(p);
    if (m && ruleFor(`aperio.${m[1]}`)) removed.push({ key: m[1], value: m[2] });
    else kept.push(p);
  }
  return { text: kept.join('|'), removed };
}

/** The properties an export may carry by default, and what was taken out (with why). */
export function deidentifyProperties(properties: Readonly<Record<string, string>>): Deidentified {
  const out: Record<string, string> = {};
  const removed: RemovedProperty[] = [];
  const rewritten: string[] = [];
  for (const [key, value] of Object.entries(properties)) {
    if (FREE_TEXT.has(key)) {
      const r = rewriteAperioDescription(value);
      if (r) {
        out[key] = r.text;
        if (r.removed.length > 0) rewritten.push(key);
        for (const f of r.removed) removed.push({ key: `${key} → ${f.key}`, kind: ruleFor(`aperio.${f.key}`)!.kind, why: `inside the description: ${ruleFor(`aperio.${f.key}`)!.why}`, value: f.value });
      } else if (value.trim() !== '') {
        removed.push({ key, kind: 'free-text', why: 'free text that may hold anything (names, dates, case numbers)', value });
      }
      continue;
    }
    const rule = ruleFor(key);
    if (rule) removed.push({ key, kind: rule.kind, why: rule.why, value });
    else if (EMBEDDED_FIELDS.test(value)) removed.push({ key, kind: 'free-text', why: 'a block of fields that includes dates, serials or names', value });
    else out[key] = value;
  }
  return { properties: out, removed, rewritten };
}

/**
 * The values an export must not contain once de-identified: every removed value long enough to be
 * specific (a value of 1–3 characters, such as a flag, matches anywhere and identifies nobody).
 */
export function identifyingValues(d: Deidentified): string[] {
  return [...new Set(d.removed.map((r) => r.value.trim()).filter((v) => v.length >= 4))];
}
