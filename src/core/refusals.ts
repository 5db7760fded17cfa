// Why a file was refused, in words a user can act on: the one table of likely causes. OpenSlide 3.4.1
// says "Unsupported or missing image file" for almost every file it does not take, so the cause is
// read from the facts around it — the file names given together, the file's own bytes (sniff.ts),
// the engine's error code — while OpenSlide's own reason stays part of the answer, never replaced.
// Pure: the engine supplies the facts (engine/refusal.ts), the UI and the CLI show the result.
import { DICOM_VL_WHOLE_SLIDE, type FileFacts } from './sniff.ts';

export type RefusalKind =
  | 'empty'
  | 'truncated'
  | 'not-a-slide'
  | 'unknown-format'
  | 'strip-tiff'
  | 'ome-tiff'
  | 'qptiff'
  | 'olympus-vsi'
  | 'dicom-wsi'
  | 'dicom-not-wsi'
  | 'mirax-no-folder'
  | 'mirax-damaged'
  | 'vms-missing-images'
  | 'missing-companion'
  | 'unsupported-compression'
  | 'damaged-data'
  | 'damaged-structure'
  | 'engine'
  | 'annotation';

export interface Refusal {
  kind: RefusalKind;
  /** the user's file at fault (their path or name, never a path inside the engine) */
  file: string;
  /** the likely cause: one sentence, capitalised unless it starts with the file's name, no final stop */
  cause: string;
  /** what to do about it: one capitalised sentence, no final stop */
  advice: string;
  /** OpenSlide's (or the engine's) own words, shown as they are */
  openslideReason: string;
}

export interface RefusalInput {
  /** the user's path of the file the engine opened */
  main: string;
  /** every user path given with it (a drop, a folder, or the files beside it), main included */
  files: readonly string[];
  /** the EngineError code: unsupported-format, corrupt-slide, read-failed, … */
  code: string;
  /** OpenSlide's message, with the user's paths (engine/files.ts userPaths) */
  reason: string;
  /** the main file's bytes, or null when they could not be read */
  facts: FileFacts | null;
}

const base = (p: string) => p.split(/[\\/]/).pop() ?? p;
const ext = (p: string) => (/\.[^./\\]+$/.exec(p.toLowerCase()) ?? [''])[0];
const stem = (p: string) => p.replace(/\.[^./\\]+$/, '');
const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n) + '…' : s);
const bytes = (n: number) => `${n.toLocaleString('en-US')} byte${n === 1 ? '' : 's'}`;
const VIPS = '`vips tiffsave IN OUT.tif --tile --pyramid --compression jpeg`';
const TO_TILED_TIFF = `Convert it to a tiled pyramidal TIFF (e.g. ${VIPS}) and open that`;

// the classes a stray DICOM file most often is (PS3.4 Annex B); others are shown by their UID
const DICOM_CLASSES: Record<string, string> = {
  '1.2.840.10008.5.1.4.1.1.1': 'Computed Radiography',
  '1.2.840.10008.5.1.4.1.1.1.1': 'Digital X-Ray',
  '1.2.840.10008.5.1.4.1.1.2': 'CT Image',
  '1.2.840.10008.5.1.4.1.1.2.1': 'Enhanced CT Image',
  '1.2.840.10008.5.1.4.1.1.4': 'MR Image',
  '1.2.840.10008.5.1.4.1.1.4.1': 'Enhanced MR Image',
  '1.2.840.10008.5.1.4.1.1.6.1': 'Ultrasound Image',
  '1.2.840.10008.5.1.4.1.1.7': 'Secondary Capture Image',
  '1.2.840.10008.5.1.4.1.1.77.1.2': 'VL Microscopic Image',
  '1.2.840.10008.5.1.4.1.1.77.1.3': 'VL Slide-Coordinates Microscopic Image',
  '1.2.840.10008.5.1.4.1.1.88.11': 'Basic Text SR',
  '1.2.840.10008.5.1.4.1.1.104.1': 'Encapsulated PDF',
};

