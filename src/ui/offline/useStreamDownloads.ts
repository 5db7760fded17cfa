// Whether a zip can be streamed to a download right now: it can once the app's service worker
// controls the page, which may happen after the first render (first visit: it takes over when its
// install finishes). Re-renders on `controllerchange`.
import { useEffect, useState } from 'react';
import { streamUnavailableReason } from '../../export/downloadSink.ts';

export interface StreamAvailability {
  ok: boolean;
  /** why not, when not */
  reason: string | null;
}

const now = (): StreamAvailability => {
  const reason = streamUnavailableReason();
  return { ok: reason === null, reason };
};

export function useStreamDownloads(): StreamAvailability {
  const [state, setState] = useState<StreamAvailability>(now);
  useEffect(() => {
    const sw = (globalThis.navigator as Navigator | undefined)?.serviceWorker;
    if (!sw) return;
    const update = () => setState(now());
    update();
    sw.addEventListener('controllerchange', update);
    return () => sw.removeEventListener('controllerchange', update);
  }, []);
  return state;
}
