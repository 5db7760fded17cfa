// Live plan counts: planned, accepted, rejected by reason (the same labels as tiles.csv).
import type { PlanCounts } from '../../core/index.ts';
import { styleFor } from '../viewer/overlay.ts';

export function Counts({ counts, limit }: { counts: PlanCounts; limit: number | null }) {
  const reasons = Object.entries(counts.byReason).filter(([, n]) => n > 0);
  return (
    <section className="counts" aria-label="Plan counts" data-testid="counts" data-total={counts.total} data-accepted={counts.accepted} data-pending={counts.pending}>
      <div className="count big">
        <b data-testid="count-total">{counts.total.toLocaleString('en-US')}</b> planned
      </div>
      <div className="count big accepted">
        <i className="swatch" style={{ borderColor: styleFor('accepted').stroke }} />
        <b data-testid="count-accepted">{counts.accepted.toLocaleString('en-US')}</b> to save
        {limit !== null && <small> (limit {limit})</small>}
        {counts.pending > 0 && (
          // accepted so far, but their std is not measured yet: an extraction reads each of them and
          // decides it from its own read, so "to save" can still fall by up to this many
          <small data-testid="count-unmeasured" title="These tiles pass every other filter; their std is measured when read (by the background scan or by the extraction itself).">
            {' '}
            · {counts.pending.toLocaleString('en-US')} not yet measured (std)
          </small>
        )}
      </div>
      {reasons.map(([r, n]) => {
        const st = styleFor(r);
        return (
          <div className="count" key={r} data-testid={`count-${r}`} data-n={n}>
            <i className="swatch" style={{ borderColor: st.stroke, borderStyle: st.dash ? 'dashed' : 'solid' }} />
            <b>{n.toLocaleString('en-US')}</b> {st.label}
          </div>
        );
      })}
    </section>
  );
}
