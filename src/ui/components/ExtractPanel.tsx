// Extract: which path the zip takes and why, progress with tiles read/s and saved/s and the time
// left to read (core/export/progressRates.ts), cancel, the gallery, the download.
import { progressRates } from '../../core/export/progressRates.ts';
import type { SizeEstimate } from '../../core/export/sizeEstimate.ts';
import type { TilesToSave } from '../../core/toSave.ts';
import type { PathChoice } from '../../export/exportPath.ts';
import { canWriteFolders } from '../../export/sink.ts';
import type { ExtractState, GalleryItem } from '../hooks/useExtract.ts';
import { ShortcutKey } from './ShortcutKey.tsx';

interface Props {
  state: ExtractState;
  gallery: GalleryItem[];
  candidates: number;
  /** the one "tiles to save" figure (core/toSave.ts), the same the counts show */
  toSave?: TilesToSave | null;
  /** tiles the plan knows cannot be read (found by the std scan or the run, which feeds back into the plan) */
  knownFailed: number;
  limit: number | null;
  toFolder: boolean;
  setToFolder(v: boolean): void;
  /**
   * the path this export will take, and why; re-decided here with the live service-worker state
   * (it may take over the page after App computed this), so only its estimate and folder choice count
   */
  choice: PathChoice;
  /** the zip's size as estimated from measured tiles (core/export/sizeEstimate.ts), in words too */
  estimate: (SizeEstimate & { text: string; sampling: boolean; planPngPending: boolean }) | null;
  onStart(): void;
  onCancel(): void;
  onInspect(i: number): void;
  disabled: boolean;
}

const PATH_LABEL: Record<PathChoice['path'], string> = { zip: 'Zip in memory', 'zip-stream': 'Streamed zip download', folder: 'Folder' };

const secs = (s: number | null) => (s === null ? '…' : s < 60 ? `${Math.ceil(s)} s` : `${Math.floor(s / 60)} min ${Math.ceil(s % 60)} s`);
const mb = (b: number) => `${(b / 1048576).toFixed(1)} MB`;

