// Says whether this page will still work without network: the privacy promise made visible.
import type { OfflineState } from './warm.ts';

export function OfflineBadge({ state }: { state: OfflineState }) {
  const text = state.status === 'ready' ? 'works offline' : state.status === 'preparing' ? 'preparing offline use…' : 'online only';
  const title =
    state.status === 'ready'
      ? 'Every file of the app is cached in this browser: it keeps working without network, and slides never leave this machine.'
      : state.status === 'preparing'
        ? 'Caching the app (engine, WebAssembly, demo slide) for offline use.'
        : `The app works, but a reload without network will not: ${state.reason}`;
  return (
    <span className={`offline ${state.status}`} data-testid="offline" data-state={state.status} title={title}>
      {text}
    </span>
  );
}
