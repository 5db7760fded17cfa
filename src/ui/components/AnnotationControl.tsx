// Annotation file, coverage threshold and class for the coverage filter.
import { useRef } from 'react';
import type { PlanParams } from '../../core/index.ts';
import type { LoadedAnnotations } from '../hooks/useAnnotations.ts';
import { NumberField } from './fields.tsx';
import type { Refusal } from '../../core/refusals.ts';
import { RefusalMessage } from './RefusalMessage.tsx';

interface Props {
  loaded: LoadedAnnotations | null;
  error: string | null;
  /** a refused file's cause and what to do; shown instead of `error` when present */
  refusal?: Refusal | null;
  params: PlanParams;
  update(patch: Partial<PlanParams>): void;
  onFile(f: File): void;
  onClear(): void;
}

export function AnnotationControl({ loaded, error, refusal, params, update, onFile, onClear }: Props) {
  const input = useRef<HTMLInputElement>(null);
  const cov = params.coverage;
  const ign = loaded?.set.ignored;
  return (
    <div className="annot">
      <div className="row">
        <button type="button" onClick={() => input.current?.click()}>
          {loaded ? 'Other annotations…' : 'Load annotations…'}
        </button>
        {loaded && (
          <button type="button" className="link" onClick={onClear}>
            remove
          </button>
        )}
        <input
          ref={input}
          type="file"
          hidden
          accept=".geojson,.json,.xml"
          data-testid="annotation-input"
          aria-label="Annotation file (QuPath GeoJSON, ASAP XML, ImageScope XML)"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) onFile(f);
            e.target.value = '';
          }}
        />
      </div>
      {error && (
        <p className="warn" role="alert" data-testid="annotation-error" data-kind={refusal?.kind}>
          {refusal ? <RefusalMessage refusal={refusal} verb="was not loaded" reasonLabel="Reason" /> : error}
          {loaded && (
            <>
              {' '}
              <span data-testid="annotation-kept">— not loaded; {loaded.name} is still in use.</span>
            </>
          )}
        </p>
      )}
      {loaded && (
        <p className="note" data-testid="annotation-summary">
          {loaded.name}: {loaded.set.shapes.length} shape{loaded.set.shapes.length === 1 ? '' : 's'} ({loaded.set.format})
          {loaded.classes.length > 0 && <> · classes {loaded.classes.join(', ')}</>}
          {ign && ign.points + ign.lines + ign.other > 0 && (
            <>
              {' '}
              · ignored {ign.points} points, {ign.lines} lines{ign.other ? `, ${ign.other} other` : ''}
            </>
          )}
          {(loaded.offset[0] !== 0 || loaded.offset[1] !== 0) && <> · shifted by the slide bounds ({loaded.offset.join(', ')})</>}
        </p>
      )}
      {loaded && (
        <>
          <label className="toggle">
            <input type="checkbox" checked={cov !== null} data-testid="coverage-on" onChange={(e) => update({ coverage: e.target.checked ? { min: 0.5, classes: [] } : null })} />
            <span>annotation coverage at least</span>
          </label>
          {cov && (
            <>
              <NumberField label="coverage ≥" value={cov.min} min={0} max={1} step={0.05} testId="coverage" onChange={(min) => update({ coverage: { ...cov, min } })} />
              <label className="field">
                <span>class</span>
                <select
                  value={cov.classes[0] ?? ''}
                  data-testid="coverage-class"
                  onChange={(e) => update({ coverage: { ...cov, classes: e.target.value ? [e.target.value] : [] } })}
                >
                  <option value="">any class</option>
                  {loaded.classes.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </select>
              </label>
            </>
          )}
        </>
      )}
    </div>
  );
}
