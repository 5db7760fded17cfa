// A small, strict XML reader: elements and attributes only (ASAP and ImageScope keep all their data
// in attributes). The core runs where DOMParser does not (node, workers), and a hand-written
// iterative scanner gives line numbers in errors and cannot blow the stack on deep nesting.
import { AnnotationError } from './types.ts';

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** 1-based line of the start tag, for error messages. */
  line: number;
}

const MAX_DEPTH = 512;
const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
const ATTR = /\s*([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/y;

function decodeEntities(s: string, line: number): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);?/g, (m, e: string) => {
    if (!m.endsWith(';')) throw new AnnotationError('syntax', `bad entity ${JSON.stringify(m)}`, `line ${line}`);
    switch (e) {
      case 'lt': return '<';
      case 'gt': return '>';
      case 'amp': return '&';
      case 'quot': return '"';
      case 'apos': return "'";
    }
    if (e[0] === '#') {
      const cp = e[1] === 'x' ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
      if (cp > 0 && cp <= 0x10ffff) return String.fromCodePoint(cp);
    }
    throw new AnnotationError('syntax', `unknown entity ${JSON.stringify(m)}`, `line ${line}`);
  });
}

/** Parse a whole document; returns the root element. Throws AnnotationError('syntax', …, 'line N'). */
export function parseXml(text: string): XmlElement {
  let pos = 0;
  let line = 1;
  const n = text.length;
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  // advance pos to `to`, counting newlines on the way
  const advance = (to: number) => {
    for (let i = pos; i < to; i++) if (text.charCodeAt(i) === 10) line++;
    pos = to;
  };
  const fail = (msg: string): never => {
    throw new AnnotationError('syntax', msg, `line ${line}`);
  };
  if (text.charCodeAt(0) === 0xfeff) pos = 1;
  while (pos < n) {
    const lt = text.indexOf('<', pos);
    if (lt < 0) {
      if (text.slice(pos).trim() !== '' && stack.length === 0) fail('text outside the root element');
      advance(n);
      break;
    }
    if (stack.length === 0 && text.slice(pos, lt).trim() !== '') fail('text outside the root element');
    advance(lt);
    if (text.startsWith('<!--', pos)) {
      const end = text.indexOf('-->', pos + 4);
      if (end < 0) fail('unterminated comment');
      advance(end + 3);
    } else if (text.startsWith('<![CDATA[', pos)) {
      const end = text.indexOf(']]>', pos);
      if (end < 0) fail('unterminated CDATA section');
      advance(end + 3);
    } else if (text.startsWith('<?', pos)) {
      const end = text.indexOf('?>', pos);
      if (end < 0) fail('unterminated processing instruction');
      advance(end + 2);
    } else if (text.startsWith('<!', pos)) {
      // DOCTYPE: skip to the matching '>' (internal subsets in [...] included)
      let depth = 0;
      let i = pos + 2;
      for (; i < n; i++) {
        const c = text[i];
        if (c === '[') depth++;
        else if (c === ']') depth--;
        else if (c === '>' && depth <= 0) break;
      }
      if (i >= n) fail('unterminated declaration');
      advance(i + 1);
    } else if (text.startsWith('</', pos)) {
      NAME.lastIndex = pos + 2;
      const m = NAME.exec(text);
      if (!m) fail('bad closing tag');
      const name = m![0];
      let i = pos + 2 + name.length;
      while (i < n && /\s/.test(text[i])) i++;
      if (text[i] !== '>') fail(`bad closing tag </${name}`);
      const open = stack.pop();
      if (!open) fail(`closing tag </${name}> without an opening tag`);
      if (open!.name !== name) fail(`</${name}> closes <${open!.name}> opened on line ${open!.line}`);
      advance(i + 1);
    } else {
      NAME.lastIndex = pos + 1;
      const m = NAME.exec(text);
      if (!m) fail('bad tag: expected an element name after "<"');
      const el: XmlElement = { name: m![0], attrs: {}, children: [], line };
      let i = pos + 1 + el.name.length;
      for (;;) {
        ATTR.lastIndex = i;
        const a = ATTR.exec(text);
        if (!a) break;
        if (!/\s/.test(text[i])) fail(`attributes of <${el.name}> must be separated by spaces`);
        const key = a[1];
        if (Object.prototype.hasOwnProperty.call(el.attrs, key)) fail(`duplicate attribute ${key} on <${el.name}>`);
        el.attrs[key] = decodeEntities(a[2] ?? a[3], line);
        i = ATTR.lastIndex;
      }
      while (i < n && /\s/.test(text[i])) i++;
      let selfClosing = false;
      if (text[i] === '/' && text[i + 1] === '>') {
        selfClosing = true;
        i += 2;
      } else if (text[i] === '>') {
        i += 1;
      } else {
        fail(i >= n ? `unterminated tag <${el.name}` : `unexpected ${JSON.stringify(text[i])} in tag <${el.name}>`);
      }
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(el);
      else if (root) fail(`second root element <${el.name}>`);
      else root = el;
      if (!selfClosing) {
        if (stack.length >= MAX_DEPTH) fail(`elements nested deeper than ${MAX_DEPTH}`);
        stack.push(el);
      }
      advance(i);
    }
  }
  if (stack.length > 0) {
    const open = stack[stack.length - 1];
    throw new AnnotationError('syntax', `<${open.name}> opened on line ${open.line} is never closed`, `line ${line}`);
  }
  if (!root) throw new AnnotationError('empty', 'no XML element found');
  return root;
}

/** Direct children named `name`. */
export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}
