// A slide's pseudonym: its file name replaced, in everything an export holds, by a keyed hash the
// user can reproduce — "slide-" and the first 12 hex digits of HMAC-SHA256(key, the file's base
// name), the extension kept. With the key and the original name anyone can check which slide a
// dataset came from (Python: hmac.new(key, name, "sha256").hexdigest()[:12]); without the key the
// name cannot be recovered or guessed by hashing candidate names. Web Crypto: the same code runs in
// the browser and in Node.
import { slideStem } from './naming.ts';

export const PSEUDONYM_DIGITS = 12;

async function hmacHex(key: string, message: string): Promise<string> {
  const enc = new TextEncoder();
  const k = await globalThis.crypto.subtle.importKey('raw', enc.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const sig = new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', k, enc.encode(message)));
  return Array.from(sig, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** "CMU-1.svs" → "slide-<12 hex>.svs" (the base name is hashed; a directory part is dropped). */
export async function pseudonymFor(slideName: string, key: string): Promise<string> {
  if (key === '') throw new Error('a pseudonym needs a key (any text you keep, to reproduce the names later)');
  const base = slideName.split(/[\\/]/).pop() ?? slideName;
  const ext = base.includes('.') ? base.slice(base.lastIndexOf('.')) : '';
  return `slide-${(await hmacHex(key, base)).slice(0, PSEUDONYM_DIGITS)}${ext}`;
}

/** How slide.json says a pseudonym was used (never the original name). */
export function pseudonymNote(): Record<string, string | number> {
  return {
    scheme: 'HMAC-SHA256(key, original file base name), first 12 hex digits, extension kept',
    digits: PSEUDONYM_DIGITS,
    python: 'import hmac; "slide-" + hmac.new(KEY.encode(), NAME.encode(), "sha256").hexdigest()[:12]',
  };
}

/** A property value with the original file's stem replaced by the pseudonym's. */
export function renameInValue(value: string, originalName: string, pseudonym: string): string {
  const from = slideStem(originalName);
  return from.length >= 3 ? value.split(from).join(slideStem(pseudonym)) : value;
}
