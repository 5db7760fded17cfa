// Aperio ImageScope XML: Annotations/Annotation (a layer, with Name and LineColor) /Regions/Region
// (Type, NegativeROA, Text) /Vertices/Vertex X/Y in level-0 px.
import { z } from 'zod';
import { childrenNamed, parseXml } from './xml.ts';
import { attrs, numberAttr } from './xmlattrs.ts';
import { checkedPolygon } from './rings.ts';
import { AnnotationError, rgbHex, VertexBudget, type AnnotationSet, type AnnotationShape } from './types.ts';

const annotationAttrs = z.looseObject({ Name: z.string().optional(), LineColor: numberAttr.optional() });
const regionAttrs = z.looseObject({ Id: z.string().optional(), Type: numberAttr.optional(), NegativeROA: numberAttr.optional(), Text: z.string().optional() });
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
  for (const [layerIndex, layer] of childrenNamed(root, 'Annotation').entries()) {
    const la = attrs(annotationAttrs, layer, 'annotation');
    const className = la.Name && la.Name.trim() !== '' ? la.Name : null;
    const color = colorRef(la.LineColor);
    const regions = childrenNamed(layer, 'Regions').flatMap((r) => childrenNamed(r, 'Region'));
    for (const region of regions) {
      const ra = attrs(regionAttrs, region, 'region', `layer ${layerIndex}`);
      const owner = `layer ${layerIndex}${className ? ` "${className}"` : ''}, region${ra.Id ? ` Id ${ra.Id}` : ''}${ra.Text ? ` "${ra.Text}"` : ''}`;
      const verts = childrenNamed(region, 'Vertices').flatMap((v) => childrenNamed(v, 'Vertex'));
      budget.take(verts.length, `line ${region.line}`);
      const pts = verts.map((v) => {
        const a = attrs(vertexAttrs, v, 'vertex', owner);
        return [a.X, a.Y];
      });
      const type = ra.Type ?? 0;
      if (type === 3 || type === 4) {
        ignored.lines++;
        continue;
      }
      if (type !== 0 && type !== 1 && type !== 2) {
        ignored.other++;
        continue;
      }
      // no vertices at all is nothing drawn (counted); too few for the region's type is refused
      if (pts.length === 0) {
        ignored.other++;
        continue;
      }
      const where = `${owner} (line ${region.line})`;
      const kind = type === 0 ? 'outline' : type === 1 ? 'rectangle' : 'ellipse';
      let raw: number[][];
      if (type === 0) {
        raw = pts;
      } else if (pts.length < 2) {
        throw new AnnotationError('geometry', `a ${kind} needs 2 corners of its box, it has 1 vertex`, where);
      } else if (type === 1) {
        // rectangles are written as four corners; two opposite corners are accepted too
        const [x0, y0, x1, y1] = boxOf(pts);
        raw = pts.length >= 4 ? pts : [[x0, y0], [x1, y0], [x1, y1], [x0, y1]];
      } else {
        // an ellipse is given by its bounding box; a 64-gon is within 0.2 % of its area
        const [x0, y0, x1, y1] = boxOf(pts);
        if (!(x1 > x0 && y1 > y0)) {
          throw new AnnotationError('geometry', `the ellipse's box is ${x1 - x0} × ${y1 - y0}: it has no area`, where);
        }
        const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2, rx = (x1 - x0) / 2, ry = (y1 - y0) / 2;
        raw = [];
        for (let k = 0; k < ELLIPSE_SEGMENTS; k++) {
          const t = (2 * Math.PI * k) / ELLIPSE_SEGMENTS;
          raw.push([cx + rx * Math.cos(t), cy + ry * Math.sin(t)]);
        }
      }
      const [ring] = checkedPolygon([raw], offset, where, () => `its ${kind}`);
      const shape: AnnotationShape = { className, color, polygons: [[ring]] };
      if (ra.Text) shape.name = ra.Text;
      if (ra.NegativeROA === 1) shape.negative = true;
      shapes.push(shape);
    }
  }
  return { format: 'imagescope', shapes, ignored };
}
