// Live plan counts: planned, the one "tiles to save" figure (core/toSave.ts: the Extract button, the
// export's progress target and the zip's name show the same), rejected by reason (the labels of
// tiles.csv), and the std scan's progress. While tiles are unmeasured the figure is never a promise:
// it says how many are sure, how many may be, and how many are still unmeasured.
import type { PlanCounts } from '../../core/index.ts';
import type { TilesToSave } from '../../core/toSave.ts';
import type { ScanState } from '../hooks/useStdScan.ts';
import { styleFor } from '../viewer/overlay.ts';

const n = (x: number) => x.toLocaleString('en-US');

export function Counts({ counts, toSave, limit, scan }: { counts: PlanCounts; toSave: TilesToSave; limit: number | null; scan: ScanState | null }) {
  const reasons = Object.entries(counts.byReason).filter(([, k]) => k > 0);
  return (
    <section
      className="counts"
      aria-label="Plan counts"
      data-testid="counts"
      data-total={counts.total}
      data-accepted={counts.accepted}
      data-pending={counts.pending}
      data-to-save={toSave.count}
      data-up-to={toSave.upTo}
      data-unmeasured={toSave.unmeasured}
      data-exact={toSave.exact ? '1' : '0'}
    >
      <div className="count big">
        <b data-testid="count-total">{n(counts.total)}</b> planned
      </div>
      <div className="count big accepted">
        <i className="swatch" style={{ borderColor: styleFor('accepted').stroke }} />
        <b data-testid="count-accepted">{n(toSave.count)}</b> {toSave.exact ? 'to save' : `sure to save, up to ${n(toSave.upTo)}`}
        {limit !== null && <small> (limit {limit})</small>}
      </div>
      {toSave.unmeasured > 0 && !toSave.exact && (
        // each may still fall to the std filter: an extraction reads and decides it from its own read
        <div
          className="count big unmeasured"
          data-testid="count-unmeasured"
          data-n={toSave.unmeasured}
          title="These tiles pass every other filter; their std is measured when read (by the background scan or by the extraction itself)."
        >
          <i className="swatch" style={{ borderColor: styleFor('accepted').stroke, borderStyle: 'dotted' }} />
          <b>{n(toSave.unmeasured)}</b> not yet measured (std)
        </div>
      )}
      {scan?.running && scan.total > 0 && (
        <div className="scan-progress" data-testid="scan" data-measured={scan.measured} data-total={scan.total}>
          <progress value={scan.measured} max={scan.total} aria-label="Measuring tile std" />
          <small>
            measuring std: {n(scan.measured)} / {n(scan.total)} tiles, those in view first
          </small>
        </div>
      )}
      {reasons.map(([r, k]) => {
        const st = styleFor(r);
        return (
          <div className="count" key={r} data-testid={`count-${r}`} data-n={k}>
            <i className="swatch" style={{ borderColor: st.stroke, borderStyle: st.dash ? 'dashed' : 'solid' }} />
            <b>{n(k)}</b> {st.label}
          </div>
        );
      })}
    </section>
  );
}
