// Manual include/exclude by tile index (the app's click). An explicit include wins over the
// geometric and pixel filters — the user looked at the tile — but not over a failed read.

export const MANUAL_NONE = 0;
export const MANUAL_INCLUDE = 1;
export const MANUAL_EXCLUDE = 2;
export type ManualState = typeof MANUAL_NONE | typeof MANUAL_INCLUDE | typeof MANUAL_EXCLUDE;

/** true = include, false = exclude; indices outside 0..count-1 are reported, not thrown. */
export function manualStates(manual: ReadonlyMap<number, boolean> | undefined, count: number): { states: Uint8Array; outOfRange: number[] } {
  const states = new Uint8Array(count);
  const outOfRange: number[] = [];
  if (manual) {
    for (const [i, include] of manual) {
      if (Number.isInteger(i) && i >= 0 && i < count) states[i] = include ? MANUAL_INCLUDE : MANUAL_EXCLUDE;
      else outOfRange.push(i);
    }
  }
  return { states, outOfRange };
}

/** Cycle a click: none → exclude → include → none (what a toggle button in the app can call). */
export function nextManual(s: ManualState): ManualState {
  return s === MANUAL_NONE ? MANUAL_EXCLUDE : s === MANUAL_EXCLUDE ? MANUAL_INCLUDE : MANUAL_NONE;
}
