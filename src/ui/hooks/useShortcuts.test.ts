import { describe, expect, it } from 'vitest';
import { decideKey, takesTyping, type KeyLike } from './useShortcuts.ts';

const KEYS = new Set(['+', '-', '0', 'f', 'x', 'e', '[', ']', 'o', 'd', '?', 'Escape']);
const key = (k: string, more: Partial<KeyLike> = {}): KeyLike => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, ...more });
const input = (type?: string) => ({ tagName: 'INPUT', type });

describe('takesTyping: the fields whose keys are their own', () => {
  it('text-like inputs, textareas, selects and contenteditable take typing', () => {
    for (const t of [undefined, 'text', 'number', 'search', 'email', 'url', 'password', 'tel', 'NUMBER']) expect(takesTyping(input(t)), String(t)).toBe(true);
    expect(takesTyping({ tagName: 'TEXTAREA' })).toBe(true);
    expect(takesTyping({ tagName: 'select' })).toBe(true);
    expect(takesTyping({ tagName: 'DIV', isContentEditable: true })).toBe(true);
  });
  it('buttons, checkboxes, radios, ranges and no focus leave the keys to the shortcuts', () => {
    for (const t of ['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file']) expect(takesTyping(input(t)), t).toBe(false);
    expect(takesTyping({ tagName: 'BUTTON' })).toBe(false);
    expect(takesTyping({ tagName: 'BODY' })).toBe(false);
    expect(takesTyping(null)).toBe(false);
  });
});

describe('decideKey', () => {
  it('no single-key shortcut fires in a number field — not even the keys a number takes (e, +, -, digits)', () => {
    for (const k of ['e', '+', '-', '0', 'x', 'f', '?', '[', '=']) expect(decideKey(key(k), input('number'), KEYS), k).toEqual({ kind: 'none' });
    for (const k of ['e', 'd', 'o']) expect(decideKey(key(k), input('text'), KEYS), k).toEqual({ kind: 'none' });
  });
  it('Esc in a field leaves the field instead of cancelling an export', () => {
    expect(decideKey(key('Escape'), input('number'), KEYS)).toEqual({ kind: 'leave-field' });
    expect(decideKey(key('Escape'), null, KEYS)).toEqual({ kind: 'run', key: 'Escape' });
  });
  it('outside fields (and on a focused checkbox or button) the shortcuts run', () => {
    expect(decideKey(key('e'), null, KEYS)).toEqual({ kind: 'run', key: 'e' });
    expect(decideKey(key('e'), input('checkbox'), KEYS)).toEqual({ kind: 'run', key: 'e' });
    expect(decideKey(key('x'), { tagName: 'BUTTON' }, KEYS)).toEqual({ kind: 'run', key: 'x' });
  });
  it('= and _ are the +/- key shifted or not', () => {
    expect(decideKey(key('='), null, KEYS)).toEqual({ kind: 'run', key: '+' });
    expect(decideKey(key('_'), null, KEYS)).toEqual({ kind: 'run', key: '-' });
  });
  it('modifier chords, IME composition and unknown keys do nothing', () => {
    expect(decideKey(key('e', { ctrlKey: true }), null, KEYS).kind).toBe('none');
    expect(decideKey(key('e', { metaKey: true }), null, KEYS).kind).toBe('none');
    expect(decideKey(key('e', { altKey: true }), null, KEYS).kind).toBe('none');
    expect(decideKey(key('e', { isComposing: true }), null, KEYS).kind).toBe('none');
    expect(decideKey(key('q'), null, KEYS).kind).toBe('none');
  });
  it('a held key repeats zoom and stepping, never a toggle or an export', () => {
    for (const k of ['+', '-', '[', ']']) expect(decideKey(key(k, { repeat: true }), null, KEYS), k).toEqual({ kind: 'run', key: k });
    for (const k of ['x', 'e', 'd', '?']) expect(decideKey(key(k, { repeat: true }), null, KEYS), k).toEqual({ kind: 'none' });
  });
});
