// Attribute schemas shared by the XML formats: numbers arrive as strings, sometimes with a decimal
// comma (ASAP writes the system locale's separator — computationalpathologygroup/ASAP#167 style files).
import { z } from 'zod';
import { AnnotationError } from './types.ts';
import type { XmlElement } from './xml.ts';

export const numberAttr = z
  .string()
  .trim()
  .transform((s) => (!s.includes('.') && /^-?\d+,\d+([eE][-+]?\d+)?$/.test(s) ? s.replace(',', '.') : s))
  .pipe(z.string().regex(/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/, 'expected a number'))
  .transform(Number)
  .pipe(z.number({ error: 'not a finite number' }));

/** Validate an element's attributes; the error names the element, its line and the attribute, and
 * after `owner` (e.g. 'annotation 2 "Tumor"') the annotation it belongs to. */
export function attrs<T extends z.ZodType>(schema: T, el: XmlElement, what: string, owner?: string): z.infer<T> {
  const r = schema.safeParse(el.attrs);
  if (!r.success) {
    const i = r.error.issues[0];
    const attr = i.path.length ? ` attribute ${String(i.path[0])}` : '';
    const got = i.path.length ? ` (got ${JSON.stringify(el.attrs[String(i.path[0])] ?? null)})` : '';
    throw new AnnotationError('schema', `${what} <${el.name}>${attr}: ${i.message}${got}`, owner ? `${owner}, line ${el.line}` : `line ${el.line}`);
  }
  return r.data;
}
