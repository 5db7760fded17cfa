// Runs an export from the UI: opens the sink the export path names (a folder, or by default a zip
// streamed to a browser download through the service worker, with a zip in memory as the fallback
// when that cannot start), keeps progress and a gallery of what arrived, and starts the download of
// an in-memory zip on its own when it is done. Also here: the measured size estimate shown before an
// export (a few tiles of the plan encoded for it, then every tile an export saved).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { levelPx, type PooledSlide } from '../../engine/types.ts';
import { MANUAL_INCLUDE, REASONS, type ClassLabels, type Plan, type SlideInfo } from '../../core/index.ts';
import { exportZipName, type TileCount } from '../../core/export/zipName.ts';
import { spreadSample, tileSizeFamily, type TileSizeLog } from '../../core/export/sizeEstimate.ts';
import type { KnownOutcome } from '../../export/extract.ts';
import { exportJobFor } from '../../export/job.ts';
import { carriedOutcomes, EXPORT_MANIFEST, exportIdentity, exportManifest, journalHeader, manifestIdentity, parseJournal, PROGRESS_JOURNAL } from '../../export/resume.ts';
import { runExport, type ExportFormats, type Tables } from '../../export/bundle.ts';
import type { ExtractProgress, ExtractResult } from '../../export/extract.ts';
import {
  BOX,
  MAX_CROPS,
  boxKindOf,
  browserDecodeThumbnail,
  encodeIndexedPng,
  hexRgb,
  planLayout,
  planLegend,
  renderPlanFigure,
  type PlanRing,
  type RGB,
} from '../../export/planImage.ts';
import type { ExportPath } from '../../export/exportPath.ts';
import { FolderSink, pickFolderSink, StreamZipSink, type Appender, type TileSink } from '../../export/sink.ts';
import { ZIP_PART_BYTES, ZipPartsSink } from '../../export/partsSink.ts';
import { DownloadSink, openDownloadSink } from '../../export/downloadSink.ts';
import type { AnnotationRing } from '../viewer/overlay.ts';
import { overviewForFigure, type OverviewImage } from './useOverview.ts';

export interface GalleryItem {
  index: number;
  url: string;
  path: string;
}

export type ExtractState =
  | { status: 'idle' }
  | {
      status: 'running';
      progress: ExtractProgress | null;
      /** of progress.saved, tiles carried over from an interrupted run (resume): not saved by this run */
      carriedSaved: number;
      sink: TileSink['kind'];
      startedAt: number;
      /** why the zip is built in memory although streaming is the default; null when it is not */
      fallback: string | null;
      /** a folder export picking up an interrupted one: what the folder already held */
      resume: ResumeNote | null;
    }
  | {
      status: 'done';
      result: ExtractResult;
      sink: TileSink['kind'];
      zipName: string;
      url: string | null;
      bytes: number;
      folder: string | null;
      /** tiles an interrupted export into the same folder had saved and this run kept (resume) */
      resumed: number;
      /** the zip went to the browser's downloads as it was written (no download button) */
      streamed: boolean;
      fallback: string | null;
      /** the zip built in memory was handed to the browser's downloads when the export ended */
      autoDownloaded: boolean;
      /**
       * an in-memory export too big for one zip went out in parts as each filled (partsSink.ts): their
       * names, the last one (zipName, with the tables) excluded; empty for one zip
       */
      parts: string[];
    }
  | { status: 'error'; message: string };

/** What resuming found in the folder. */
export interface ResumeNote {
  /** outcomes carried over (saved files verified, std decisions) */
  carried: number;
  /** saved files the journal lists that are missing or of another size: read and written again */
  missing: number;
}

export interface ExtractRequest {
  slide: PooledSlide;
  info: SlideInfo;
  slideName: string;
  plan: Plan;
  candidates: Int32Array;
  overview: OverviewImage | null;
  rings: AnnotationRing[];
  /** annotation classes and their outline colours, for plan.png's legend */
  classes: { name: string; color: string }[];
  tables(plan: Plan): Tables;
  /** where the export goes (exportPath.ts decides, the panel says why) */
  path: ExportPath;
  /**
   * What a zip streamed from the first tile is named for: the plan's count when every tile to read
   * has its std measured, else "up to" the target (the name is fixed before any tile is read)
   */
  expected: TileCount;
  /** every saved tile's encoded size goes here, so the next estimate is measured on real tiles */
  sizes: TileSizeLog;
  /** the dataset formats (WebDataset shards, coordinates only, coords.h5, tiles.parquet) */
  formats?: ExportFormats;
  /** file tiles under tiles/<class>/ by these labels */
  byClass?: ClassLabels;
  onResult(result: ExtractResult): void;
}

