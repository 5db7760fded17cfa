// Global single-key shortcuts. None of them fires while a field that takes typed text has focus: a
// number field takes "e" (1e3), "+", "-" and digits, a text field every letter, so a shortcut there
// would start an export or zoom away in the middle of typing a value. Esc in such a field leaves it
// (the field shows its committed value again); the next Esc is the shortcut. Buttons, checkboxes and
// the like take no typing, so shortcuts work while they have focus. The badges on buttons
// (components/ShortcutKey.tsx) show when shortcuts are off because of this (useTypingInField).
import { useEffect, useRef, useSyncExternalStore } from 'react';

/** What the rules need of a focused element (a DOM Element has all of it). */
export interface FocusedLike {
  tagName: string;
  type?: string;
  isContentEditable?: boolean;
}

/** What the rules need of a keydown event. */
export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  repeat?: boolean;
  isComposing?: boolean;
}

// <input> types that take no typed text: keys pressed on them are free for shortcuts
const NOT_TYPED = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'image', 'file', 'color', 'range']);

/** True when the element takes typed text, so single keys belong to it. */
export function takesTyping(el: FocusedLike | null | undefined): boolean {
  if (!el) return false;
  if (el.isContentEditable) return true;
  const tag = el.tagName.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true; // a select jumps to the option typed
  return tag === 'INPUT' && !NOT_TYPED.has((el.type ?? 'text').toLowerCase());
}

// keys a held key may repeat: zooming and stepping through tiles; not toggles, nor starting an export
const REPEATABLE = new Set(['+', '-', '[', ']']);

export type KeyDecision = { kind: 'run'; key: string } | { kind: 'leave-field' } | { kind: 'none' };

/** What a keydown does: run the shortcut `key`, leave the focused field, or nothing. */
export function decideKey(e: KeyLike, focused: FocusedLike | null | undefined, shortcuts: ReadonlySet<string>): KeyDecision {
  if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return { kind: 'none' };
  if (takesTyping(focused)) return e.key === 'Escape' ? { kind: 'leave-field' } : { kind: 'none' };
  // the unshifted and shifted keys of the +/- key both zoom
  const key = e.key === '=' ? '+' : e.key === '_' ? '-' : e.key;
  if (!shortcuts.has(key)) return { kind: 'none' };
  if (e.repeat && !REPEATABLE.has(key)) return { kind: 'none' };
  return { kind: 'run', key };
}

export function useShortcuts(map: Record<string, () => void>) {
  const ref = useRef(map);
  ref.current = map;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const focused = e.target instanceof Element ? (e.target as HTMLInputElement) : null;
      const d = decideKey(e, focused, new Set(Object.keys(ref.current)));
      if (d.kind === 'leave-field') (focused as HTMLElement | null)?.blur();
      if (d.kind !== 'run') return;
      e.preventDefault();
      ref.current[d.key]();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

// focus moves between elements: focusout, then focusin, both bubble to the document
function subscribeFocus(onChange: () => void): () => void {
  document.addEventListener('focusin', onChange);
  document.addEventListener('focusout', onChange);
  return () => {
    document.removeEventListener('focusin', onChange);
    document.removeEventListener('focusout', onChange);
  };
}
const typingNow = () => takesTyping(document.activeElement as HTMLInputElement | null);

/** True while a field that takes typed text has focus (shortcuts are off then). */
export function useTypingInField(): boolean {
  return useSyncExternalStore(subscribeFocus, typingNow, () => false);
}
