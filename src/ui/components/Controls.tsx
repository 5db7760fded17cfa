// Every plan parameter, with ratiopath's names; each change re-plans at once.
import type { TissueMode } from '../../core/filters/tissue.ts';
import type { TissueSummary } from '../hooks/useTissueMask.ts';
import type { SlideMppStatus } from '../../core/scanMpp.ts';
import type { PlanParams } from '../../core/params.ts';
import type { ResolvedLevel } from '../../core/plan.ts';
import type { SlideInfo } from '../../core/slide.ts';
import { NumberField, Section, Toggle } from './fields.tsx';
import { LastPicture } from './LastPicture.tsx';
import { MppOverrideField } from './MppOverrideField.tsx';
import { MagnificationField, TileStrideFields, type GeometryProps } from './GeometryFields.tsx';
import { magnificationBase } from '../../core/geometryControls.ts';


interface Props {
  info: SlideInfo;
  params: PlanParams;
  update(patch: Partial<PlanParams>): void;
  resolved: ResolvedLevel;
  annotation: React.ReactNode;
  onReset(): void;
  /** the stride's tie to the tile (persisted with the settings) */
  geometry: GeometryProps;
  /** shown only when the slide lacks a usable openslide.mpp-x/y */
  mppOverride: { needed: boolean; override: number | undefined; set(v: number | null): void };
  mppStatus: SlideMppStatus | null;
  /**
   * µm/px is asked for but this slide has no usable µm/px and none is typed: the grid is planned at
   * this level meanwhile (this slide only), and `note` says why and how to get µm/px back
   */
  fallback: { level: number; setLevel(level: number): void; note: string } | null;
  slideName: string;
  /** the tissue mask's mode: 'auto' or a channel chosen by hand */
  tissueMode: TissueMode;
  setTissueMode(c: TissueMode): void;
  /** the mask made from the overview: what auto chose, the Otsu threshold, the morphology, the tissue share; null before the overview */
  tissueSummary: TissueSummary | null;
  /** the mask drawn over the viewer */
  tissueShown: boolean;
  setTissueShown(on: boolean): void;
}

const LASTS: { v: PlanParams['last']; hint: string }[] = [
  { v: 'drop', hint: 'only whole tiles inside the level' },
  { v: 'keep', hint: 'the last tile overhangs; outside reads as background' },
  { v: 'shift', hint: 'the last tile moves back inside the level' },
];

export function Controls({ info, params, update, resolved, annotation, onReset, geometry, mppOverride, mppStatus, fallback, slideName, tissueMode, setTissueMode, tissueSummary, tissueShown, setTissueShown }: Props) {
  const res = params.resolution;
  // magnification is offered when the slide has an objective power and a µm/px (its own or typed)
  const magBase = magnificationBase(info, mppOverride.override);
  const level = resolved.level !== null ? info.levels[resolved.level] : undefined;
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
          <>
            <NumberField label="target µm/px" value={res.mpp} min={0.01} step={0.05} testId="mpp" onChange={(mpp) => update({ resolution: { mode: 'mpp', mpp } })} />
            {magBase && <MagnificationField base={magBase} mpp={res.mpp} onMpp={(mpp) => update({ resolution: { mode: 'mpp', mpp } })} />}
          </>
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
        <TileStrideFields params={params} update={update} {...geometry} extent={level ? [level.width, level.height] : null} />
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
          <label className="field" title="The tissue mask is Otsu's threshold on one channel of the slide's overview, then closing, opening and small holes filled. Auto looks at the overview's edge: dark (fluorescence) or bright (glass)">
            <span>tissue is</span>
            <select value={tissueMode} data-testid="tissue-channel" onChange={(e) => setTissueMode(e.target.value as TissueMode)}>
              <option value="auto" title="dark edge of the overview → brighter than the background (fluorescence); bright edge → darker than the glass (brightfield)">
                auto{tissueSummary && tissueSummary.mode === 'auto' ? ` — ${tissueSummary.channel === 'fluorescence' ? 'fluorescence' : 'brightfield'}` : ''}
              </option>
              <option value="grey" title="grey Otsu: tissue is darker than the glass (H&amp;E, IHC)">darker — brightfield</option>
              <option value="fluorescence" title="Otsu on the brightest channel, log scale: tissue is brighter than a dark background (DAPI, TRITC, FITC…)">
                brighter — fluorescence
              </option>
              <option value="saturation" title="saturation Otsu: tissue is more coloured than the background (faint brightfield stains)">coloured — faint stains</option>
            </select>
          </label>
        )}
        {params.tissueThreshold !== null && (
          <Toggle label="show the mask over the slide (m)" checked={tissueShown} testId="tissue-overlay" onChange={setTissueShown} />
        )}
        {params.tissueThreshold !== null && (
          <p className="note" data-testid="tissue-mask" data-mode={tissueSummary?.mode ?? ''} data-channel={tissueSummary?.channel ?? ''} data-fraction={tissueSummary?.fraction ?? ''}>
            {tissueSummary ? tissueText(tissueSummary) : 'mask: waiting for the overview…'}
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

/** One line on the mask: what auto chose and why, the threshold, the morphology and the share of tissue. */
function tissueText(t: TissueSummary): string {
  const auto = t.mode === 'auto' ? `auto: the overview's edge is ${t.background.median < 128 ? 'dark' : 'bright'} (${t.background.median}) → ` : '';
  const m = t.morphology;
  const morph = !m
    ? ''
    : `; closing/opening r = ${m.radiusPx} px${m.radiusUm !== null ? ` (${m.radiusUm} µm)` : ''}, holes < ${m.holeAreaPx} px${m.holeAreaUm2 !== null ? ` (${m.holeAreaUm2.toLocaleString('en-US')} µm²)` : ''} filled`;
  return `mask: ${auto}Otsu on ${t.channel} at ${t.threshold} — ${Math.round(t.fraction * 100)}% of the slide is tissue${morph}`;
}
