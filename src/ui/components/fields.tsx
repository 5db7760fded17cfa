// Small form pieces: numbers that only commit valid values, labelled consistently.
import { useEffect, useId, useRef, useState } from 'react';

interface NumberFieldProps {
  label: string;
  value: number;
  onChange(v: number): void;
  min?: number;
  max?: number;
  step?: number;
  integer?: boolean;
  disabled?: boolean;
  testId?: string;
  suffix?: string;
  title?: string;
}

/** How long typing pauses before a number is applied: "128" typed key by key never plans a tile of 1 or 12. */
const COMMIT_AFTER_MS = 400;

export function NumberField({ label, value, onChange, min, max, step, integer, disabled, testId, suffix, title }: NumberFieldProps) {
  const id = useId();
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);
  /** Applies `t` when it is a valid value; says whether it was. */
  const commit = (t: string): boolean => {
    const v = Number(t);
    if (t.trim() === '' || !Number.isFinite(v)) return false;
    if (integer && !Number.isInteger(v)) return false;
    if (min !== undefined && v < min) return false;
    if (max !== undefined && v > max) return false;
    if (v !== value) onChange(v);
    return true;
  };
  const commitNow = (t: string) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    // an invalid value left in the field goes back to the one in use
    if (!commit(t)) setText(String(value));
  };
  return (
    <label className="field" htmlFor={id} title={title}>
      <span>{label}</span>
      <span className="field-input">
        <input
          id={id}
          type="number"
          inputMode={integer ? 'numeric' : 'decimal'}
          value={text}
          min={min}
          max={max}
          step={step ?? (integer ? 1 : 'any')}
          disabled={disabled}
          data-testid={testId}
          aria-invalid={text !== String(value) && text.trim() !== '' && Number(text) !== value ? true : undefined}
          onChange={(e) => {
            const t = e.target.value;
            setText(t);
            // applied once typing pauses (or at once on Enter or leaving the field)
            if (timer.current) clearTimeout(timer.current);
            timer.current = setTimeout(() => {
              timer.current = null;
              commit(t);
            }, COMMIT_AFTER_MS);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commitNow(e.currentTarget.value);
          }}
          onBlur={(e) => commitNow(e.currentTarget.value)}
        />
        {suffix && <em>{suffix}</em>}
      </span>
    </label>
  );
}

export function Toggle({ label, checked, onChange, testId }: { label: string; checked: boolean; onChange(v: boolean): void; testId?: string }) {
  return (
    <label className="toggle">
      <input type="checkbox" checked={checked} data-testid={testId} onChange={(e) => onChange(e.target.checked)} />
      <span>{label}</span>
    </label>
  );
}

export function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <fieldset className="section">
      <legend>{title}</legend>
      {children}
    </fieldset>
  );
}
