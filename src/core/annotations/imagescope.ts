// Aperio ImageScope XML: Annotations/Annotation (a layer, with Name and LineColor) /Regions/Region
// (Type, NegativeROA, Text) /Vertices/Vertex X/Y in level-0 px.
import { z } from 'zod';
import { childrenNamed, parseXml } from './xml.ts';
import { attrs, numberAttr } from './xmlattrs.ts';
import { AnnotationError, finishRing, rgbHex, VertexBudget, type AnnotationSet, type AnnotationShape } from './types.ts';

const annotationAttrs = z.looseObject({ Name: z.string().optional(), LineColor: numberAttr.optional() });
const regionAttrs = z.looseObject({ Type: numberAttr.optional(), NegativeROA: numberAttr.optional(), Text: z.string().optional() });
const vertexAttrs = z.looseObject({ X: numberAttr, Y: numberAttr });

// Region types as ImageScope writes them: 0 free-hand / polygon, 1 rectangle, 2 ellipse,
// 3 arrow, 4 ruler; anything else (pins, unknown tools) is counted, not guessed at.
const ELLIPSE_SEGMENTS = 64;

/** LineColor is a Windows COLORREF: 0x00BBGGRR. */
function colorRef(v: number | undefined): string | null {
  if (v === undefined || !Number.isInteger(v) || v < 0) return null;
  return rgbHex(v & 255, (v >> 8) & 255, (v >> 16) & 255);
}

function boxOf(pts: number[][]): [number, number, number, number] {
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

export function parseImageScope(text: string, opts: { offset?: readonly [number, number]; maxVertices: number }): AnnotationSet {
  const root = parseXml(text);
  if (root.name !== 'Annotations') throw new AnnotationError('schema', `expected <Annotations>, found <${root.name}>`, `line ${root.line}`);
  const offset = opts.offset ?? [0, 0];
  const budget = new VertexBudget(opts.maxVertices);
  const shapes: AnnotationShape[] = [];
  const ignored = { points: 0, lines: 0, other: 0 };
  for (const layer of childrenNamed(root, 'Annotation')) {
    const la = attrs(annotationAttrs, layer, 'annotation');
    const className = la.Name && la.Name.trim() !== '' ? la.Name : null;
    const color = colorRef(la.LineColor);
    const regions = childrenNamed(layer, 'Regions').flatMap((r) => childrenNamed(r, 'Region'));
    for (const region of regions) {
      const ra = attrs(regionAttrs, region, 'region');
      const verts = childrenNamed(region, 'Vertices').flatMap((v) => childrenNamed(v, 'Vertex'));
      budget.take(verts.length, `line ${region.line}`);
      const pts = verts.map((v) => {
        const a = attrs(vertexAttrs, v, 'vertex');
        return [a.X, a.Y];
      });
      const type = ra.Type ?? 0;
      let ring: number[][] | null = null;
      if (type === 3 || type === 4) {
        ignored.lines++;
        continue;
      } else if (type === 0) {
        ring = finishRing(pts, offset);
      } else if (type === 1 && pts.length >= 2) {
        // rectangles are written as four corners; two opposite corners are accepted too
        const [x0, y0, x1, y1] = boxOf(pts);
        ring = pts.length >= 4 ? finishRing(pts, offset) : finishRing([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], offset);
      } else if (type === 2 && pts.length >= 2) {
        // an ellipse is given by its bounding box; a 64-gon is within 0.2 % of its area
        const [x0, y0, x1, y1] = boxOf(pts);
        const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2, rx = (x1 - x0) / 2, ry = (y1 - y0) / 2;
        const poly: number[][] = [];
        for (let k = 0; k < ELLIPSE_SEGMENTS; k++) {
          const t = (2 * Math.PI * k) / ELLIPSE_SEGMENTS;
          poly.push([cx + rx * Math.cos(t), cy + ry * Math.sin(t)]);
        }
        ring = finishRing(poly, offset);
      } else {
        ignored.other++;
        continue;
      }
      if (!ring) {
        if (pts.length === 1) ignored.points++;
        else ignored.other++;
        continue;
      }
      const shape: AnnotationShape = { className, color, polygons: [[ring]] };
      if (ra.Text) shape.name = ra.Text;
      if (ra.NegativeROA === 1) shape.negative = true;
      shapes.push(shape);
    }
  }
  return { format: 'imagescope', shapes, ignored };
}
