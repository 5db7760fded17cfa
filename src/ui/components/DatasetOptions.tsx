// The export's dataset options: what is removed before the dataset leaves the machine (and a visible
// switch to keep it), a pseudonym for the slide's name, labels by annotation class, and the formats
// (tiles, WebDataset shards or coordinates only; coords.h5; tiles.parquet).
import type { DatasetChoice } from '../hooks/useDatasetOptions.ts';

interface Props {
  dataset: DatasetChoice;
  disabled: boolean;
}

export function DatasetOptions({ dataset, disabled }: Props) {
  const { options: o, set, removed, exportName, classes } = dataset;
  return (
    <details className="dataset-options" data-testid="dataset-options">
      <summary>
        Dataset options
        <small data-testid="deid-summary">
          {o.keepIdentifiers ? ' — identifiers kept' : removed.length > 0 ? ` — ${removed.length} identifying ${removed.length === 1 ? 'property' : 'properties'} removed` : ' — de-identified'}
          {o.pseudonymKey !== '' ? ', name replaced' : ''}
        </small>
      </summary>

      <fieldset disabled={disabled}>
        <legend>What leaves this machine</legend>
        <p className="note" data-testid="deid-removed">
          {removed.length === 0
            ? 'This slide has no identifying properties; no label or macro image is ever exported.'
            : `slide.json leaves out ${removed.map((r) => r.key).join(', ')} (${[...new Set(removed.map((r) => r.kind))].join(', ')}); no label or macro image is ever exported.`}
        </p>
        <label className="toggle">
          <input type="checkbox" checked={o.keepIdentifiers} onChange={(e) => set({ keepIdentifiers: e.target.checked })} data-testid="keep-identifiers" />
          <span>keep identifying metadata</span>
        </label>
        {o.keepIdentifiers && (
          <p className="warn" data-testid="identifiers-kept">
            slide.json will carry dates, people, the scanner and the original file name as the scanner wrote them: share it only where that is allowed.
          </p>
        )}
        <label className="field">
          <span>pseudonym key</span>
          <input
            type="password"
            autoComplete="off"
            value={o.pseudonymKey}
            placeholder="none: keep the file name"
            onChange={(e) => set({ pseudonymKey: e.target.value })}
            data-testid="pseudonym-key"
            title="The slide's name is replaced everywhere in the export by slide- and 12 hex digits of HMAC-SHA256(key, file name): with the key, you can tell later which slide it was; without it, nobody can."
          />
        </label>
        {o.pseudonymKey !== '' && (
          <p className="note" data-testid="pseudonym-name">
            exported as <b>{exportName ?? '…'}</b> (the key is not stored: keep it to match datasets to slides)
          </p>
        )}
      </fieldset>

      {classes.length > 0 && (
        <fieldset disabled={disabled}>
          <legend>Labels by class</legend>
          <label className="field">
            <span>label each tile by</span>
            <select value={o.labelRule ?? ''} onChange={(e) => set({ labelRule: e.target.value === '' ? null : (e.target.value as 'largest' | 'centre') })} data-testid="label-rule">
              <option value="">no label</option>
              <option value="largest">the class covering most of it</option>
              <option value="centre">the class at its centre</option>
            </select>
          </label>
          <label className="toggle">
            <input type="checkbox" checked={o.byClass} disabled={o.labelRule === null} onChange={(e) => set({ byClass: e.target.checked })} data-testid="by-class" />
            <span>file tiles under tiles/&lt;class&gt;/</span>
          </label>
          <p className="note">tiles.csv gets a label column and the coverage of each class ({classes.join(', ')}).</p>
        </fieldset>
      )}

      <fieldset disabled={disabled}>
        <legend>Formats</legend>
        <label className="field">
          <span>tiles as</span>
          <select value={o.layout} onChange={(e) => set({ layout: e.target.value as typeof o.layout })} data-testid="layout">
            <option value="files">image files (tiles/)</option>
            <option value="webdataset">WebDataset tar shards</option>
            <option value="coords">coordinates only (no pixels)</option>
          </select>
        </label>
        {o.layout === 'webdataset' && (
          <label className="field">
            <span>shard size (MB)</span>
            <input type="number" min={1} step={1} value={o.shardMB} onChange={(e) => set({ shardMB: Math.max(1, Number(e.target.value) || 1) })} data-testid="shard-mb" />
          </label>
        )}
        <label className="toggle">
          <input type="checkbox" checked={o.h5} onChange={(e) => set({ h5: e.target.checked })} data-testid="format-h5" />
          <span>coords.h5 (CLAM, TRIDENT)</span>
        </label>
        <label className="toggle">
          <input type="checkbox" checked={o.parquet} onChange={(e) => set({ parquet: e.target.checked })} data-testid="format-parquet" />
          <span>tiles.parquet (ratiopath's Ray columns)</span>
        </label>
      </fieldset>
    </details>
  );
}
