// The offline state for the header badge, warmed once per page load.
import { useEffect, useState } from 'react';
import { warmUp, type OfflineState } from './warm.ts';

let started: Promise<void> | null = null;
const listeners = new Set<(s: OfflineState) => void>();
let last: OfflineState = { status: 'preparing' };

export function useOffline(): OfflineState {
  const [state, setState] = useState<OfflineState>(last);
  useEffect(() => {
    listeners.add(setState);
    setState(last);
    // once per page, not per mount (StrictMode mounts twice)
    started ??= warmUp((s) => {
      last = s;
      for (const l of listeners) l(s);
    });
    return () => void listeners.delete(setState);
  }, []);
  return state;
}
