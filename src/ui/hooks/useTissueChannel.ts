// Which channel the tissue mask thresholds (core filters/tissue.ts): grey for brightfield, where
// tissue is darker than the glass; saturation for fluorescence and faint stains, where grey fails
// (tissue is dark on a dark background but coloured). Not a plan parameter in the core's schema,
// so it is persisted here, beside the settings; the plan records it (sources.tissue.channel).
import { useCallback, useState } from 'react';
import type { TissueChannel } from '../../core/filters/tissue.ts';

const KEY = 'slidetile.tissue-channel.v1';

function load(): TissueChannel {
  try {
    return localStorage.getItem(KEY) === 'saturation' ? 'saturation' : 'grey';
  } catch {
    return 'grey';
  }
}

export function useTissueChannel() {
  const [channel, setState] = useState<TissueChannel>(load);
  const set = useCallback((c: TissueChannel) => {
    setState(c);
    try {
      localStorage.setItem(KEY, c);
    } catch {
      // private mode: the choice lasts for this page only
    }
  }, []);
  return [channel, set] as const;
}
