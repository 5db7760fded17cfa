// For a slide that does not record openslide.mpp-x/y: the user types its level-0 µm per pixel
// (from the scanner's documentation or a calibration slide), and µm/px planning works again.
// Empty clears it. Remembered per slide file name.
import { useEffect, useId, useState } from 'react';
import { validMpp } from '../mppOverrides.ts';

interface Props {
  value: number | undefined;
  slideName: string;
  onChange(v: number | null): void;
}

export function MppOverrideField({ value, slideName, onChange }: Props) {
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
            placeholder="e.g. 0.25"
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
      <p className="note">
        {value === undefined
          ? 'Not recorded in this slide. Type it (e.g. 0.25 at 40×, 0.5 at 20×) to choose the level by µm/px.'
          : `Typed by you, remembered for ${slideName}; clear it to forget.`}
      </p>
    </div>
  );
}
