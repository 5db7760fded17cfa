// The key badge on a button (“Extract … [e]”). While a text or number field has focus the shortcut
// is off — the key belongs to the field (hooks/useShortcuts.ts) — and the badge says so: struck
// through, and in words for the pointer and for screen readers.
import { useTypingInField } from '../hooks/useShortcuts.ts';

export function ShortcutKey({ k }: { k: string }) {
  const typing = useTypingInField();
  const off = `shortcut ${k} is off while you type in a field (Esc leaves the field)`;
  return (
    <kbd className="shortcut" data-off={typing ? '1' : undefined} title={typing ? off : `shortcut: ${k}`} aria-label={typing ? off : undefined} data-testid={`shortcut-${k}`}>
      {k}
    </kbd>
  );
}
