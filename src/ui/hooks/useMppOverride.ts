// The typed µm/px for the open slide: read when a slide without a usable recorded resolution opens
// (none, or one no scanner makes — core/scanMpp.ts), saved under its file name on every change.
// Undefined for slides that record their own.
import { useCallback, useState } from 'react';
import type { SlideInfo } from '../../core/slide.ts';
import { slideMppStatus } from '../../core/scanMpp.ts';
import { loadMppOverride, saveMppOverride } from '../mppOverrides.ts';

const storage = (): Storage | null => {
  try {
    return localStorage;
  } catch {
    return null;
  }
};

export function useMppOverride(info: SlideInfo | null, slideName: string) {
  const needed = info !== null && slideMppStatus(info).kind !== 'recorded';
  // keyed by slide: read synchronously for a newly opened slide, so no plan is ever made with the
  // previous slide's value
  const [typed, setTyped] = useState<{ name: string; mpp: number | null } | null>(null);
  const mpp = typed?.name === slideName ? typed.mpp : needed ? loadStored(slideName) : null;
  const set = useCallback(
    (v: number | null) => {
      setTyped({ name: slideName, mpp: v });
      const s = storage();
      if (s && slideName) saveMppOverride(s, slideName, v);
    },
    [slideName],
  );
  return { needed, override: needed && mpp !== null ? mpp : undefined, set };
}

function loadStored(name: string): number | null {
  const s = storage();
  return s ? loadMppOverride(s, name) : null;
}
