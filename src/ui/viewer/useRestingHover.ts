// The hover tooltip names the tile under a still pointer. While the view moves under it — wheel or
// pinch zoom, a drag, the keyboard, the navigator — the tile under the pointer changes with every
// frame, and a tooltip left in place would name a tile that is no longer there; so it hides as soon
// as the view moves and comes back, for the tile now under the pointer, once the view has rested.
import { useEffect, useRef, type RefObject } from 'react';

/** ms without a view change after which the view counts as resting (wheel ticks come every ~16–100 ms) */
export const HOVER_REST_MS = 250;

export interface Point {
  x: number;
  y: number;
}

/**
 * `pointer`: where the pointer is over the viewer (null when it is elsewhere), kept by the caller;
 * `hoverAt(p)`: hit-tests p against the current view and shows its tile, `hoverAt(null)` hides.
 */
export function useRestingHover(view: unknown, pointer: RefObject<Point | null>, hoverAt: (p: Point | null) => void): void {
  const latest = useRef(hoverAt);
  latest.current = hoverAt;
  useEffect(() => {
    if (!pointer.current) return;
    latest.current(null);
    const t = setTimeout(() => {
      // read when the timer fires: the pointer may have moved or left meanwhile
      if (pointer.current) latest.current(pointer.current);
    }, HOVER_REST_MS);
    return () => clearTimeout(t);
  }, [view, pointer]);
}