const GALLERY_MAX = 240;
/**
 * Progress and gallery reach React at most this often: a state update per tile re-rendered the page
 * (and repainted the viewer) thousands of times a second's worth, which made the main thread, not the
 * engine, the limit of an export's speed.
 */
const UI_UPDATE_MS = 250;
/** How long a downloaded part's object URL lives: the browser's download keeps the Blob itself. */
const PART_URL_MS = 10_000;

/**
 * The in-memory zip's part size: ZIP_PART_BYTES, or `?zipPartMB=N` in the page's address (for a
 * machine short of memory, and for the tests, which split a small export into parts).
 */
function zipPartBytes(): number {
  const mb = Number(new URLSearchParams(globalThis.location?.search ?? '').get('zipPartMB'));
  return Number.isFinite(mb) && mb > 0 ? mb * 1024 * 1024 : ZIP_PART_BYTES;
}

/** Hands a finished zip to the browser's downloads, as a click on its link would. */
export function startDownload(url: string, name: string) {
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

export function useExtract() {
  const [state, setState] = useState<ExtractState>({ status: 'idle' });
  const [gallery, setGallery] = useState<GalleryItem[]>([]);
  const abort = useRef<AbortController | null>(null);
  const urls = useRef<string[]>([]);

  const reset = useCallback(() => {
    for (const u of urls.current) URL.revokeObjectURL(u);
    urls.current = [];
    setGallery([]);
    setState({ status: 'idle' });
  }, []);

  const start = useCallback(
    async (req: ExtractRequest) => {
      reset();
      let sink: TileSink | null = null;
      let folder: string | null = null;
      let fallback: string | null = null;
      const parts: string[] = [];
      // a streamed zip is named now, before its first tile; one built in memory once its count is known
      const streamName = exportZipName(req.plan, req.slideName, req.expected);
      try {
        if (req.path === 'folder') {
          const f = await pickFolderSink();
          if (f) {
            sink = f;
            folder = f.name;
          }
        }
      } catch (e) {
        if (e instanceof DOMException && e.name === 'AbortError') return; // the user closed the picker
        setState({ status: 'error', message: `could not open the destination: ${e instanceof Error ? e.message : String(e)}` });
        return;
      }
      if (!sink) {
        // the default, whatever the panel said when it was drawn: the service worker may have taken
        // over since, or stopped answering; nothing is written yet, so falling back is clean
        const d = await openDownloadSink(streamName);
        if (d.ok) sink = d.sink;
        else {
          fallback = d.reason;
          // bounded at any size: full parts go to the downloads as they fill, then are let go
          sink = new ZipPartsSink(streamName.replace(/\.zip$/, ''), (part) => {
            const url = URL.createObjectURL(part.blob);
            startDownload(url, part.name);
            parts.push(part.name);
            // the download holds the Blob from here; the URL only has to outlive the click
            setTimeout(() => URL.revokeObjectURL(url), PART_URL_MS);
          }, zipPartBytes());
        }
      }
      const p = req.plan;
      const job = exportJobFor(p, { slide: req.slide, slideName: req.slideName, candidates: req.candidates, ...(req.byClass ? { byClass: req.byClass } : {}) });
      // a folder that holds an interrupted export of this very plan: keep what it verifiably has
      let resume: ResumeNote | null = null;
      let known: Map<number, KnownOutcome> | null = null;
      let journal: Appender | null = null;
      // (only a tiles/ layout resumes: shards and coordinates-only exports are written afresh)
      if (sink instanceof FolderSink && (req.formats?.layout ?? 'files') === 'files') {
        try {
          const r = await prepareFolder(sink, req, job.pathFor);
          ({ resume, known, journal } = r);
        } catch (e) {
          setState({ status: 'error', message: `could not prepare the folder: ${e instanceof Error ? e.message : String(e)}` });
          return;
        }
      }
      const ac = new AbortController();
      abort.current = ac;
      // the user cancelled the download in the browser: stop reading tiles at once
      if (sink instanceof DownloadSink) sink.onCancel = () => ac.abort();
      setState({ status: 'running', progress: null, carriedSaved: 0, sink: sink.kind, startedAt: performance.now(), fallback, resume });
      const mime = p.params.format === 'png' ? 'image/png' : 'image/jpeg';
      const family = tileSizeFamily(p);
      let shown = 0;
      // the latest progress and the gallery items that arrived since the last flush
      let lastProgress: ExtractProgress | null = null;
      let carriedSaved = 0;
      let arrived: GalleryItem[] = [];
      let timer: ReturnType<typeof setTimeout> | null = null;
      const flush = () => {
        timer = null;
        const progress = lastProgress;
        if (progress) setState((s) => (s.status === 'running' ? { ...s, progress, carriedSaved } : s));
        if (arrived.length > 0) {
          const items = arrived;
          arrived = [];
          setGallery((g) => [...g, ...items]);
        }
      };
      try {
        const out = await runExport({
          job: known ? { ...job, known: (i) => known.get(i) } : job,
          journal: journal ?? undefined,
          sink: sink!,
          tables: req.tables(p),
          overview: req.overview ? { image: req.overview.rgba, downsample: req.overview.downsample } : null,
          acceptedBoxes: req.candidates,
          rings: req.rings.filter((r) => !r.hole).map((r): PlanRing => ({ points: r.points, rgb: hexRgb(r.color) })),
          downsample: p.downsample,
          figure: {
            plan: p,
            slideName: req.slideName,
            slideSize: [req.info.levels[0].width, req.info.levels[0].height],
            classes: req.classes.map((c) => ({ name: c.name, rgb: hexRgb(c.color) as RGB })),
            decodeThumbnail: browserDecodeThumbnail,
            // the export may start before the preview's overview has loaded, or the slide may have
            // no level small enough for one: plan.png then reads (or renders) its own
            loadOverview: () => overviewForFigure(req.slide),
          },
          ...(req.formats ? { formats: req.formats } : {}),
          signal: ac.signal,
          onTile: (o, progress, tileBytes) => {
            lastProgress = progress;
            if (o.carried && o.status === 'saved') carriedSaved++;
            if (o.status === 'saved' && tileBytes) req.sizes.record(family, p.grid.origins[2 * o.index], p.grid.origins[2 * o.index + 1], tileBytes.byteLength);
            // a URL (and the bytes behind it) only for the tiles the gallery shows; the rest live in the sink only
            if (o.status === 'saved' && tileBytes && o.path && shown < GALLERY_MAX) {
              shown++;
              const url = URL.createObjectURL(new Blob([tileBytes as Uint8Array<ArrayBuffer>], { type: mime }));
              urls.current.push(url);
              arrived.push({ index: o.index, url, path: o.path });
            }
            timer ??= setTimeout(flush, UI_UPDATE_MS);
          },
        });
        if (timer) clearTimeout(timer);
        flush();
        await journal?.flush();
        req.onResult(out.result);
        let url: string | null = null;
        let bytes = 0;
        if (out.archive) {
          const blob = out.archive instanceof Blob ? out.archive : new Blob([out.archive as Uint8Array<ArrayBuffer>], { type: 'application/zip' });
          url = URL.createObjectURL(blob);
          urls.current.push(url);
          bytes = blob.size;
        }
        const streamed = sink instanceof StreamZipSink;
        if (sink instanceof StreamZipSink) bytes = sink.size;
        const zipName = streamed ? streamName : sink instanceof ZipPartsSink && sink.partsDone > 0 ? sink.lastName : exportZipName(p, req.slideName, { exact: out.result.saved }, { cancelled: out.result.cancelled });
        // one click to the file: a zip built in memory goes to the downloads on its own, as a
        // streamed one already did; the panel keeps a "Download again" link
        if (url) startDownload(url, zipName);
        setState({ status: 'done', result: out.result, sink: sink.kind, zipName, url, bytes, folder, resumed: out.result.resumed, streamed, fallback, autoDownloaded: url !== null, parts });
      } catch (e) {
        if (timer) clearTimeout(timer);
        flush(); // the gallery keeps what was saved
        if (sink instanceof DownloadSink && sink.cancelled) {
          setState({
            status: 'error',
            message: `The download of ${streamName} was cancelled in the browser, so the export stopped (${sink.size > 0 ? `${(sink.size / 1048576).toFixed(1)} MB had been written` : 'nothing had been written'}). Extract again for a complete zip.`,
          });
          return;
        }
        // what the folder holds stays resumable: the journal lists every file written so far
        await journal?.flush().catch(() => {});
        // a half-written streamed zip is not a zip: fail the download rather than leave a broken file
        if (sink instanceof StreamZipSink) await sink.abort(e).catch(() => {});
        setState({ status: 'error', message: e instanceof Error ? e.message : String(e) });
      } finally {
        if (timer) clearTimeout(timer);
        abort.current = null;
      }
    },
    [reset],
  );

  const cancel = useCallback(() => abort.current?.abort(), []);
  return { state, gallery, start, cancel, reset };
}

/**
 * Resume support for a folder export (src/export/resume.ts): when the folder's manifest names this
 * plan, the journal's outcomes whose files are there with their recorded size are carried over;
 * otherwise the folder starts a fresh journal. Either way the manifest names this plan from now on.
 */
async function prepareFolder(sink: FolderSink, req: ExtractRequest, pathFor: (i: number) => string) {
  const identity = exportIdentity(req.plan, req.info, req.slideName);
  const same = manifestIdentity((await sink.readText(EXPORT_MANIFEST)) ?? '') === identity;
  let resume: ResumeNote | null = null;
  let known: Map<number, KnownOutcome> | null = null;
  if (same) {
    const entries = parseJournal((await sink.readText(PROGRESS_JOURNAL)) ?? '');
    const c = await carriedOutcomes(entries, pathFor, (path) => sink.sizeOf(path));
    if (c.known.size > 0) {
      known = c.known;
      resume = { carried: c.known.size, missing: c.missing };
    }
  }
  if (!known) {
    await sink.write(EXPORT_MANIFEST, exportManifest(req.plan, req.info, req.slideName));
    await sink.write(PROGRESS_JOURNAL, journalHeader());
  }
  return { resume, known, journal: sink.appender(PROGRESS_JOURNAL) };
}

/** Tiles of a plan encoded for the size estimate before any export has measured that kind of tile. */
export const SIZE_SAMPLE = 12;

/**
 * Measures the plan's encoded tile size: up to SIZE_SAMPLE tiles spread over those the export will
 * read first, read and encoded exactly as the export will (format, quality, background; a tile the
 * std filter rejects is not encoded and does not count). Skipped when the log already holds that
 * many for this kind of tile (an earlier sample or export); paused while an export runs, which
 * records every tile it saves. Returns the log's version, to re-render when it grows.
 */
export function useTileSizeSample(slide: PooledSlide | null, plan: Plan | null, candidates: Int32Array, within: number, log: TileSizeLog, paused: boolean) {
  const [state, setState] = useState({ sampling: false, version: log.version });
  const latest = useRef({ plan, candidates, within });
  latest.current = { plan, candidates, within };
  const family = plan ? tileSizeFamily(plan) : '';
  const key = plan ? [family, plan.stride.join('x'), plan.params.last, plan.params.stdThreshold, within, candidates.length, candidates[0] ?? -1].join('|') : '';
  useEffect(() => {
    // what the sample reads comes through the ref; `key` says when it is a different sample
    const { plan, candidates, within } = latest.current;
    if (!slide || !plan || paused) return;
    const fam = tileSizeFamily(plan);
    const o = plan.grid.origins;
    const measured = () => log.mean(fam)?.n ?? 0;
    if (measured() >= SIZE_SAMPLE) {
      setState({ sampling: false, version: log.version });
      return;
    }
    // the sample spread over every tile the export will read (the first ones in grid order are often
    // the slide's edge, mostly glass, which encodes small), then more of them in case the std
    // filter rejects some
    const todo = [...new Set([...spreadSample(candidates, within, SIZE_SAMPLE), ...spreadSample(candidates, within, SIZE_SAMPLE * 3)])].filter(
      (i) => !log.has(fam, o[2 * i], o[2 * i + 1]),
    );
    if (todo.length === 0) return;
    const ac = new AbortController();
    let next = 0;
    setState({ sampling: true, version: log.version });
    const lane = async () => {
      while (!ac.signal.aborted && next < todo.length && measured() < SIZE_SAMPLE) {
        const i = todo[next++];
        try {
          const r = await slide.readTileEncoded(levelPx(o[2 * i]), levelPx(o[2 * i + 1]), plan.level, levelPx(plan.tile[0]), levelPx(plan.tile[1]), {
            format: plan.params.format,
            quality: plan.params.jpegQuality / 100,
            background: plan.params.background,
            skipStdAtOrBelow: plan.params.stdThreshold === null || plan.manual[i] === MANUAL_INCLUDE ? undefined : plan.params.stdThreshold,
            signal: ac.signal,
          });
          if (r.bytes && !ac.signal.aborted) {
            log.record(fam, o[2 * i], o[2 * i + 1], r.bytes.byteLength);
            setState({ sampling: true, version: log.version });
          }
        } catch {
          // a tile that cannot be read is not saved either: it says nothing about the size
        }
      }
    };
    void Promise.all(Array.from({ length: Math.max(1, slide.workers) }, lane)).then(() => {
      if (!ac.signal.aborted) setState({ sampling: false, version: log.version });
    });
    return () => {
      ac.abort();
      // a sample stopped by a change of plan or by a scan or export starting is not "measuring"
      setState((st) => (st.sampling ? { ...st, sampling: false } : st));
    };
  }, [slide, key, paused, log]);
  return state;
}

/** Waits this long after the last change before drawing plan.png for the estimate (it takes a moment). */
const PLAN_PNG_SETTLE_MS = 1500;

/**
 * plan.png's size for the estimate, measured by drawing and encoding it as the export will: this
 * slide's overview, annotations and boxes, a legend, and crops (cut from the overview here, as the
 * export's own are not read yet). Drawing takes the main thread for about half a second, so it is
 * done once per slide and annotation set, when the page is idle and no scan or export runs; other
 * grids change its size by a few percent only. null until then.
 */
export function usePlanPngEstimate(overview: OverviewImage | null, rings: AnnotationRing[], slideSize: [number, number] | null, plan: Plan | null, candidates: Int32Array, paused: boolean) {
  const [bytes, setBytes] = useState<{ key: unknown; bytes: number } | null>(null);
  const latest = useRef({ plan, candidates });
  latest.current = { plan, candidates };
  // the drawing's identity: this overview and these annotations
  const key = useMemo(() => (overview && slideSize ? { overview, rings } : null), [overview, rings, slideSize]);
  const done = bytes !== null && bytes.key === key && bytes.key !== null;
  const ready = plan !== null;
  useEffect(() => {
    if (!key || !overview || !slideSize || done || paused || !ready) return;
    let cancelled = false;
    let idle = 0;
    const timer = setTimeout(() => {
      idle = requestIdleCallback(() => draw(), { timeout: 3000 });
    }, PLAN_PNG_SETTLE_MS);
    const draw = () => {
      const { plan, candidates } = latest.current;
      if (!plan) return;
      const kind = new Uint8Array(plan.grid.count);
      for (let i = 0; i < kind.length; i++) kind[i] = plan.accepted[i] ? BOX.saved : boxKindOf(REASONS[plan.reason[i]]);
      const scale = planLayout(slideSize[0], slideSize[1], 0, 0).overview.scale;
      const crops = spreadSample(candidates, candidates.length, MAX_CROPS).map((index) => ({ index, image: null }));
      const fig = renderPlanFigure({
        title: 'estimate',
        slideSize,
        overview: { image: overview.rgba, downsample: overview.downsample },
        tiles: { origins: plan.grid.origins, tileW: plan.tile[0], tileH: plan.tile[1], downsample: plan.downsample, kind },
        rings: rings.filter((r) => !r.hole).map((r) => ({ points: r.points, rgb: hexRgb(r.color) })),
        legend: planLegend({ plan, kind, saved: candidates.length, cancelled: false, classes: [], boxPx: Math.min(...plan.tile) * plan.downsample * scale }),
        crops,
      });
      void encodeIndexedPng(fig).then((png) => !cancelled && setBytes({ key, bytes: png.byteLength }));
    };
    return () => {
      cancelled = true;
      clearTimeout(timer);
      if (idle) cancelIdleCallback(idle);
    };
  }, [key, overview, slideSize, rings, done, paused, ready]);
  // new annotations redraw it; meanwhile the previous size stands
  return { bytes: bytes?.bytes ?? null, fresh: done };
}
