// Where JSON.parse gave up. V8's messages only sometimes carry a position ("…is not valid JSON"
// in Node 20 has none), so on failure the text is re-scanned by this small iterative checker,
// which finds the first offending character for the error message's line and column.

const WS = new Set([32, 9, 10, 13]);
const NUM = /-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;
const STR = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/** Offset of the first syntax error in `text`, or -1 if it is valid JSON. */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const n = text.length;
  // stack of containers: '[' or '{'; state says what may come next
  const stack: number[] = [];
  type State = 'value' | 'afterValue' | 'key' | 'colon' | 'firstValueOrEnd' | 'firstKeyOrEnd';
  let state: State = 'value';
  const skip = () => {
    while (i < n && WS.has(text.charCodeAt(i))) i++;
  };
  for (;;) {
    skip();
    if (i >= n) return stack.length === 0 && state === 'afterValue' ? -1 : n;
    const c = text[i];
    switch (state) {
      case 'firstValueOrEnd':
        if (c === ']') {
          stack.pop();
          i++;
          state = 'afterValue';
          continue;
        }
        state = 'value'; // not the end: read it as a value on the next turn
        continue;
      case 'value': {
        if (c === '[') {
          stack.push(91);
          i++;
          state = 'firstValueOrEnd';
          continue;
        }
        if (c === '{') {
          stack.push(123);
          i++;
          state = 'firstKeyOrEnd';
          continue;
        }
        let re: RegExp | null = null;
        if (c === '"') re = STR;
        else if (c === '-' || (c >= '0' && c <= '9')) re = NUM;
        if (re) {
          re.lastIndex = i;
          if (!re.exec(text)) return i;
          i = re.lastIndex;
        } else if (text.startsWith('true', i)) i += 4;
        else if (text.startsWith('false', i)) i += 5;
        else if (text.startsWith('null', i)) i += 4;
        else return i;
        state = 'afterValue';
        continue;
      }
      case 'afterValue': {
        const top = stack[stack.length - 1];
        if (top === undefined) return i; // trailing garbage
        if (c === ',') {
          i++;
          state = top === 91 ? 'value' : 'key';
          continue;
        }
        if ((c === ']' && top === 91) || (c === '}' && top === 123)) {
          stack.pop();
          i++;
          continue;
        }
        return i;
      }
      case 'firstKeyOrEnd':
        if (c === '}') {
          stack.pop();
          i++;
          state = 'afterValue';
          continue;
        }
        state = 'key';
        continue;
      case 'key': {
        if (c !== '"') return i;
        STR.lastIndex = i;
        if (!STR.exec(text)) return i;
        i = STR.lastIndex;
        state = 'colon';
        continue;
      }
      case 'colon':
        if (c !== ':') return i;
        i++;
        state = 'value';
        continue;
    }
  }
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}
