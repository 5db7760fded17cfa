// Which channel the tissue mask thresholds (core filters/tissue.ts): 'auto' (the default: the slide's
// dark or bright background picks fluorescence or grey), or one chosen by hand — grey for brightfield,
// where tissue is darker than the glass; saturation for faint brightfield stains; fluorescence for a
// dark background, where tissue is brighter. Not a plan parameter in the core's schema, so it is
// persisted here, beside the settings; the plan records it (sources.tissue.mode and .channel).
import { useCallback, useState } from 'react';
import type { TissueMode } from '../../core/filters/tissue.ts';

// v2: 'auto' became the default; a v1 choice of grey was the old default, not a choice, so it is not carried over
const KEY = 'slidetile.tissue-channel.v2';
const MODES: readonly TissueMode[] = ['auto', 'grey', 'saturation', 'fluorescence'];

function load(): TissueMode {
  try {
    const v = localStorage.getItem(KEY);
    return MODES.includes(v as TissueMode) ? (v as TissueMode) : 'auto';
  } catch {
    return 'auto';
  }
}

export function useTissueChannel() {
  const [mode, setState] = useState<TissueMode>(load);
  const set = useCallback((c: TissueMode) => {
    setState(c);
    try {
      localStorage.setItem(KEY, c);
    } catch {
      // private mode: the choice lasts for this page only
    }
  }, []);
  return [mode, set] as const;
}