/** The file named by OpenSlide's "Couldn't open FILE: …", when it is not the main file itself. */
function missingFile(reason: string, main: string): string | null {
  const m = /Couldn't open (.+?): /.exec(reason);
  if (!m) return null;
  return base(m[1]) === base(main) ? null : m[1];
}

/** Files given under the MIRAX folder that belongs to `mrxs` (same name without .mrxs, beside it). */
function hasMiraxFolder(mrxs: string, files: readonly string[]): boolean {
  const folder = stem(mrxs).toLowerCase() + '/';
  return files.some((f) => f.toLowerCase().startsWith(folder));
}

export function explainRefusal(input: RefusalInput): Refusal {
  const { main, files, code, reason, facts } = input;
  const name = base(main);
  const e = ext(main);
  const tiff = facts?.tiff;
  const desc = tiff?.description ?? '';
  const say = (kind: RefusalKind, cause: string, advice: string): Refusal => ({ kind, file: name, cause, advice, openslideReason: reason });

  if (code === 'engine-crashed' || code === 'aborted' || code === 'unsupported-browser' || code === 'encode-failed')
    return say('engine', 'The engine stopped before it could judge this file', 'Reload the page and open the file again; if it happens again, the browser may be out of memory');
  if (facts?.magic === 'empty') return say('empty', `${name} is empty (0 bytes)`, 'Copy or download it again from where it came from; an interrupted copy often leaves an empty file');

  if (e === '.mrxs' && !hasMiraxFolder(main, files))
    return say(
      'mirax-no-folder',
      `A MIRAX .mrxs is only an index: the pixels are in the folder “${base(stem(main))}” beside it, which was not given`,
      `Use Open folder… on the folder that holds both ${name} and its “${base(stem(main))}” folder, or drop both together`,
    );
  const missing = missingFile(reason, main);
  if (missing && (e === '.vms' || e === '.vmu'))
    return say('vms-missing-images', `The Hamamatsu index ${name} names image files that were not given with it (${base(missing)} is missing)`, `Use Open folder… on the folder that holds ${name} and all the .jpg/.opt files it names, or select them all together`);
  if (missing) return say('missing-companion', `${name} needs ${base(missing)}, which was not given with it`, `Open the whole folder of the slide (Open folder…), or select every file of the slide together`);
  if (e === '.mrxs' && code !== 'read-failed')
    return say('mirax-damaged', `The MIRAX folder “${base(stem(main))}” is incomplete or damaged (its Slidedat.ini or data files)`, 'Copy the whole .mrxs and its folder again from the scanner’s export; a partial copy often lacks data files');

  if (facts?.magic === 'dicom') {
    if (facts.dicomSopClass === DICOM_VL_WHOLE_SLIDE)
      return say('dicom-wsi', `${name} is a DICOM whole-slide image that could not be read (OpenSlide 4.0.1 reads JPEG, JPEG 2000 and uncompressed frames, in TILED_FULL or TILED_SPARSE order)`, 'Drop the whole folder of the series (each level may be its own file), or convert the slide to a tiled pyramidal TIFF (e.g. with QuPath)');
    const cls = facts.dicomSopClass ? (DICOM_CLASSES[facts.dicomSopClass] ?? `SOP class ${facts.dicomSopClass}`) : 'of unknown class';
    return say('dicom-not-wsi', `${name} is a DICOM file but not a whole-slide image (it is a ${cls}, not VL Whole Slide Microscopy)`, 'Open the slide’s own DICOM files (VL Whole Slide Microscopy Image Storage) or the scanner’s native file instead');
  }
  if (e === '.vsi' || e === '.ets')
    return say('olympus-vsi', `${name} is an Olympus/Evident VSI slide${e === '.ets' ? ' part' : ''}, a format OpenSlide 3.4.1 does not read`, `Export it as a tiled TIFF from OlyVIA/cellSens, or convert it with Bio-Formats' bfconvert or QuPath, and open that`);
  if (tiff && (/<OME[\s>]|openmicroscopy\.org\/Schemas\/OME/.test(desc) || /\.ome\.tiff?$/i.test(main)))
    return say('ome-tiff', `${name} is an OME-TIFF, a format OpenSlide 3.4.1 does not read`, `Convert it to a tiled pyramidal TIFF (Bio-Formats' bfconvert -pyramid-resolutions, QuPath, or ${VIPS}) and open that`);
  if (tiff && (/PerkinElmer-QPI/.test(desc) || e === '.qptiff'))
    return say('qptiff', `${name} is a PerkinElmer/Akoya qptiff, a format OpenSlide 3.4.1 does not read`, TO_TILED_TIFF);

  if (facts && facts.pointsPastEnd !== null)
    return say('truncated', `${name} is cut short: it is ${bytes(facts.size)} long but its own structure points to byte ${facts.pointsPastEnd.toLocaleString('en-US')}`, 'The copy is incomplete — copy or download it again and compare its size with the original');
  const compression = /Unsupported TIFF compression: (\d+)/.exec(reason);
  if (compression)
    return say('unsupported-compression', `${name} uses TIFF compression ${compression[1]}, which OpenSlide does not decode`, `Re-save it as a tiled TIFF with JPEG, LZW or Deflate compression (e.g. ${VIPS})`);
  if (tiff && !tiff.anyTiled && code === 'unsupported-format')
    return say('strip-tiff', `${name} is a TIFF stored in strips, not tiles: OpenSlide reads only tiled TIFF`, TO_TILED_TIFF);

  if (code === 'read-failed')
    return say('damaged-data', `${name} opens, but some of its image data cannot be decoded`, 'The file is damaged inside; copy it again from its source (tiles that cannot be read are listed as read-failed in an export)');
  if (code === 'corrupt-slide')
    return say('damaged-structure', `OpenSlide recognised ${name}’s format but could not read its structure`, 'The file is damaged or was written by an unusual scanner version; copy it again, or convert it to a tiled pyramidal TIFF');
  if (facts?.magic === 'text')
    return say('not-a-slide', `${name} holds text, not an image (it begins “${clip(facts.textStart ?? '', 32)}”)`, 'It is not the slide itself — perhaps a failed download or a placeholder: get the original file again');
  return say(
    'unknown-format',
    `OpenSlide 3.4.1 does not recognise ${name} as any whole-slide format it reads`,
    `Check that it is the slide you meant: OpenSlide reads Aperio, Hamamatsu, Leica, MIRAX, Philips, Sakura, Trestle, Ventana and tiled TIFF; convert others to a tiled pyramidal TIFF (e.g. ${VIPS})`,
  );
}

