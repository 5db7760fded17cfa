// Annotation formats in a registry, most specific first (OpenSlide's format-driver habit): each
// driver says whether it recognises the text, then parses it.
import { parseAsap } from './asap.ts';
import { parseGeoJson } from './geojson.ts';
import { parseImageScope } from './imagescope.ts';
import {
  AnnotationError,
  DEFAULT_MAX_CHARS,
  DEFAULT_MAX_VERTICES,
  type AnnotationFormat,
  type AnnotationSet,
  type ParseOptions,
} from './types.ts';

interface Driver {
  format: AnnotationFormat;
  detect(head: string, fileName: string): boolean;
  parse(text: string, opts: { offset?: readonly [number, number]; maxVertices: number }): AnnotationSet;
}

const DRIVERS: readonly Driver[] = [
  { format: 'asap', detect: (h) => /<ASAP_Annotations[\s>]/.test(h), parse: parseAsap },
  { format: 'imagescope', detect: (h) => /<Annotations[\s>]/.test(h) && /<Annotation[\s>]|<Annotations\s*\/>|<\/Annotations>/.test(h), parse: parseImageScope },
  { format: 'geojson', detect: (h, f) => /^\s*[[{]/.test(h) || /\.(geo)?json$/i.test(f), parse: parseGeoJson },
];

/**
 * Parse annotations from QuPath GeoJSON, ASAP XML or Aperio ImageScope XML into level-0 polygons.
 * The format is recognised from the content (the file name only breaks ties).
 * Throws AnnotationError with `where` naming the feature or line.
 */
export function parseAnnotations(text: string, fileName = '', opts: ParseOptions = {}): AnnotationSet {
  const maxChars = opts.maxChars ?? DEFAULT_MAX_CHARS;
  if (text.length > maxChars) {
    throw new AnnotationError('too-large', `${fileName || 'the file'} is ${text.length} characters, more than the ${maxChars} allowed`);
  }
  if (text.trim() === '') throw new AnnotationError('empty', `${fileName || 'the file'} is empty`);
  const head = text.slice(0, 4096);
  const driver = DRIVERS.find((d) => d.detect(head, fileName));
  if (!driver) {
    throw new AnnotationError('unknown-format', `${fileName || 'the file'} is neither QuPath GeoJSON, ASAP XML nor ImageScope XML`);
  }
  return driver.parse(text, { offset: opts.offset, maxVertices: opts.maxVertices ?? DEFAULT_MAX_VERTICES });
}

export { parseAsap, parseGeoJson, parseImageScope };
export * from './types.ts';
