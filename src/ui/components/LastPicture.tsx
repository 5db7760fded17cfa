// A tiny drawing of what `last` does at the slide's right edge: drop, keep (overhang), shift (back).
import type { PlanParams } from '../../core/params.ts';

export function LastPicture({ last }: { last: PlanParams['last'] }) {
  // slide 5 units wide, tiles 2 units: ratiopath's own example
  const u = 9;
  const xs = last === 'drop' ? [0, 2] : last === 'keep' ? [0, 2, 4] : [0, 2, 3];
  return (
    <svg width={6.5 * u} height={3.2 * u} viewBox={`-2 -2 ${6.5 * u} ${3.2 * u}`} aria-hidden className="last-pic">
      <rect x={0} y={0} width={5 * u} height={2.6 * u} className="last-slide" />
      {xs.map((x, i) => (
        <rect key={i} x={x * u + 1} y={0.3 * u + i} width={2 * u - 2} height={2 * u} className={x + 2 > 5 ? 'last-over' : x % 2 ? 'last-shift' : 'last-tile'} />
      ))}
    </svg>
  );
}