export function ExtractPanel({ state, gallery, candidates, toSave, knownFailed, limit, toFolder, setToFolder, choice, estimate, onStart, onCancel, onInspect, disabled }: Props) {
  const folderOk = canWriteFolders();
  const target = toSave?.upTo ?? (limit === null ? candidates : Math.min(limit, candidates));
  const running = state.status === 'running';
  return (
    <section className="panel extract" aria-label="Extract tiles" data-testid="extract">
      <h3>Extract</h3>
      <p className="note" data-testid="export-path" data-path={choice.path} data-estimate={choice.estimateBytes}>
        {PATH_LABEL[choice.path]} — {choice.why}
      </p>
      {estimate && choice.path !== 'folder' && (
        <p
          className="note"
          data-testid="size-estimate"
          data-estimate={estimate.total}
          data-per-tile={estimate.perTile}
          data-measured={estimate.measured}
          data-state={estimate.sampling || estimate.planPngPending ? 'measuring' : estimate.measured > 0 ? 'measured' : 'typical'}
          title="Tiles of this plan are read and encoded exactly as the export will, a few for the estimate and then every tile an export saves; plan.png is drawn for this slide and encoded. The rest is tiles.csv, slide.json, the recipe and the zip's headers."
        >
          Size {estimate.text}
          {estimate.sampling ? ' — measuring tiles…' : '.'}
        </p>
      )}
      {folderOk && (
        <label className="toggle">
          <input type="checkbox" checked={toFolder} onChange={(e) => setToFolder(e.target.checked)} disabled={running} data-testid="to-folder" />
          <span>write into a folder</span>
        </label>
      )}
      <div className="row">
        {running ? (
          <button type="button" onClick={onCancel} data-testid="cancel">
            Cancel <ShortcutKey k="Esc" />
          </button>
        ) : (
          <button type="button" className="primary" onClick={onStart} disabled={disabled} data-testid="extract-start" data-target={target} data-exact={toSave?.exact ? '1' : '0'}>
            Extract {toSave?.exact ? '' : 'up to '}
            {target.toLocaleString('en-US')} tiles <ShortcutKey k="e" />
          </button>
        )}
      </div>
      {state.status === 'running' && state.fallback && (
        <p className="warn" data-testid="export-fallback">
          Not streamed ({state.fallback}): the zip is built in memory and offered when done.
        </p>
      )}
      {state.status === 'running' && state.sink === 'zip-stream' && (
        <p className="note" data-testid="streaming">
          Streaming to your downloads: the browser saves the zip as tiles arrive; it completes when the export ends.
        </p>
      )}
      {state.status === 'running' && state.resume && (
        <p className="note" data-testid="resuming" data-carried={state.resume.carried} data-missing={state.resume.missing}>
          Resuming the interrupted export in this folder: {state.resume.carried.toLocaleString('en-US')} tiles it had done are kept (their files checked)
          {state.resume.missing > 0 ? `; ${state.resume.missing.toLocaleString('en-US')} missing or incomplete files are written again` : ''}; only the rest is read.
        </p>
      )}
      {state.status === 'running' && state.progress && <Progress p={state.progress} carriedSaved={state.carriedSaved} />}
      {state.status === 'running' && !state.progress && <p className="note">starting…</p>}
      {state.status === 'done' && (
        <div className="done" data-testid="extract-done" data-saved={state.result.saved} data-failed={state.result.failed} data-cancelled={state.result.cancelled}>
          <p>
            {state.result.cancelled ? 'Cancelled: ' : ''}
            <b>{state.result.saved}</b> saved · {state.result.skippedStd} below the std threshold · <span className={Math.max(state.result.failed, knownFailed) ? 'warn' : ''} data-testid="failed-total">
              {Math.max(state.result.failed, knownFailed)} failed to read (listed in tiles.csv)
            </span>
            {' '}· {(state.result.elapsedMs / 1000).toFixed(1)} s
          </p>
          {state.fallback && (
            <p className="note" data-testid="export-fallback">
              Built in memory, not streamed: {state.fallback}.
            </p>
          )}
          {state.url ? (
            <>
              {state.autoDownloaded && (
                // a zip's name says what it holds, so it is long: it may break anywhere
                <p className="note" data-testid="auto-downloaded" style={{ overflowWrap: 'anywhere' }}>
                  Sent to your downloads as “{state.zipName}” ({mb(state.bytes)}).
                </p>
              )}
              {state.parts.length > 0 && (
                <p className="note" data-testid="zip-parts" data-parts={state.parts.length + 1} style={{ overflowWrap: 'anywhere' }}>
                  Too big for one zip in memory, so it went to your downloads in {state.parts.length + 1} parts as each filled: {state.parts.join(', ')} and “{state.zipName}” (with
                  tiles.csv and the other tables). Unzip them into one folder.
                </p>
              )}
              <a className="button" href={state.url} download={state.zipName} data-testid="download" data-bytes={state.bytes}>
                Download again
              </a>
            </>
          ) : state.streamed ? (
            <p className="note" data-testid="streamed-download" data-bytes={state.bytes} style={{ overflowWrap: 'anywhere' }}>
              Streamed to your downloads as “{state.zipName}” ({mb(state.bytes)}){state.result.cancelled ? `; it holds the ${state.result.saved.toLocaleString('en-US')} tiles saved before the cancel` : ''}.
            </p>
          ) : (
            <p className="note" data-testid="folder-done" data-resumed={state.resumed}>
              Written into the folder “{state.folder}”{state.resumed > 0 ? ` (resumed: ${state.resumed.toLocaleString('en-US')} tiles kept from the interrupted run)` : ''}. If an export into a folder is
              interrupted, run the same plan into the same folder to finish it.
            </p>
          )}
        </div>
      )}
      {state.status === 'error' && (
        <p className="warn" role="alert">
          {state.message}
        </p>
      )}
      {gallery.length > 0 && (
        <div className="gallery" data-testid="gallery" data-n={gallery.length}>
          {gallery.map((g) => (
            <button type="button" key={g.index} onClick={() => onInspect(g.index)} title={g.path}>
              <img src={g.url} alt={g.path} loading="lazy" />
            </button>
          ))}
        </div>
      )}
    </section>
  );
}

function Progress({ p, carriedSaved }: { p: import('../../export/extract.ts').ExtractProgress; carriedSaved: number }) {
  const r = progressRates({ ...p, carriedSaved });
  const frac = p.target > 0 ? Math.min(1, p.saved / p.target) : 1;
  return (
    <div className="progress" data-testid="progress">
      <progress value={frac} max={1} aria-label="Extraction progress" />
      <p className="note" data-testid="progress-rates" data-left-to-read={r.leftToRead}>
        {p.saved.toLocaleString('en-US')}/{p.target.toLocaleString('en-US')} saved · {(p.done - p.resumed).toLocaleString('en-US')} read
        {p.resumed > 0 && ` (+${p.resumed.toLocaleString('en-US')} kept from the interrupted run)`}
        {p.failed > 0 && <span className="warn"> · {p.failed} failed</span>}
        <br />
        <span title="tiles read per second: every read, whether saved or rejected by std">{r.readPerSecond.toFixed(1)} tiles read/s</span> ·{' '}
        <span title="tiles saved per second by this run">{r.savedPerSecond.toFixed(1)} saved/s</span> ·{' '}
        <span title="the time left is what is left to read, at the read rate">
          {r.leftToRead.toLocaleString('en-US')} left to read, {secs(r.secondsLeft)}
        </span>
      </p>
    </div>
  );
}
