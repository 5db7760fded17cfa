// The one shape every annotation parser produces. Coordinates are level-0 pixels of the OpenSlide plane.
import { SlidetileError } from '../errors.ts';

export type AnnotationFormat = 'geojson' | 'asap' | 'imagescope';

export interface AnnotationShape {
  /** the annotation's own name, when the tool stored one. */
  name?: string;
  /** QuPath classification / ASAP group / ImageScope layer name; null when unclassified. */
  className: string | null;
  /** '#rrggbb', or null when the file gives none. */
  color: string | null;
  /** polygons → rings (first outer, then holes) → [x, y] in level-0 px. */
  polygons: number[][][][];
  /** an ImageScope negative region: subtracted from the other shapes instead of added. */
  negative?: boolean;
}

export interface IgnoredCounts {
  points: number;
  lines: number;
  other: number;
}

export interface AnnotationSet {
  format: AnnotationFormat;
  shapes: AnnotationShape[];
  /** geometry that has no area (points, lines) or no meaning here, counted so the UI can say so. */
  ignored: IgnoredCounts;
}

export interface ParseOptions {
  /** added to every coordinate: [openslide.bounds-x, openslide.bounds-y] for files made in QuPath on MIRAX etc. */
  offset?: readonly [number, number];
  /** refuse input larger than this many characters (default 256 MiB) instead of running out of memory. */
  maxChars?: number;
  /** refuse more vertices than this in total (default 20 M). */
  maxVertices?: number;
}

// 'geometry': well-formed input whose polygons cannot be used (too few vertices, self-intersecting; see rings.ts)
export type AnnotationErrorCode = 'syntax' | 'schema' | 'geometry' | 'too-large' | 'unknown-format' | 'empty';

/** Bad annotation input. `where` names the place: "feature 3", "line 42", … */
export class AnnotationError extends SlidetileError<AnnotationErrorCode> {
  override name = 'AnnotationError';
  constructor(
    readonly code: AnnotationErrorCode,
    message: string,
    readonly where?: string,
  ) {
    super(where ? `${where}: ${message}` : message);
  }
}

export const DEFAULT_MAX_CHARS = 256 * 1024 * 1024;
export const DEFAULT_MAX_VERTICES = 20_000_000;

/** Counts vertices as parsers go and refuses the input past the limit. */
export class VertexBudget {
  private n = 0;
  constructor(private readonly max: number) {}
  take(k: number, where: string): void {
    this.n += k;
    if (this.n > this.max) {
      throw new AnnotationError('too-large', `more than ${this.max} vertices; simplify the annotations`, where);
    }
  }
}

export function hex2(n: number): string {
  return Math.max(0, Math.min(255, Math.round(n))).toString(16).padStart(2, '0');
}

export function rgbHex(r: number, g: number, b: number): string {
  return `#${hex2(r)}${hex2(g)}${hex2(b)}`;
}
