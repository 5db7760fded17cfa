// The grid's geometry fields and resolution by magnification; the rules live in
// core/geometryControls.ts. Tile size with presets; the stride tied to the tile through an overlap in px
// (its % beside it) unless untied; a stride larger than the tile (gaps) is said out loud, with what it
// costs. Magnification is only another way to type the target µm/px.
import {
  gapCounts,
  isMagnification,
  magnificationChoices,
  magnificationForMpp,
  maxOverlap,
  mppForMagnification,
  overlapPercent,
  strideGaps,
  tiedOverlap,
  TILE_PRESETS,
  type MagnificationBase,
} from '../../core/geometryControls.ts';
import type { PlanParams } from '../../core/params.ts';
import { NumberField, Toggle } from './fields.tsx';

/** A row of small toggle-like buttons (presets); the pressed one is the current value. */
const chipRow: React.CSSProperties = { display: 'flex', gap: 4, flexWrap: 'wrap', alignItems: 'center' };
const chip: React.CSSProperties = { padding: '1px 7px', fontSize: 12.5 };

export interface GeometryProps {
  strideTied: boolean;
  tieStride(tied: boolean): void;
  setOverlap(px: number): void;
}

interface TileStrideProps extends GeometryProps {
  params: PlanParams;
  update(patch: Partial<PlanParams>): void;
  /** the chosen level's [width, height], for what gaps cost; null while no level is chosen */
  extent: [number, number] | null;
}

const fmt = (n: number) => n.toLocaleString('en-US');

export function TileStrideFields({ params, update, strideTied, tieStride, setOverlap, extent }: TileStrideProps) {
  const { tile, stride } = params;
  const overlap = tiedOverlap(tile, stride);
  // while tied, a tile no larger than the overlap would leave no stride: such a value is not committed
  // (so typing 256 digit by digit into a field with a 32-px overlap never passes through "2")
  const tileMin = strideTied && overlap !== null ? overlap + 1 : 1;
  const tileTitle = tileMin > 1 ? `larger than the overlap (${overlap} px)` : undefined;
  const gaps = strideGaps(tile, stride);
  const cost = gaps && extent ? gapCounts(extent, tile, stride, params.last) : null;
  const pct = overlap !== null ? overlapPercent(tile, overlap) : null;
  return (
    <div className="geometry" data-testid="geometry" data-tied={strideTied ? '1' : '0'}>
      <div className="pair">
        <NumberField label="tile w" value={tile[0]} integer min={tileMin} title={tileTitle} testId="tile-w" onChange={(v) => update({ tile: [v, tile[1]] })} suffix="px" />
        <NumberField label="tile h" value={tile[1]} integer min={tileMin} title={tileTitle} testId="tile-h" onChange={(v) => update({ tile: [tile[0], v] })} suffix="px" />
      </div>
      <div style={chipRow} role="group" aria-label="Tile size presets">
        <span className="note">size</span>
        {TILE_PRESETS.map((p) => {
          const on = tile[0] === p && tile[1] === p;
          return (
            <button
              key={p}
              type="button"
              style={chip}
              className={on ? 'primary' : undefined}
              aria-pressed={on}
              data-testid={`tile-preset-${p}`}
              onClick={() => update({ tile: [p, p] })}
            >
              {p}
            </button>
          );
        })}
      </div>
      <Toggle label="stride follows the tile (overlap)" checked={strideTied} testId="stride-tied" onChange={tieStride} />
      {strideTied && overlap !== null ? (
        <>
          <NumberField
            label="overlap"
            value={overlap}
            integer
            min={0}
            max={maxOverlap(tile)}
            testId="overlap"
            suffix="px"
            title="kept in px when the tile changes (as QuPath's tile exporter does); stride = tile − overlap"
            onChange={setOverlap}
          />
          <p className="note" data-testid="overlap-note" data-percent={pct ?? ''}>
            {pct !== null && `${+pct.toFixed(1)}% of the tile`} · stride {stride[0]} × {stride[1]} px (tile − overlap)
          </p>
        </>
      ) : (
        <p className="note" data-testid="stride-untied">
          The stride is untied: it stays as typed when the tile changes.
        </p>
      )}
      <div className="pair" title={strideTied ? 'a stride that is not tile − one overlap unties it from the tile' : undefined}>
        <NumberField label="stride x" value={stride[0]} integer min={1} testId="stride-x" onChange={(v) => update({ stride: [v, stride[1]] })} suffix="px" />
        <NumberField label="stride y" value={stride[1]} integer min={1} testId="stride-y" onChange={(v) => update({ stride: [stride[0], v] })} suffix="px" />
      </div>
      {gaps && (
        <p className="warn" data-testid="stride-gaps" data-planned={cost?.planned ?? ''} data-gap-free={cost?.gapFree ?? ''}>
          Gaps: the stride is larger than the tile, so{' '}
          {gaps.x > 0 && gaps.y > 0 ? `${gaps.x} px across and ${gaps.y} px down` : gaps.x > 0 ? `${gaps.x} px across` : `${gaps.y} px down`} between neighbouring tiles are never read
          {cost ? ` — ${fmt(cost.planned)} tiles planned where this tile without gaps makes ${fmt(cost.gapFree)}` : ''}.{' '}
          <button type="button" className="link" data-testid="tie-stride" onClick={() => tieStride(true)}>
            tie the stride to the tile
          </button>
        </p>
      )}
      {/* always enabled: it ties the stride as well, so it is never a no-op the user cannot see */}
      <button type="button" className="link" onClick={() => setOverlap(0)}>
        stride = tile (no overlap)
      </button>
    </div>
  );
}

interface MagnificationProps {
  base: MagnificationBase;
  /** the target µm/px */
  mpp: number;
  onMpp(mpp: number): void;
}

/** Magnification beside µm/px: a number and the slide's presets, each only sets the target µm/px. */
export function MagnificationField({ base, mpp, onMpp }: MagnificationProps) {
  const mag = Number(magnificationForMpp(base, mpp).toPrecision(4));
  return (
    <div className="magnification" data-testid="magnification-box" data-objective={base.objective} data-base-mpp={base.mpp}>
      <NumberField
        label="magnification"
        value={mag}
        min={0.01}
        step={1}
        suffix="×"
        testId="magnification"
        title={`µm/px = ${base.mpp} × ${base.objective} / magnification`}
        onChange={(m) => onMpp(mppForMagnification(base, m))}
      />
      <div style={chipRow} role="group" aria-label="Magnification presets">
        {magnificationChoices(base).map((m) => {
          const on = isMagnification(base, mpp, m);
          return (
            <button key={m} type="button" style={chip} className={on ? 'primary' : undefined} aria-pressed={on} data-testid={`mag-${m}`} onClick={() => onMpp(mppForMagnification(base, m))}>
              {m}×
            </button>
          );
        })}
      </div>
      <p className="note">
        Scanned with a {base.objective}× objective at {+base.mpp.toFixed(4)} µm/px: a magnification sets µm/px = {+base.mpp.toFixed(4)} × {base.objective} / magnification. The plan and
        the export stay in µm/px.
      </p>
    </div>
  );
}
