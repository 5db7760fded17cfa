// For a slide that does not record a usable openslide.mpp-x/y (none, or one no scanner makes): the
// user types its level-0 µm per pixel (from the scanner's documentation or a calibration slide),
// and µm/px planning works again. Empty clears it. Remembered per slide file name.
import { useEffect, useId, useState } from 'react';
import type { SlideMppStatus } from '../../core/scanMpp.ts';
import { validMpp } from '../mppOverrides.ts';

interface Props {
  value: number | undefined;
  slideName: string;
  onChange(v: number | null): void;
  status: SlideMppStatus | null;
  /** openslide.objective-power, for the example value (10 / objective µm/px) */
  objective: number | null;
  /** the Resolution section already says why it is needed: no second note */
  explained: boolean;
}

export function MppOverrideField({ value, slideName, onChange, status, objective, explained }: Props) {
  const example = objective ? `${Number((10 / objective).toPrecision(3))}` : '0.25';
  const id = useId();
  const [text, setText] = useState(value === undefined ? '' : String(value));
  useEffect(() => setText(value === undefined ? '' : String(value)), [value]);
  const commit = (t: string) => {
    if (t.trim() === '') return value !== undefined && onChange(null);
    const v = Number(t);
    if (validMpp(v) && v !== value) onChange(v);
  };
  const bad = text.trim() !== '' && !validMpp(Number(text));
  return (
    <div className="mpp-override" data-testid="mpp-override-box">
      <label className="field" htmlFor={id} title="The slide does not record its resolution: type its level-0 µm per pixel to plan by µm/px">
        <span>slide µm/px</span>
        <span className="field-input">
          <input
            id={id}
            type="number"
            inputMode="decimal"
            min={0}
            step="any"
            placeholder={`e.g. ${example}`}
            value={text}
            data-testid="mpp-override"
            aria-invalid={bad || undefined}
            onChange={(e) => {
              setText(e.target.value);
              commit(e.target.value);
            }}
          />
          <em>level 0</em>
        </span>
      </label>
      {value !== undefined ? (
        <p className="note">Typed by you, remembered for {slideName}; clear it to forget.</p>
      ) : (
        !explained && (
          <p className="note">
            {status?.kind === 'implausible' ? `The file's value is not usable (${status.why}). ` : 'Not recorded in this slide. '}
            Type it (e.g. 0.25 at 40×, 0.5 at 20×{objective ? `; this slide was scanned at ${objective}×` : ''}) to choose the level by µm/px.
          </p>
        )
      )}
    </div>
  );
}
