// Hover tooltip and the inspector: a tile's index, level, coordinates, filter values, and the exact
// crop that will be saved (ratiopath read_tile: level px, composited onto the background).
import { useEffect, useRef, useState } from 'react';
import { levelPx, type PooledSlide } from '../../engine/types.ts';
import { REASONS, type Plan } from '../../core/index.ts';
import { styleFor } from '../viewer/overlay.ts';
import { ShortcutKey } from './ShortcutKey.tsx';

function facts(plan: Plan, i: number) {
  const x = plan.grid.origins[2 * i];
  const y = plan.grid.origins[2 * i + 1];
  const ds = plan.downsample;
  const reason = REASONS[plan.reason[i]] || 'accepted';
  return { x, y, x0: Math.round(x * ds), y0: Math.round(y * ds), reason, std: plan.std[i], tissue: plan.tissue[i], coverage: plan.coverage[i] };
}
const num = (v: number, d = 2) => (Number.isNaN(v) ? '–' : v.toFixed(d));

/** Shown for a still pointer only: the viewer hides it while the view moves (viewer/useRestingHover.ts). */
export function TileTooltip({ plan, index, at }: { plan: Plan; index: number; at: { x: number; y: number } }) {
  const f = facts(plan, index);
  return (
    <div className="tooltip" style={{ left: at.x + 14, top: at.y + 14 }} role="tooltip" data-testid="tooltip" data-tile={index}>
      <b>tile {index}</b> · level {plan.level}
      <br />
      level px {f.x}, {f.y} · level-0 {f.x0}, {f.y0}
      <br />
      std {num(f.std)} · tissue {num(f.tissue)} · coverage {num(f.coverage)}
      <br />
      <span style={{ color: styleFor(f.reason).stroke }}>{styleFor(f.reason).label}</span>
      {plan.manual[index] ? ' (by hand)' : ''}
    </div>
  );
}

export function Inspector({ slide, plan, index, fileName, onToggle }: { slide: PooledSlide; plan: Plan; index: number; fileName: string; onToggle(i: number): void }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [state, setState] = useState<'loading' | 'ok' | string>('loading');
  const f = facts(plan, index);
  const [w, h] = plan.tile;
  useEffect(() => {
    const ac = new AbortController();
    setState('loading');
    slide
      .readTile(levelPx(f.x), levelPx(f.y), plan.level, levelPx(w), levelPx(h), plan.params.background, { signal: ac.signal })
      .then((img) => {
        const c = canvas.current;
        if (!c || ac.signal.aborted) return;
        c.width = img.width;
        c.height = img.height;
        const rgba = new Uint8ClampedArray(img.width * img.height * 4);
        for (let p = 0, q = 0; p < img.data.length; p += 3, q += 4) {
          rgba[q] = img.data[p];
          rgba[q + 1] = img.data[p + 1];
          rgba[q + 2] = img.data[p + 2];
          rgba[q + 3] = 255;
        }
        c.getContext('2d')!.putImageData(new ImageData(rgba, img.width, img.height), 0, 0);
        setState('ok');
      })
      .catch((e: unknown) => !ac.signal.aborted && setState(e instanceof Error ? e.message : String(e)));
    return () => ac.abort();
  }, [slide, plan.level, f.x, f.y, w, h, plan.params.background]);
  return (
    <section className="panel inspector" aria-label="Tile inspector" data-testid="inspector" data-index={index}>
      <h3>
        Tile {index} <small>{fileName}</small>
      </h3>
      <div className="crop">
        <canvas ref={canvas} aria-label={`Crop of tile ${index}`} className={state === 'ok' ? '' : 'dim'} />
        {state !== 'ok' && <p className={state === 'loading' ? 'note' : 'warn'}>{state === 'loading' ? 'reading…' : state}</p>}
      </div>
      <dl className="tile-facts">
        <dt>level</dt>
        <dd>
          {plan.level} (÷{plan.downsample.toFixed(3)})
        </dd>
        <dt>x, y</dt>
        <dd>
          {f.x}, {f.y} level px
        </dd>
        <dt>x0, y0</dt>
        <dd>
          {f.x0}, {f.y0} level-0 px
        </dd>
        <dt>size</dt>
        <dd>
          {w}×{h}
        </dd>
        <dt>std</dt>
        <dd>{num(f.std, 3)}</dd>
        <dt>tissue</dt>
        <dd>{num(f.tissue)}</dd>
        <dt>coverage</dt>
        <dd>{num(f.coverage)}</dd>
        <dt>decision</dt>
        <dd>{styleFor(f.reason).label}</dd>
      </dl>
      <button type="button" onClick={() => onToggle(index)} data-testid="inspector-toggle">
        {f.reason === 'accepted' ? 'Exclude this tile' : 'Include this tile'} <ShortcutKey k="x" />
      </button>
    </section>
  );
}
