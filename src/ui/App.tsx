// Slidetile: File → engine → slide info/pixels → core plan → view and export. This component only
// wires the hooks together; each piece lives in its own module.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { classLabels, slideStem, TileFacts, type Plan, type PlanParams } from '../core/index.ts';
import { mppFallbackNote, planningInfo, slideMppStatus } from '../core/scanMpp.ts';
import { estimateExportSize, TileSizeLog, tileSizeFamily } from '../core/export/sizeEstimate.ts';
import { AnnotationControl } from './components/AnnotationControl.tsx';
import { Controls } from './components/Controls.tsx';
import { Counts } from './components/Counts.tsx';
import { DropZone } from './components/DropZone.tsx';
import { ExtractPanel } from './components/ExtractPanel.tsx';
import { DatasetOptions } from './components/DatasetOptions.tsx';
import { useDatasetOptions } from './hooks/useDatasetOptions.ts';
import { useReopen } from './hooks/useReopen.ts';
import { OpenBar } from './components/OpenBar.tsx';
import { SettingsRestored } from './components/SettingsRestored.tsx';
import { SlideFacts } from './components/SlideFacts.tsx';
import { StdHistogram } from './components/StdHistogram.tsx';
import { Inspector, TileTooltip } from './components/TileInfo.tsx';
import { arrangeFiles, type PickedFile } from './files.ts';
import { classColor, useAnnotations, type LoadedAnnotations } from './hooks/useAnnotations.ts';
import { usePlanPngEstimate, useExtract, useTileSizeSample } from './hooks/useExtract.ts';
import { useOverview } from './hooks/useOverview.ts';
import { usePlan } from './hooks/usePlan.ts';
import { tilesToSave } from '../core/toSave.ts';
import { useMppOverride } from './hooks/useMppOverride.ts';
import { useSettings } from './hooks/useSettings.ts';
import { useTissueMask } from './hooks/useTissueMask.ts';
import { useShortcuts } from './hooks/useShortcuts.ts';
import { useSlide } from './hooks/useSlide.ts';
import { AUTO_SCAN_MAX, useStdScan } from './hooks/useStdScan.ts';
import { OfflineBadge } from './offline/OfflineBadge.tsx';
import { useOffline } from './offline/useOffline.ts';
import { chooseExportPath, describeEstimate } from '../export/exportPath.ts';
import { failureText } from '../export/extract.ts';
import { canWriteFolders } from '../export/sink.ts';
import { useStreamDownloads } from './offline/useStreamDownloads.ts';
import { makeTables, tileFileName } from '../export/tables.ts';
import type { ViewerHandle } from './viewer/SlideViewer.tsx';
// loaded on demand, not with the first screen (lazyParts.tsx)
import { HelpOverlay, SlideViewer } from './lazyParts.tsx';
import { scaleBarMpp } from './viewer/scaleBar.ts';
import { RefusalMessage } from './components/RefusalMessage.tsx';

const DEMO_SLIDE = 'demo/CMU-1-Small-Region.svs';
const DEMO_ANNOTATION = 'demo/CMU-1-Small-Region.tissue.geojson';
const EMPTY = new Int32Array(0);

async function fetchFile(url: string): Promise<File> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return new File([await r.blob()], url.split('/').pop()!);
}

/** Each annotation class with the colour its outline is drawn in, for plan.png's legend. */
function annotationClasses(loaded: LoadedAnnotations | null): { name: string; color: string }[] {
  if (!loaded) return [];
  const out = new Map<string, string>();
  for (const sh of loaded.set.shapes) {
    const name = sh.className ?? '(no class)';
    if (!out.has(name)) out.set(name, classColor(sh, loaded.classes));
  }
  return [...out].map(([name, color]) => ({ name, color }));
}

function geometryKey(plan: Plan | null) {
  return plan ? `${plan.level}|${plan.tile.join('x')}|${plan.stride.join('x')}|${plan.params.last}` : '';
}

