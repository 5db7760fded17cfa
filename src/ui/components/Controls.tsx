// Every plan parameter, with ratiopath's names; each change re-plans at once.
import type { TissueChannel } from '../../core/filters/tissue.ts';
import type { SlideMppStatus } from '../../core/scanMpp.ts';
import type { PlanParams } from '../../core/params.ts';
import type { ResolvedLevel } from '../../core/plan.ts';
import type { SlideInfo } from '../../core/slide.ts';
import { NumberField, Section, Toggle } from './fields.tsx';
import { LastPicture } from './LastPicture.tsx';
import { MppOverrideField } from './MppOverrideField.tsx';


interface Props {
  info: SlideInfo;
  params: PlanParams;
  update(patch: Partial<PlanParams>): void;
  resolved: ResolvedLevel;
  annotation: React.ReactNode;
  onReset(): void;
  /** shown only when the slide lacks a usable openslide.mpp-x/y */
  mppOverride: { needed: boolean; override: number | undefined; set(v: number | null): void };
  mppStatus: SlideMppStatus | null;
  /**
   * µm/px is asked for but this slide has no usable µm/px and none is typed: the grid is planned at
   * this level meanwhile (this slide only), and `note` says why and how to get µm/px back
   */
  fallback: { level: number; setLevel(level: number): void; note: string } | null;
  slideName: string;
  tissueChannel: TissueChannel;
  setTissueChannel(c: TissueChannel): void;
  /** the mask made from the overview: its channel, Otsu threshold and tissue share; null before the overview */
  tissueSummary: { channel: TissueChannel; threshold: number; fraction: number } | null;
}

const LASTS: { v: PlanParams['last']; hint: string }[] = [
  { v: 'drop', hint: 'only whole tiles inside the level' },
  { v: 'keep', hint: 'the last tile overhangs; outside reads as background' },
  { v: 'shift', hint: 'the last tile moves back inside the level' },
];

