// Small form pieces: numbers that only commit valid values, labelled consistently.
import { useEffect, useId, useState } from 'react';

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

export function NumberField({ label, value, onChange, min, max, step, integer, disabled, testId, suffix, title }: NumberFieldProps) {
  const id = useId();
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  const commit = (t: string) => {
    const v = Number(t);
    if (t.trim() === '' || !Number.isFinite(v)) return;
    if (integer && !Number.isInteger(v)) return;
    if (min !== undefined && v < min) return;
    if (max !== undefined && v > max) return;
    if (v !== value) onChange(v);
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
            setText(e.target.value);
            commit(e.target.value);
          }}
          onBlur={() => setText(String(value))}
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
