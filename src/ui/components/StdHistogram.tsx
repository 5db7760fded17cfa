// Histogram of measured tile std with the threshold drawn on it.
import { useMemo } from 'react';

export function StdHistogram({ std, threshold }: { std: Float64Array; threshold: number | null }) {
  const bins = 40;
  const data = useMemo(() => {
    let max = 0;
    let n = 0;
    for (const v of std)
      if (!Number.isNaN(v)) {
        n++;
        if (v > max) max = v;
      }
    if (n === 0) return null;
    const top = Math.max(max, threshold ?? 0, 1) * 1.02;
    const h = new Array<number>(bins).fill(0);
    for (const v of std) if (!Number.isNaN(v)) h[Math.min(bins - 1, Math.floor((v / top) * bins))]++;
    return { h, top, n, peak: Math.max(...h) };
  }, [std, threshold]);
  if (!data) return null;
  const W = 240;
  const H = 64;
  const bw = W / bins;
  return (
    <figure className="hist" data-testid="std-histogram" data-n={data.n}>
      <svg width={W} height={H + 14} role="img" aria-label={`Histogram of tile std for ${data.n} measured tiles`}>
        {data.h.map((c, i) => {
          const bh = (c / data.peak) * H;
          const lo = (i / bins) * data.top;
          return <rect key={i} x={i * bw + 0.5} y={H - bh} width={bw - 1} height={bh} className={threshold !== null && lo < threshold ? 'bar rej' : 'bar'} />;
        })}
        {threshold !== null && (
          <g>
            <line x1={(threshold / data.top) * W} x2={(threshold / data.top) * W} y1={0} y2={H} className="thr" />
            <text x={Math.min(W - 40, (threshold / data.top) * W + 3)} y={10} className="thr-label">
              std {threshold}
            </text>
          </g>
        )}
        <text x={0} y={H + 12} className="axis">
          0
        </text>
        <text x={W} y={H + 12} textAnchor="end" className="axis">
          {data.top.toFixed(0)}
        </text>
      </svg>
      <figcaption>tile std, {data.n.toLocaleString('en-US')} measured</figcaption>
    </figure>
  );
}
