// Whether the settings a session starts with are worth a word: the plan parameters are saved on every
// change and come back on the next visit (useSettings.ts), so a grid can look different from the last
// time the user remembers — a 1024-px tile from last week's experiment. When what came back is not
// simply the defaults, the controls say so, with a reset beside it (components/SettingsRestored.tsx).
import { defaultSettings, storedSettings, type Settings } from '../../core/geometryControls.ts';

/** Deep equality of JSON-like values; object key order does not matter. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** True when these settings are not the defaults (compared as they are stored). */
export function differsFromDefaults(s: Settings): boolean {
  return !sameJson(storedSettings(s), storedSettings(defaultSettings));
}
