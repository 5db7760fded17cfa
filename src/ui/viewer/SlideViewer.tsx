// The slide with the plan on top: engine pixels at the zoom's resolution, the grid batched in one
// Konva Shape, annotation rings in another. Pan by drag, zoom by wheel/pinch around the pointer.
import Konva from 'konva';
import { forwardRef, memo, useCallback, useEffect, useImperativeHandle, useMemo, useRef, useState } from 'react';
import { Layer, Shape, Stage } from 'react-konva';
import type { PooledSlide } from '../../engine/types.ts';
import { overviewLevel } from '../hooks/useOverview.ts';
import type { TissueMask } from '../../core/filters/tissue.ts';
import { TissueOverlay } from './TissueOverlay.tsx';
import { drawAnnotations, drawGrid, hitTile, type AnnotationRing, type GridOverlay } from './overlay.ts';
import { PyramidCache, pickLevel, regionsIn } from './pyramid.ts';
import { fitViewport, toWorld, visibleWorld, zoomAt, type Viewport } from './viewport.ts';
import { useRestingHover, type Point } from './useRestingHover.ts';
import { Navigator } from './Navigator.tsx';
import { centreOn } from './navigator.ts';
import { ScaleBar } from './ScaleBar.tsx';

export interface ViewerHandle {
  fit(): void;
  zoom(factor: number): void;
  /** 1:1 — one screen (CSS) pixel per level-0 pixel, the HUD's 100% — about the view's centre */
  actualSize(): void;
  /** screen-space centre of the stage, for tests and keyboard zoom */
  stage(): Konva.Stage | null;
}

export interface Overview {
  bitmap: ImageBitmap;
}

interface Props {
  slide: PooledSlide;
  overview: Overview | null;
  grid: GridOverlay | null;
  annotations: AnnotationRing[];
  selected: number;
  /** level-0 µm/px the scale bar draws with (the one planning uses); null or absent hides the bar */
  mpp?: number | null;
  onHover(tile: number, screen: { x: number; y: number } | null): void;
  onSelect(tile: number): void;
  onToggle(tile: number): void;
  /** the visible level-0 rectangle, whenever the view changes (the std scan measures it first) */
  onView?(view: { x0: number; y0: number; x1: number; y1: number }): void;
  /** the overview could not be read: the view must read its own pixels at every zoom */
  overviewFailed?: boolean;
  /** the tissue mask to draw over the pixels, translucent; absent or null: not shown */
  tissueOverlay?: TissueMask | null;
}

function useSize(ref: React.RefObject<HTMLDivElement | null>) {
  const [size, setSize] = useState({ w: 0, h: 0 });
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSize({ w: el.clientWidth, h: el.clientHeight }));
    ro.observe(el);
    setSize({ w: el.clientWidth, h: el.clientHeight });
    return () => ro.disconnect();
  }, [ref]);
  return size;
}

const MAX_REGIONS_IN_VIEW = 160;

/** 100% = one level-0 pixel per screen pixel. */
const zoomLabel = (scale: number) => (scale >= 0.1 ? `${Math.round(scale * 100).toLocaleString('en-US')}%` : `${(scale * 100).toPrecision(2)}%`);

const native = (ctx: Konva.Context) => (ctx as unknown as { _context: CanvasRenderingContext2D })._context;

