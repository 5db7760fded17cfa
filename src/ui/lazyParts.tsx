// Parts of the page the first screen does not show, loaded on demand so the first load stays small
// (tools/build/chunkBudget.ts holds the budget): the slide viewer — Konva and its React renderer are
// a third of the app's code, and nothing is drawn until a slide is open — and the help overlay.
// main.tsx starts loading the viewer once the first screen is painted, so opening a slide does not
// wait for it; until it arrives an empty, busy frame holds its place.
import { forwardRef, lazy, memo, Suspense, type ComponentProps } from 'react';
import type { ViewerHandle } from './viewer/SlideViewer.tsx';

const loadViewer = () => import('./viewer/SlideViewer.tsx');
const LazyViewer = lazy(() => loadViewer().then((m) => ({ default: m.SlideViewer })));
const LazyHelp = lazy(() => import('./components/HelpOverlay.tsx').then((m) => ({ default: m.HelpOverlay })));

/** Fetches what a slide needs to be shown, ahead of time (idempotent: the module loads once). */
export function preloadLazyParts(): void {
  void loadViewer();
}

type ViewerProps = Omit<ComponentProps<typeof LazyViewer>, 'ref'>;

// memo, as the viewer itself: an export's progress re-renders the page, not the canvas
export const SlideViewer = memo(
  forwardRef<ViewerHandle, ViewerProps>(function SlideViewerSlot(props, ref) {
    return (
      <Suspense fallback={<div className="viewer" aria-busy="true" data-testid="viewer-loading" />}>
        <LazyViewer ref={ref} {...props} />
      </Suspense>
    );
  }),
);

export function HelpOverlay(props: ComponentProps<typeof LazyHelp>) {
  return (
    <Suspense fallback={null}>
      <LazyHelp {...props} />
    </Suspense>
  );
}
