// The annotations a plan used, written back as GeoJSON in OpenSlide level-0 pixels (offset applied),
// so the ratiopath recipe computes coverage from exactly the same polygons.
import type { AnnotationShape } from '../annotations/types.ts';

export function annotationsGeoJson(shapes: readonly AnnotationShape[], classes?: readonly string[] | null): string {
  const want = classes && classes.length > 0 ? new Set(classes) : null;
  const features = shapes
    .filter((s) => !want || (s.className !== null && want.has(s.className)))
    .map((s) => ({
      type: 'Feature',
      geometry: s.polygons.length === 1 ? { type: 'Polygon', coordinates: s.polygons[0] } : { type: 'MultiPolygon', coordinates: s.polygons },
      properties: {
        objectType: 'annotation',
        ...(s.name !== undefined ? { name: s.name } : {}),
        ...(s.className !== null ? { classification: { name: s.className, ...(s.color ? { color: hexToRgb(s.color) } : {}) } } : {}),
        // ImageScope negative regions: the recipe subtracts these
        ...(s.negative ? { slidetile_negative: true } : {}),
      },
    }));
  return JSON.stringify({ type: 'FeatureCollection', features }) + '\n';
}

function hexToRgb(c: string): number[] {
  const n = Number.parseInt(c.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
