// The µm/px a user typed for a slide that does not record it, remembered per slide file name so the
// same slide opened tomorrow plans at the same resolution. Only ever applied to slides without
// openslide.mpp-x/y: a recorded resolution is the slide's truth and is never overridden here.

export const MPP_KEY = 'slidetile.mpp-override.v1';
/** bounded: a long-lived browser should not grow this without limit; the oldest names go first */
export const MAX_REMEMBERED = 200;

type Store = Pick<Storage, 'getItem' | 'setItem'>;

function readAll(store: Store): Record<string, number> {
  try {
    const raw = JSON.parse(store.getItem(MPP_KEY) ?? '{}') as unknown;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
    return Object.fromEntries(Object.entries(raw).filter(([, v]) => validMpp(v))) as Record<string, number>;
  } catch {
    return {};
  }
}

export function validMpp(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 && v < 1000;
}

export function loadMppOverride(store: Store, slideName: string): number | null {
  return readAll(store)[slideName] ?? null;
}

/** Saves (or with null forgets) the override for one slide; storage errors only cost persistence. */
export function saveMppOverride(store: Store, slideName: string, mpp: number | null): void {
  const all = readAll(store);
  delete all[slideName];
  if (mpp !== null && validMpp(mpp)) all[slideName] = mpp; // re-inserted last: most recent
  const names = Object.keys(all);
  for (const n of names.slice(0, Math.max(0, names.length - MAX_REMEMBERED))) delete all[n];
  try {
    store.setItem(MPP_KEY, JSON.stringify(all));
  } catch {
    // private mode or full storage
  }
}