// memo: the page re-renders on every progress tick of an export; the canvas repaints only when what it
// shows changes (the parent passes stable callbacks and objects)
export const SlideViewer = memo(
  forwardRef<ViewerHandle, Props>(function SlideViewer(props, ref) {
  const { slide, overview, grid, annotations, selected, mpp = null, overviewFailed = false } = props;
  const box = useRef<HTMLDivElement>(null);
  const stageRef = useRef<Konva.Stage>(null);
  const layerRef = useRef<Konva.Layer>(null);
  const { w, h } = useSize(box);
  const [view, setView] = useState<Viewport | null>(null);
  const [hover, setHover] = useState(-1);
  const [, setArrivals] = useState(0);
  const [level, setLevel] = useState(0);
  const levels = slide.info.levels;
  const W = levels[0].width;
  const H = levels[0].height;

  const cache = useMemo(
    () =>
      new PyramidCache(slide, () => {
        layerRef.current?.batchDraw();
        setArrivals((n) => n + 1);
      }),
    [slide],
  );
  useEffect(() => () => cache.dispose(), [cache]);

  const minScale = useMemo(() => (w && h ? fitViewport(W, H, w, h).scale / 4 : 1e-4), [W, H, w, h]);
  const fit = useCallback(() => {
    if (w > 0 && h > 0) setView(fitViewport(W, H, w, h));
  }, [W, H, w, h]);
  // a new slide (or the first size) starts fitted
  const fittedFor = useRef<PooledSlide | null>(null);
  useEffect(() => {
    if (w > 0 && h > 0 && fittedFor.current !== slide) {
      fittedFor.current = slide;
      fit();
    }
  }, [slide, w, h, fit]);

  useImperativeHandle(
    ref,
    () => ({
      fit,
      zoom: (f: number) => setView((v) => (v ? zoomAt(v, f, w / 2, h / 2, minScale) : v)),
      // set, not multiplied (v.scale × 1/v.scale need not be exactly 1): the centre's world point stays put
      actualSize: () => setView((v) => (v ? { scale: 1, x: w / 2 - (w / 2 - v.x) / v.scale, y: h / 2 - (h / 2 - v.y) / v.scale } : v)),
      stage: () => stageRef.current,
    }),
    [fit, w, h, minScale],
  );

  // the navigator moves the view: same zoom, another centre; its wheel zooms about the view's centre
  const centreView = useCallback((wx: number, wy: number) => setView((v) => (v ? centreOn(v, wx, wy, w, h) : v)), [w, h]);
  const zoomCentre = useCallback((f: number) => setView((v) => (v ? zoomAt(v, f, w / 2, h / 2, minScale) : v)), [w, h, minScale]);

  // ask the engine for what the view needs, at the level the zoom needs
  useEffect(() => {
    if (!view || !w || !h) return;
    const dpr = window.devicePixelRatio || 1;
    const lv = pickLevel(levels, view.scale * dpr);
    setLevel(lv);
    const vw = visibleWorld(view, w, h);
    const keys = regionsIn(levels, lv, vw.x0, vw.y0, vw.x1, vw.y1);
    // a slide without a pyramid seen whole would need thousands of full-resolution reads: the
    // overview stands in until the view is zoomed in far enough
    // nor when the overview is (or will be, once read) as fine as this zoom needs — a slide whose only
    // level is small, like the demo: the same pixels read again in regions only held up the workers
    // (the std scan behind them took 2.4× a plain read of its tiles; bench/scan.mjs)
    const ovLevel = overviewFailed ? null : overviewLevel(slide);
    const wanted = (keys.length > MAX_REGIONS_IN_VIEW && overview) || (ovLevel !== null && ovLevel <= lv) ? [] : keys.slice(0, MAX_REGIONS_IN_VIEW);
    const t = setTimeout(() => cache.want(wanted), 40);
    return () => clearTimeout(t);
  }, [view, w, h, levels, cache, overview, overviewFailed, slide]);

  const { onView } = props;
  useEffect(() => {
    if (view && w > 0 && h > 0) onView?.(visibleWorld(view, w, h));
  }, [view, w, h, onView]);

  const vw = view ? visibleWorld(view, w, h) : null;

  const drawPixels = useCallback(
    (kctx: Konva.Context) => {
      if (!view || !vw) return;
      const ctx = native(kctx);
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, W, H);
      ctx.imageSmoothingEnabled = view.scale < 1.5;
      if (overview) ctx.drawImage(overview.bitmap, 0, 0, W, H);
      // coarser cached levels first, so zooming in is never blank while finer regions arrive
      for (let lv = levels.length - 1; lv >= level; lv--) {
        for (const k of regionsIn(levels, lv, vw.x0, vw.y0, vw.x1, vw.y1)) {
          const c = lv === level ? cache.get(k) : cache.peek(k);
          if (c) ctx.drawImage(c.bitmap, c.x, c.y, c.w, c.h);
        }
      }
    },
    [view, vw, W, H, overview, levels, level, cache],
  );

  const drawPlan = useCallback(
    (kctx: Konva.Context) => {
      if (!view || !vw) return;
      const ctx = native(kctx);
      drawAnnotations(ctx, annotations, view.scale);
      const drawn = grid ? drawGrid(ctx, grid, { ...vw, scale: view.scale }, hover >= 0 ? hover : selected) : 0;
      // read-only test hook: how many boxes the last frame drew
      if (box.current) box.current.dataset.drawn = String(drawn);
    },
    [view, vw, grid, annotations, hover, selected],
  );

  // pointer: drag pans, a click without movement toggles the tile under it
  const drag = useRef<{ x: number; y: number; vx: number; vy: number; moved: boolean; id: number } | null>(null);
  const touches = useRef(new Map<number, { x: number; y: number }>());
  const pinch = useRef<{ d: number; scale: number } | null>(null);
  const local = (e: React.PointerEvent | React.WheelEvent) => {
    const r = box.current!.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const tileAt = (sx: number, sy: number) => {
    if (!grid || !view) return -1;
    const p = toWorld(view, sx, sy);
    return hitTile(grid, p.x, p.y);
  };
  // the tooltip's tile is the one under a still pointer: hidden while the view moves, back at rest
  const pointer = useRef<Point | null>(null);
  const hoverAt = (p: Point | null) => {
    const t = p ? tileAt(p.x, p.y) : -1;
    if (t !== hover) setHover(t);
    props.onHover(t, t >= 0 ? p : null);
  };
  useRestingHover(view, pointer, hoverAt);

  const onPointerDown = (e: React.PointerEvent) => {
    if (!view) return;
    const p = local(e);
    box.current!.setPointerCapture(e.pointerId);
    touches.current.set(e.pointerId, p);
    if (touches.current.size === 2) {
      const [a, b] = [...touches.current.values()];
      pinch.current = { d: Math.hypot(a.x - b.x, a.y - b.y), scale: view.scale };
      drag.current = null;
      return;
    }
    drag.current = { x: p.x, y: p.y, vx: view.x, vy: view.y, moved: false, id: e.pointerId };
  };
  const onPointerMove = (e: React.PointerEvent) => {
    const p = local(e);
    pointer.current = p;
    if (touches.current.has(e.pointerId)) touches.current.set(e.pointerId, p);
    if (pinch.current && touches.current.size === 2 && view) {
      const [a, b] = [...touches.current.values()];
      const d = Math.hypot(a.x - b.x, a.y - b.y);
      const target = (pinch.current.scale * d) / pinch.current.d;
      setView(zoomAt(view, target / view.scale, (a.x + b.x) / 2, (a.y + b.y) / 2, minScale));
      return;
    }
    const d = drag.current;
    if (d && d.id === e.pointerId) {
      if (Math.abs(p.x - d.x) + Math.abs(p.y - d.y) > 4) d.moved = true;
      if (d.moved) setView((v) => (v ? { ...v, x: d.vx + p.x - d.x, y: d.vy + p.y - d.y } : v));
      return;
    }
    hoverAt(p);
  };
  const onPointerUp = (e: React.PointerEvent) => {
    touches.current.delete(e.pointerId);
    if (touches.current.size < 2) pinch.current = null;
    const d = drag.current;
    drag.current = null;
    if (!d || d.moved || d.id !== e.pointerId || e.button !== 0) return;
    const p = local(e);
    const t = tileAt(p.x, p.y);
    if (t < 0) return;
    if (e.shiftKey || e.altKey) props.onSelect(t);
    else {
      props.onSelect(t);
      props.onToggle(t);
    }
  };
  const onWheel = (e: React.WheelEvent) => {
    if (!view) return;
    const p = local(e);
    pointer.current = p;
    const f = Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0015));
    setView(zoomAt(view, f, p.x, p.y, minScale));
  };
  // React's wheel listener is passive; stop the page from scrolling under the viewer
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const stop = (e: WheelEvent) => e.preventDefault();
    el.addEventListener('wheel', stop, { passive: false });
    return () => el.removeEventListener('wheel', stop);
  }, []);

  const dsShown = levels[level]?.downsample ?? 1;
  return (
    <>
    <div
      ref={box}
      className="viewer"
      data-testid="viewer"
      data-level={level}
      data-view={view ? `${view.scale},${view.x},${view.y}` : ''}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onPointerLeave={() => {
        pointer.current = null;
        hoverAt(null);
      }}
      onWheel={onWheel}
      role="application"
      aria-label="Slide preview: drag to pan, wheel to zoom, click a tile to toggle it"
    >
      {w > 0 && h > 0 && view && (
        <Stage ref={stageRef} width={w} height={h} scaleX={view.scale} scaleY={view.scale} x={view.x} y={view.y} listening={false}>
          <Layer ref={layerRef} listening={false}>
            <Shape sceneFunc={drawPixels} listening={false} perfectDrawEnabled={false} />
            {props.tissueOverlay && <TissueOverlay mask={props.tissueOverlay} />}
            <Shape sceneFunc={drawPlan} listening={false} perfectDrawEnabled={false} />
          </Layer>
        </Stage>
      )}
      <div className="viewer-hud" aria-hidden>
        level {level} (÷{+dsShown.toFixed(2)}) · {view ? zoomLabel(view.scale) : ''}
        {cache.pending > 0 ? ' · loading…' : ''}
      </div>
      {view && <ScaleBar mpp={mpp} scale={view.scale} />}
    </div>
    {/* beside the viewer, not in it: its pointer and wheel never reach the viewer's pan, zoom and tile
        clicks, and the viewer's canvas stays the only canvas in it */}
    {view && w > 0 && h > 0 && (
      <Navigator worldW={W} worldH={H} bitmap={overview?.bitmap ?? null} view={view} screenW={w} screenH={h} centreOn={centreView} zoom={zoomCentre} />
    )}
    </>
  );
}),
);
