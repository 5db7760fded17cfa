// One colour per annotation class, the same in the viewer, plan.png and the CLI's plan.png: a
// shape's own colour (QuPath's classification colour) when the file gives one, else a fixed palette
// indexed by the class's place among the file's sorted class names.
import type { AnnotationShape } from './types.ts';

const PALETTE = ['#2ea043', '#d29922', '#8957e5', '#db61a2', '#0969da', '#bf3989', '#1a7f37'];

/** The file's class names, sorted: the palette's index. */
export function classNames(shapes: readonly AnnotationShape[]): string[] {
  return [...new Set(shapes.map((s) => s.className).filter((c): c is string => c !== null))].sort();
}

/** "#rrggbb" for a shape, given the file's classNames(). */
export function classColor(shape: AnnotationShape, classes: readonly string[]): string {
  if (shape.color) return shape.color;
  const i = shape.className === null ? 0 : classes.indexOf(shape.className);
  return PALETTE[Math.max(0, i) % PALETTE.length];
}