export function Controls({ info, params, update, resolved, annotation, onReset, mppOverride, mppStatus, fallback, slideName, tissueChannel, setTissueChannel, tissueSummary }: Props) {
  const res = params.resolution;
  const levelSelect = (value: number, onChange: (level: number) => void) => (
    <label className="field">
      <span>level</span>
      <select data-testid="level" value={Math.min(value, info.levels.length - 1)} onChange={(e) => onChange(Number(e.target.value))}>
        {info.levels.map((l, i) => (
          <option key={i} value={i}>
            {i} — {l.width}×{l.height} (÷{l.downsample.toFixed(2)})
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <form className="controls" aria-label="Plan settings" onSubmit={(e) => e.preventDefault()}>
      <Section title="Resolution">
        <div className="seg" role="radiogroup" aria-label="Resolution by">
          <label>
            <input type="radio" name="resmode" checked={res.mode === 'mpp'} onChange={() => update({ resolution: { mode: 'mpp', mpp: 0.5 } })} /> µm/px
          </label>
          <label>
            <input
              type="radio"
              name="resmode"
              data-testid="res-by-level"
              checked={res.mode === 'level'}
              onChange={() => update({ resolution: { mode: 'level', level: resolved.level ?? 0 } })}
            />{' '}
            level
          </label>
        </div>
        {fallback ? (
          <>
            <p className="note" role="status" data-testid="mpp-fallback">
              {fallback.note}
            </p>
            {levelSelect(fallback.level, fallback.setLevel)}
          </>
        ) : res.mode === 'mpp' ? (
          <NumberField label="target µm/px" value={res.mpp} min={0.01} step={0.05} testId="mpp" onChange={(mpp) => update({ resolution: { mode: 'mpp', mpp } })} />
        ) : (
          levelSelect(res.level, (level) => update({ resolution: { mode: 'level', level } }))
        )}
        {mppOverride.needed && (
          <MppOverrideField
            value={mppOverride.override}
            slideName={slideName}
            onChange={mppOverride.set}
            status={mppStatus}
            objective={Number.parseFloat(info.properties['openslide.objective-power'] ?? '') || null}
            explained={fallback !== null}
          />
        )}
        <p className="note" data-testid="resolved-level">
          {resolved.error ? (
            <span className="warn">{resolved.error}</span>
          ) : (
            <>
              level {resolved.level}
              {resolved.mpp ? ` · ${resolved.mpp.x.toFixed(4)} µm/px${mppOverride.override !== undefined ? ' (typed)' : ''}` : ' · µm/px unknown'}
            </>
          )}
        </p>
      </Section>

      <Section title="Grid">
        <div className="pair">
          <NumberField label="tile w" value={params.tile[0]} integer min={1} testId="tile-w" onChange={(v) => update({ tile: [v, params.tile[1]] })} suffix="px" />
          <NumberField label="tile h" value={params.tile[1]} integer min={1} testId="tile-h" onChange={(v) => update({ tile: [params.tile[0], v] })} suffix="px" />
        </div>
        <div className="pair">
          <NumberField label="stride x" value={params.stride[0]} integer min={1} testId="stride-x" onChange={(v) => update({ stride: [v, params.stride[1]] })} suffix="px" />
          <NumberField label="stride y" value={params.stride[1]} integer min={1} testId="stride-y" onChange={(v) => update({ stride: [params.stride[0], v] })} suffix="px" />
        </div>
        <button
          type="button"
          className="link"
          onClick={() => update({ stride: [params.tile[0], params.tile[1]] })}
          disabled={params.stride[0] === params.tile[0] && params.stride[1] === params.tile[1]}
        >
          stride = tile (no overlap)
        </button>
        <div className="lasts" role="radiogroup" aria-label="last: what happens at the far edge">
          {LASTS.map(({ v, hint }) => (
            <label key={v} className={params.last === v ? 'last on' : 'last'} title={hint}>
              <input type="radio" name="last" value={v} data-testid={`last-${v}`} checked={params.last === v} onChange={() => update({ last: v })} />
              <LastPicture last={v} />
              <span>{v}</span>
            </label>
          ))}
        </div>
      </Section>

      <Section title="Filters">
        <Toggle label="pixel std above" checked={params.stdThreshold !== null} testId="std-on" onChange={(on) => update({ stdThreshold: on ? 8 : null })} />
        {params.stdThreshold !== null && (
          <NumberField label="std threshold" value={params.stdThreshold} min={0} step={0.5} testId="std" onChange={(v) => update({ stdThreshold: v })} title="reject when tile.std() <= threshold" />
        )}
        <Toggle label="tissue fraction at least" checked={params.tissueThreshold !== null} testId="tissue-on" onChange={(on) => update({ tissueThreshold: on ? 0.5 : null })} />
        {params.tissueThreshold !== null && (
          <label className="field">
            <span>tissue ≥ {Math.round(params.tissueThreshold * 100)}%</span>
            <input type="range" min={0} max={1} step={0.05} value={params.tissueThreshold} data-testid="tissue" onChange={(e) => update({ tissueThreshold: Number(e.target.value) })} />
          </label>
        )}
        {params.tissueThreshold !== null && (
          <label className="field" title="The tissue mask is Otsu's threshold on one channel of the slide's overview: grey for brightfield (tissue darker than the glass), saturation for fluorescence and faint stains (tissue more coloured than the background)">
            <span>tissue is</span>
            <select value={tissueChannel} data-testid="tissue-channel" onChange={(e) => setTissueChannel(e.target.value as TissueChannel)}>
              <option value="grey" title="grey Otsu: tissue is darker than the glass (H&amp;E, IHC)">darker — brightfield</option>
              <option value="saturation" title="saturation Otsu: tissue is more coloured than the background (fluorescence, faint stains)">
                coloured — fluorescence
              </option>
            </select>
          </label>
        )}
        {params.tissueThreshold !== null && (
          <p className="note" data-testid="tissue-mask" data-channel={tissueSummary?.channel ?? ''}>
            {tissueSummary
              ? `mask: Otsu on ${tissueSummary.channel} at ${tissueSummary.threshold} — ${Math.round(tissueSummary.fraction * 100)}% of the slide is tissue`
              : 'mask: waiting for the overview…'}
          </p>
        )}
        {annotation}
      </Section>

      <Section title="Output">
        <Toggle label="stop after a number of tiles" checked={params.limit !== null} testId="limit-on" onChange={(on) => update({ limit: on ? 64 : null })} />
        {params.limit !== null && <NumberField label="limit" value={params.limit} integer min={1} testId="limit" onChange={(v) => update({ limit: v })} suffix="tiles" />}
        <label className="field">
          <span>format</span>
          <select value={params.format} data-testid="format" onChange={(e) => update({ format: e.target.value as PlanParams['format'] })}>
            <option value="png">PNG (lossless)</option>
            <option value="jpeg">JPEG</option>
          </select>
        </label>
        {params.format === 'jpeg' && <NumberField label="JPEG quality" value={params.jpegQuality} integer min={1} max={100} onChange={(v) => update({ jpegQuality: v })} />}
        <label className="field">
          <span>names</span>
          <select value={params.naming} data-testid="naming" onChange={(e) => update({ naming: e.target.value as PlanParams['naming'] })}>
            <option value="index">tile_00012.png (grid index)</option>
            <option value="qupath">slide [d=…,x=…,y=…,w=…,h=…] (QuPath)</option>
          </select>
        </label>
        <button type="button" className="link" onClick={onReset}>
          reset to the seed's defaults
        </button>
      </Section>
    </form>
  );
}