/** A refused annotation file: the file at fault is the annotation file, never the slide. */
export function explainAnnotationRefusal(fileName: string, error: { code?: string; message: string }, opts: { declaresEntities?: boolean } = {}): Refusal {
  const name = base(fileName);
  const say = (cause: string, advice: string): Refusal => ({ kind: 'annotation', file: name, cause, advice, openslideReason: `${name}${error.code ? ` (${error.code})` : ''}: ${error.message}` });
  if (error.code === 'syntax' && opts.declaresEntities && /entity/.test(error.message))
    return say(`${name} declares its own XML entities (<!ENTITY …>), which are not expanded: a few such lines can grow into gigabytes`, 'Save the annotations again from ASAP, QuPath or ImageScope, which write plain XML without entities');
  switch (error.code) {
    case 'syntax':
      return say(`${name} is not well-formed ${/\.xml$/i.test(name) ? 'XML' : 'JSON'}`, 'Export the annotations again from the tool that made them; a file cut short or edited by hand often breaks here');
    case 'schema':
    case 'unknown-format':
      return say(`${name} is not in a layout Slidetile reads (QuPath GeoJSON, ASAP XML, ImageScope XML)`, 'Export the annotations as GeoJSON from QuPath, or as XML from ASAP or ImageScope');
    case 'geometry':
      return say(`A shape in ${name} cannot be used as an area`, 'Fix that shape in the annotation tool (or delete it) and export again');
    case 'too-large':
      return say(`${name} is too large to read here`, 'Simplify the shapes or split the file, then load it again');
    case 'empty':
      return say(`${name} holds no annotations`, 'Check that it is the file you meant to load');
    default:
      return say(`${name} could not be read`, 'Check that it is an annotation file from QuPath, ASAP or ImageScope');
  }
}
