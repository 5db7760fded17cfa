// ASAP XML (also what Camelyon16/17 ship): ASAP_Annotations/Annotations/Annotation with Type,
// PartOfGroup and Color, vertices in Coordinates/Coordinate X/Y (level-0 px), ordered by Order.
import { z } from 'zod';
import { childrenNamed, parseXml, type XmlElement } from './xml.ts';
import { attrs, numberAttr } from './xmlattrs.ts';
import { checkedPolygon } from './rings.ts';
import { AnnotationError, VertexBudget, type AnnotationSet, type AnnotationShape } from './types.ts';

const annotationAttrs = z.looseObject({
  Name: z.string().optional(),
  Type: z.string(),
  PartOfGroup: z.string().optional(),
  Color: z.string().optional(),
});
const coordinateAttrs = z.looseObject({ Order: numberAttr.optional(), X: numberAttr, Y: numberAttr });
const groupAttrs = z.looseObject({ Name: z.string(), Color: z.string().optional() });

// ASAP's area types; Spline is stored as its control polygon (what ASAP's own mask export rasterises).
const AREA_TYPES = new Set(['Polygon', 'Spline', 'Rectangle']);
const POINT_TYPES = new Set(['Dot', 'PointSet']);
const LINE_TYPES = new Set(['Measurement', 'Line']);

function normColor(c: string | undefined): string | null {
  if (!c) return null;
  const m = /^#?([0-9a-fA-F]{6})$/.exec(c.trim());
  return m ? `#${m[1].toLowerCase()}` : null;
}

export function parseAsap(text: string, opts: { offset?: readonly [number, number]; maxVertices: number }): AnnotationSet {
  const root = parseXml(text);
  if (root.name !== 'ASAP_Annotations') throw new AnnotationError('schema', `expected <ASAP_Annotations>, found <${root.name}>`, `line ${root.line}`);
  const offset = opts.offset ?? [0, 0];
  const budget = new VertexBudget(opts.maxVertices);
  const groupColor = new Map<string, string | null>();
  for (const groups of childrenNamed(root, 'AnnotationGroups')) {
    for (const g of childrenNamed(groups, 'Group')) {
      const a = attrs(groupAttrs, g, 'group');
      groupColor.set(a.Name, normColor(a.Color));
    }
  }
  const shapes: AnnotationShape[] = [];
  const ignored = { points: 0, lines: 0, other: 0 };
  const list = childrenNamed(root, 'Annotations').flatMap((a) => childrenNamed(a, 'Annotation'));
  list.forEach((el: XmlElement, index) => {
    const a = attrs(annotationAttrs, el, 'annotation');
    if (POINT_TYPES.has(a.Type)) return void ignored.points++;
    if (LINE_TYPES.has(a.Type)) return void ignored.lines++;
    if (!AREA_TYPES.has(a.Type)) return void ignored.other++;
    const owner = `annotation ${index}${a.Name ? ` "${a.Name}"` : ''}`;
    const coords = childrenNamed(el, 'Coordinates').flatMap((c) => childrenNamed(c, 'Coordinate'));
    budget.take(coords.length, `line ${el.line}`);
    const pts = coords.map((c, k) => {
      const v = attrs(coordinateAttrs, c, 'coordinate', owner);
      return { order: v.Order ?? k, x: v.X, y: v.Y };
    });
    pts.sort((p, q) => p.order - q.order);
    // no vertices at all is nothing drawn (counted); 1 or 2 is a polygon without area (refused)
    if (pts.length === 0) return void ignored.other++;
    const [ring] = checkedPolygon([pts.map((p) => [p.x, p.y])], offset, `${owner} (line ${el.line})`, () => `its ${a.Type.toLowerCase()}`);
    const group = a.PartOfGroup && a.PartOfGroup !== 'None' ? a.PartOfGroup : null;
    const shape: AnnotationShape = {
      className: group,
      color: normColor(a.Color) ?? (group ? groupColor.get(group) ?? null : null),
      polygons: [[ring]],
    };
    if (a.Name) shape.name = a.Name;
    shapes.push(shape);
  });
  return { format: 'asap', shapes, ignored };
}
