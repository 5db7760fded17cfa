// A length on the slide drawn to the preview's scale, bottom left, like OpenSeadragon's and QuPath's.
// Nothing at all when the µm/px is unknown: a bar from a guessed resolution would mislead.
import { scaleBar } from './scaleBar.ts';

const MAX_PX = 150;

export function ScaleBar({ mpp, scale }: { mpp: number | null; scale: number }) {
  const s = mpp === null ? null : scaleBar(mpp, scale, MAX_PX);
  if (!s) return null;
  return (
    // data-* for tests: the length, the bar's exact width and the µm/px it was drawn with
    <div className="scale-bar" data-testid="scale-bar" data-um={s.um} data-px={s.px} data-mpp={mpp ?? ''} aria-label={`Scale: the bar is ${s.label}`} role="img">
      <div className="scale-bar-label">{s.label}</div>
      <div className="scale-bar-line" data-testid="scale-bar-line" style={{ width: `${s.px}px` }} />
    </div>
  );
}
