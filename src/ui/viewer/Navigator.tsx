// The whole slide in a small box (bottom right) with the viewer's current view as a rectangle: a click
// centres the view there, a drag moves it continuously, the wheel zooms around the view's centre. It
// can be folded away. It sits beside the viewer (not inside it), takes no keyboard focus but its fold
// button's, and keeps its pointer and wheel events to itself, so the viewer's own drag,
// click-to-toggle and shortcuts behave as before everywhere else.
import { useEffect, useRef, useState } from 'react';
import { dragGrab, minimapLayout, minimapToWorld, viewCentre, viewRect } from './navigator.ts';
import type { Viewport } from './viewport.ts';

interface Props {
  worldW: number;
  worldH: number;
  /** the slide's overview pixels; without them the minimap is the slide's outline only */
  bitmap: ImageBitmap | null;
  view: Viewport;
  screenW: number;
  screenH: number;
  centreOn(wx: number, wy: number): void;
  zoom(factor: number): void;
}

const MAX_W = 200;
const MAX_H = 160;
const FOLD_KEY = 'slidetile.navigator.folded';

function loadFolded(): boolean {
  try {
    return localStorage.getItem(FOLD_KEY) === '1';
  } catch {
    return false;
  }
}

export function Navigator({ worldW, worldH, bitmap, view, screenW, screenH, centreOn, zoom }: Props) {
  const [folded, setFolded] = useState(loadFolded);
  const canvas = useRef<HTMLCanvasElement>(null);
  // at most a third of the viewer each way, so a small window keeps most of its view
  const map = minimapLayout(worldW, worldH, Math.min(MAX_W, screenW / 3), Math.min(MAX_H, screenH / 3));
  const rect = viewRect(view, screenW, screenH, map);
  const drag = useRef<{ id: number; dx: number; dy: number } | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const zoomRef = useRef(zoom);
  zoomRef.current = zoom;

  // wheel over the minimap zooms the view about its own centre (the point under the pointer is a
  // minimap point); a native, non-passive listener, as the viewer's, so the page never scrolls instead
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      if ((e.target as Element).closest?.('.navigator-map')) zoomRef.current(Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0015)));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, []);

  useEffect(() => {
    const c = canvas.current;
    if (!c || folded) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.round(map.width * dpr);
    c.height = Math.round(map.height * dpr);
    const ctx = c.getContext('2d');
    if (!ctx) return;
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, c.width, c.height);
    if (bitmap) {
      ctx.imageSmoothingQuality = 'high';
      ctx.drawImage(bitmap, 0, 0, c.width, c.height);
    }
  }, [bitmap, map.width, map.height, folded]);

  const toggleFold = () => {
    setFolded((f) => {
      try {
        localStorage.setItem(FOLD_KEY, f ? '0' : '1');
      } catch {
        /* private mode: folding lasts for this page only */
      }
      return !f;
    });
  };

  // minimap px: from the canvas, inside the box's border
  const local = (e: React.PointerEvent) => {
    const r = (canvas.current ?? e.currentTarget).getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const moveTo = (p: { x: number; y: number }, dx: number, dy: number) => {
    const w = minimapToWorld(map, p.x + dx, p.y + dy, worldW, worldH);
    centreOn(w.x, w.y);
  };
  const onPointerDown = (e: React.PointerEvent<HTMLDivElement>) => {
    e.stopPropagation();
    if (e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    const p = local(e);
    const g = dragGrab(rect, viewCentre(view, screenW, screenH), p, map);
    drag.current = { id: e.pointerId, ...g };
    moveTo(p, g.dx, g.dy);
  };
  const onPointerMove = (e: React.PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (d && d.id === e.pointerId) moveTo(local(e), d.dx, d.dy);
  };
  const onPointerUp = (e: React.PointerEvent<HTMLDivElement>) => {
    e.stopPropagation();
    if (drag.current?.id === e.pointerId) drag.current = null;
  };

  return (
    <div ref={box} className={`navigator${folded ? ' folded' : ''}`} data-testid="navigator" data-folded={folded ? '1' : '0'} onPointerDown={(e) => e.stopPropagation()}>
      <button
        type="button"
        className="navigator-fold"
        data-testid="navigator-fold"
        onClick={toggleFold}
        aria-expanded={!folded}
        aria-label={folded ? 'Show the navigator' : 'Hide the navigator'}
        title={folded ? 'Show the navigator' : 'Hide the navigator'}
      >
        {folded ? 'navigator ▴' : '▾'}
      </button>
      {!folded && (
        <div
          className="navigator-map"
          data-testid="navigator-map"
          style={{ width: map.width, height: map.height }}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={onPointerUp}
          role="img"
          aria-label="Navigator: the whole slide; click or drag to move the view"
        >
          <canvas ref={canvas} data-testid="navigator-canvas" data-overview={bitmap ? '1' : '0'} style={{ width: map.width, height: map.height }} />
          {rect && (
            <div
              className="navigator-view"
              data-testid="navigator-view"
              style={{ left: rect.x, top: rect.y, width: rect.w, height: rect.h }}
            />
          )}
        </div>
      )}
    </div>
  );
}