export function App() {
  const { state: slideState, current, open, dismissError } = useSlide();
  const { params, controls: geometryControls, update, setOverlap, tieStride, reset, restored, dismissRestored } = useSettings();
  const offline = useOffline();
  const slide = current?.slide ?? null;
  const info = slide?.info ?? null;
  const { overview, error: overviewError, loading: overviewLoading } = useOverview(slide);
  const annotations = useAnnotations(info);
  const viewer = useRef<ViewerHandle>(null);
  const [help, setHelp] = useState(false);
  const [selected, setSelected] = useState(-1);
  const [hover, setHover] = useState<{ tile: number; at: { x: number; y: number } } | null>(null);
  const [toFolder, setToFolder] = useState(false);
  // an annotation dropped with its slide waits for that slide (its bounds offset)
  const [pendingAnnotation, setPendingAnnotation] = useState<{ file: File; main: PickedFile } | null>(null);

  // per-slide memory of measured std and failed reads
  // eslint cannot see that `slide` is the key of a fresh store: a new slide starts with no facts
  const facts = useMemo(() => {
    void slide;
    return new TileFacts();
  }, [slide]);
  const [factsVersion, setFactsVersion] = useState(0);
  const bump = useCallback(() => setFactsVersion(facts.version), [facts]);

  // manual choices belong to one grid geometry; a different grid starts clean
  const [manual, setManual] = useState<{ key: string; map: Map<number, boolean> }>({ key: '', map: new Map() });
  const mpp = useMppOverride(info, current?.name ?? '');
  // µm/px planning needs the slide's µm/px: when it records none (or one no scanner makes, e.g. a
  // 72-dpi TIFF default) and none is typed, the grid is planned by level at once — this slide only,
  // the saved setting stays µm/px for the next slide — with one calm note instead of an error
  const mppStatus = useMemo(() => (info ? slideMppStatus(info) : null), [info]);
  const planInfo = useMemo(() => (info ? planningInfo(info) : null), [info]);
  // the preview's scale bar measures with the µm/px planning uses (a number: the memoised viewer stays put)
  const viewMpp = scaleBarMpp(info, mpp.override);
  // the tissue mask of the overview: mode (auto by default), morphology sized in µm at planning's µm/px
  const tissueMask = useTissueMask(overview, params.background, viewMpp);
  const tissue = tissueMask.mask;
  const [fallbackLevel, setFallbackLevel] = useState<{ slide: unknown; level: number }>({ slide: null, level: 0 });
  const fbLevel = fallbackLevel.slide === slide && info ? Math.min(fallbackLevel.level, info.levels.length - 1) : 0;
  const fallback = params.resolution.mode === 'mpp' && mpp.needed && mpp.override === undefined;
  const planParams = useMemo<PlanParams>(() => (fallback ? { ...params, resolution: { mode: 'level', level: fbLevel } } : params), [fallback, params, fbLevel]);
  const mppFallback = useMemo(
    () =>
      fallback && mppStatus && info && params.resolution.mode === 'mpp'
        ? { level: fbLevel, setLevel: (level: number) => setFallbackLevel({ slide, level }), note: mppFallbackNote(mppStatus, params.resolution.mpp, fbLevel, info.levels.length) }
        : null,
    [fallback, mppStatus, info, params.resolution, fbLevel, slide],
  );
  const planned = usePlan(planInfo, planParams, annotations.loaded?.set.shapes, tissue, manual.map, facts, factsVersion, mpp.override);
  const plan = planned?.plan ?? null;
  const gkey = geometryKey(plan);
  useEffect(() => {
    if (gkey !== manual.key) {
      setManual({ key: gkey, map: new Map() });
      setSelected(-1);
    }
  }, [gkey, manual.key]);
  useEffect(() => setSelected(-1), [slide]);

  const extract = useExtract();
  // stable props for the viewer (memoised: an export's progress must not repaint the canvas)
  const bitmap = overview?.bitmap ?? null;
  const viewerOverview = useMemo(() => (bitmap ? { bitmap } : null), [bitmap]);
  const onHover = useCallback((tile: number, at: { x: number; y: number } | null) => setHover(tile >= 0 && at ? { tile, at } : null), []);
  const running = extract.state.status === 'running';
  const scan = useStdScan(slide, plan, planned?.candidates ?? new Int32Array(0), facts, bump, running, overview);

  // a previous export's slide.json (or zip) restores its plan (hooks/useReopen.ts)
  const reopen = useReopen({ info, currentMain: current?.files[0], update, setManual, setMpp: mpp.set });
  const reopenLoad = reopen.load;
  const onFiles = useCallback(
    (files: PickedFile[]) => {
      const { slide: slideFiles, annotations: annots, plans } = arrangeFiles(files);
      if (slideFiles.length > 0) {
        annotations.clear();
        extract.reset();
        void open(slideFiles);
        setPendingAnnotation(annots[0] ? { file: annots[0].file, main: slideFiles[0] } : null);
      } else if (annots[0]) void annotations.load(annots[0].file);
      if (plans[0]) reopenLoad(plans[0].file, slideFiles[0] ?? null);
    },
    [open, annotations, extract, reopenLoad],
  );
  // an annotation dropped together with its slide is parsed once the slide is open (bounds offset)
  const load = annotations.load;
  useEffect(() => {
    if (pendingAnnotation && info && current?.files[0] === pendingAnnotation.main) {
      void load(pendingAnnotation.file);
      setPendingAnnotation(null);
    }
  }, [pendingAnnotation, info, current, load]);

  const onDemo = useCallback(async () => {
    try {
      const [s, a] = await Promise.all([fetchFile(DEMO_SLIDE), fetchFile(DEMO_ANNOTATION)]);
      onFiles([
        { file: s, path: s.name },
        { file: a, path: a.name },
      ]);
    } catch (e) {
      annotations.setError(`demo slide: ${e instanceof Error ? e.message : String(e)}`);
    }
  }, [onFiles, annotations]);

  const toggle = useCallback(
    (i: number) => {
      if (!plan || i < 0 || i >= plan.grid.count) return;
      const accepted = plan.accepted[i] === 1;
      setManual((m) => {
        const map = new Map(m.map);
        if (accepted) map.set(i, false);
        else if (m.map.get(i) === false) map.delete(i);
        else map.set(i, true);
        return { key: m.key, map };
      });
    },
    [plan],
  );

  const slideName = current?.name ?? '';
  // the export's size, estimated from what has been measured (core/export/sizeEstimate.ts): this
  // plan's tiles encoded — a few for the estimate, then every tile an export saved — and plan.png
  // drawn for this slide; the path is decided from it before the export starts, so the panel says it
  const sizes = useMemo(() => {
    void slide; // one log per slide
    return new TileSizeLog();
  }, [slide]);
  const candidates = planned?.candidates ?? EMPTY;
  // the one "tiles to save" figure (core/toSave.ts): the counts, the Extract button, the progress
  // target and the zip's name all say it; `upTo` is what an export can at most save
  const toSaveFigure = useMemo(() => (planned?.base ? tilesToSave(planned.base) : null), [planned]);
  const target = toSaveFigure?.upTo ?? 0;
  // after the std scan: it has the workers first, as its counts matter more than the size
  const sample = useTileSizeSample(slide, plan, candidates, target, sizes, running || scan.running);
  const slideSize = useMemo<[number, number] | null>(() => (info ? [info.levels[0].width, info.levels[0].height] : null), [info]);
  const planPng = usePlanPngEstimate(overview, annotations.rings, slideSize, plan, candidates, running || scan.running);
  const toSave = target;
  const upperBound = toSaveFigure !== null && !toSaveFigure.exact;
  const estimate = useMemo(() => {
    if (!plan) return null;
    const e = estimateExportSize({
      tiles: toSave,
      planned: plan.grid.count,
      tileW: plan.tile[0],
      tileH: plan.tile[1],
      format: plan.params.format,
      jpegQuality: plan.params.jpegQuality,
      measured: sizes.mean(tileSizeFamily(plan)),
      tilePath: `tiles/${tileFileName(plan, candidates[0] ?? 0, slideName)}`,
      planPng: planPng.bytes,
    });
    return { ...e, text: describeEstimate(e, { tiles: toSave, format: plan.params.format, upperBound, planPngMeasured: planPng.fresh }), planPngPending: (overview !== null || overviewLoading) && !planPng.fresh, sampling: sample.sampling };
    // sample.version stands for the contents of `sizes` (a mutable log the sample and exports fill)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [plan, toSave, sizes, sample.version, sample.sampling, planPng.bytes, planPng.fresh, candidates, slideName, upperBound, overview, overviewLoading]);
  // a zip streams to a download once the service worker controls the page (re-renders when it does)
  const stream = useStreamDownloads();
  const dataset = useDatasetOptions(info, slideName, annotations.loaded?.set.shapes ?? null);
  const exportChoice = useMemo(
    () => chooseExportPath({ estimateBytes: estimate?.total ?? 0, toFolder, canFolder: canWriteFolders(), canStream: stream.ok, streamWhyNot: stream.reason }),
    [estimate, toFolder, stream],
  );
  const startExtract = useCallback(() => {
    if (!slide || !plan || !planned?.base || !info || running) return;
    // the pseudonym is computed as the key is typed: an export never starts with the real name by mistake
    const exportName = dataset.exportName;
    if (exportName === null) return;
    const shapes = annotations.loaded?.set.shapes ?? null;
    const labels = dataset.options.labelRule && shapes ? classLabels(planned.base, shapes, dataset.options.labelRule) : undefined;
    void extract.start({
      slide,
      info,
      slideName: exportName,
      plan: planned.base,
      candidates: planned.candidates,
      overview,
      rings: annotations.rings,
      classes: annotationClasses(annotations.loaded),
      // a streamed zip is named before its first tile: exact when every tile to read is measured
      expected: upperBound ? { upTo: target } : { exact: toSave },
      sizes,
      tables: (p) => {
        const files = current?.files.map((f) => f.path) ?? [slideName];
        // a pseudonym replaces the slide's name in every file name and table
        const named = exportName === slideName ? files : files.map((f) => (f === slideName ? exportName : f.split(slideStem(slideName)).join(slideStem(exportName))));
        return makeTables(p, info, named, planned.failures, shapes, {
          identifying: dataset.options.keepIdentifiers,
          ...(exportName !== slideName ? { pseudonym: { original: slideName, pseudonym: exportName } } : {}),
          ...(labels ? { labels, byClass: dataset.options.byClass } : {}),
        });
      },
      formats: dataset.formats,
      ...(labels && dataset.options.byClass ? { byClass: labels } : {}),
      path: exportChoice.path,
      onResult: (r) => {
        const fam = facts.of(plan);
        const o = plan.grid.origins;
        for (const t of r.outcomes) {
          if (t.std !== null) facts.setStd(fam, o[2 * t.index], o[2 * t.index + 1], t.std);
          if (t.status === 'failed') facts.setFailed(fam, o[2 * t.index], o[2 * t.index + 1], failureText(t) || 'read failed');
        }
        bump();
      },
    });
  }, [slide, plan, planned, info, running, extract, slideName, overview, annotations.rings, annotations.loaded, current, exportChoice, facts, bump, upperBound, target, toSave, sizes, dataset]);

  const openPicker = () => document.querySelector<HTMLInputElement>('[data-testid=file-input]')?.click();
  const step = (d: number) => plan && plan.grid.count > 0 && setSelected((s) => Math.max(0, Math.min(plan.grid.count - 1, (s < 0 ? (d > 0 ? -1 : plan.grid.count) : s) + d)));
  useShortcuts({
    '+': () => viewer.current?.zoom(1.5),
    '-': () => viewer.current?.zoom(1 / 1.5),
    '0': () => viewer.current?.fit(),
    '1': () => viewer.current?.actualSize(),
    f: () => viewer.current?.fit(),
    x: () => toggle(selected),
    e: startExtract,
    '[': () => step(-1),
    ']': () => step(1),
    o: openPicker,
    d: () => void onDemo(),
    m: tissueMask.toggleShown,
    '?': () => setHelp((h) => !h),
    Escape: () => (help ? setHelp(false) : extract.cancel()),
  });

  const opening = slideState.status === 'opening';
  return (
    <div className="app">
      <DropZone onFiles={onFiles} />
      <header className="top">
        <h1>
          Slidetile <small>tiles from whole-slide images, in your browser</small>
        </h1>
        <OfflineBadge state={offline} />
        {slide && <OpenBar onFiles={onFiles} onDemo={() => void onDemo()} busy={opening} />}
        <button type="button" className="icon" onClick={() => setHelp(true)} aria-label="Keyboard shortcuts and help">
          ?
        </button>
      </header>

      {slideState.status === 'error' && (
        <div className="error" role="alert" data-testid="error" data-code={slideState.code} data-kind={slideState.refusal.kind}>
          <RefusalMessage refusal={slideState.refusal} verb="could not be opened" reasonLabel={`OpenSlide (${slideState.code})`} />
          <button type="button" className="link" onClick={dismissError}>
            dismiss
          </button>
        </div>
      )}
      {opening && (
        <div className="opening" role="status" data-testid="opening">
          <span className="spinner" aria-hidden /> Opening {slideState.name}…
        </div>
      )}

      {!slide ? (
        <main className="welcome">
          <div>
            <h2>Drop a whole-slide image anywhere on this page</h2>
            <p>
              Aperio SVS, Hamamatsu NDPI/VMS, Leica SCN, MIRAX (the .mrxs with its folder), Philips TIFF, Sakura, Ventana, generic tiled TIFF — everything OpenSlide reads. The slide
              stays on your machine: it is read in this tab by OpenSlide compiled to WebAssembly.
            </p>
            <p>
              Then shape a tile grid the way ratiopath does (<code>grid_tiles</code>, <code>closest_level</code>, <code>read_tile</code>), check it on the slide, and download the crops as a
              zip.
            </p>
            <OpenBar onFiles={onFiles} onDemo={() => void onDemo()} busy={opening} />
          </div>
        </main>
      ) : (
        <main className="work">
          <aside className="left">
            {restored && <SettingsRestored onReset={reset} onDismiss={dismissRestored} />}
            {info && (
              <Controls
                info={info}
                params={params}
                update={update}
                resolved={planned?.resolved ?? { level: null, mpp: null, error: null }}
                onReset={reset}
                geometry={{ strideTied: geometryControls.strideTied, tieStride, setOverlap }}
                mppOverride={mpp}
                mppStatus={mppStatus}
                fallback={mppFallback}
                tissueMode={tissueMask.mode}
                tissueSummary={tissueMask.summary}
                setTissueMode={tissueMask.setMode}
                tissueShown={tissueMask.shown}
                setTissueShown={tissueMask.setShown}
                slideName={slideName}
                annotation={
                  <AnnotationControl
                    loaded={annotations.loaded}
                    error={annotations.error}
                    refusal={annotations.refusal}
                    params={params}
                    update={update}
                    onFile={(f) => void annotations.load(f)}
                    onClear={annotations.clear}
                  />
                }
              />
            )}
          </aside>
          <section className="center">
            <SlideViewer
              ref={viewer}
              slide={slide}
              overview={viewerOverview}
              grid={planned?.overlay ?? null}
              annotations={annotations.rings}
              selected={selected}
              mpp={viewMpp}
              onHover={onHover}
              onSelect={setSelected}
              onToggle={toggle}
              onView={scan.onView}
              overviewFailed={overviewError !== null}
              tissueOverlay={tissueMask.shown ? tissue : null}
            />
            {hover && plan && hover.tile < plan.grid.count && <TileTooltip plan={plan} index={hover.tile} at={hover.at} />}
            <div className="zoombar" role="toolbar" aria-label="Zoom">
              <button type="button" onClick={() => viewer.current?.zoom(1.5)} aria-label="Zoom in">
                +
              </button>
              <button type="button" onClick={() => viewer.current?.zoom(1 / 1.5)} aria-label="Zoom out">
                −
              </button>
              <button type="button" onClick={() => viewer.current?.fit()} aria-label="Fit to window">
                fit
              </button>
              <button type="button" onClick={() => viewer.current?.actualSize()} aria-label="Actual pixels: one screen pixel per level-0 pixel" title="1:1 — one screen pixel per level-0 pixel (key 1)" data-testid="zoom-1to1">
                1:1
              </button>
            </div>
          </section>
          <aside className="right">
            <SlideFacts slide={slide} name={slideName} files={current?.files.length ?? 1} mppStatus={mppStatus} />
            {/* the controls already show why no level could be chosen: said once, not twice */}
            {planned?.error && planned.error !== planned.resolved.error && (
              <p className="warn" role="alert" data-testid="plan-error">
                {planned.error}
              </p>
            )}
            {reopen.note && (
              <div className={reopen.note.error ? 'warn' : 'note'} role="status" data-testid="reopen-note" data-error={reopen.note.error ? '1' : '0'}>
                {reopen.note.error ? `${reopen.note.from}: ${reopen.note.error}` : `Plan restored from ${reopen.note.from}.`}
                {reopen.note.warnings.map((w) => (
                  <div key={w} className="warn">
                    {w}
                  </div>
                ))}
                <button type="button" className="link" onClick={reopen.dismiss}>
                  dismiss
                </button>
              </div>
            )}
            {planned?.counts && plan && (
              <section className="panel">
                {toSaveFigure && <Counts counts={planned.counts} toSave={toSaveFigure} limit={plan.params.limit} scan={scan} />}
                {plan.warnings.map((w) => (
                  <p className="warn" key={w}>
                    {w}
                  </p>
                ))}
                {scan.running && <p className="note">An extraction started now decides each unmeasured tile from its own read.</p>}
                {!scan.running && !running && planned.counts.pending > 0 && (
                  <p className="note" data-testid="scan-capped">
                    std is measured ahead for the first {AUTO_SCAN_MAX.toLocaleString('en-US')} tiles to read; the other {planned.counts.pending.toLocaleString('en-US')} are measured
                    and decided as the extraction reads them, so “to save” stays a range until then.
                  </p>
                )}
                <StdHistogram std={plan.std} threshold={plan.params.stdThreshold} />
              </section>
            )}
            {plan && selected >= 0 && selected < plan.grid.count && (
              <Inspector slide={slide} plan={plan} index={selected} fileName={tileFileName(plan, selected, slideName)} onToggle={toggle} />
            )}
            {plan && planned && (
              <ExtractPanel
                state={extract.state}
                gallery={extract.gallery}
                candidates={planned.candidates.length}
                toSave={toSaveFigure}
                knownFailed={planned.counts?.byReason['read-failed'] ?? 0}
                limit={plan.params.limit}
                toFolder={toFolder}
                setToFolder={setToFolder}
                choice={exportChoice}
                estimate={estimate}
                onStart={startExtract}
                onCancel={extract.cancel}
                onInspect={setSelected}
                disabled={!plan}
              />
            )}
            {plan && planned && <DatasetOptions dataset={dataset} disabled={running} />}
          </aside>
        </main>
      )}
      {help && <HelpOverlay onClose={() => setHelp(false)} />}
    </div>
  );
}
