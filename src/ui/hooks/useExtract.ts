// Runs an export from the UI: opens the sink the export path names (a folder, or by default a zip
// streamed to a browser download through the service worker, with a zip in memory as the fallback
// when that cannot start), keeps progress and a gallery of what arrived.
import { useCallback, useRef, useState } from 'react';
import type { PooledSlide } from '../../engine/types.ts';
import type { Plan, SlideInfo } from '../../core/index.ts';
import type { KnownOutcome } from '../../export/extract.ts';
import { exportJobFor } from '../../export/job.ts';
import { carriedOutcomes, EXPORT_MANIFEST, exportIdentity, exportManifest, journalHeader, manifestIdentity, parseJournal, PROGRESS_JOURNAL } from '../../export/resume.ts';
import { runExport, type Tables } from '../../export/bundle.ts';
import type { ExtractProgress, ExtractResult } from '../../export/extract.ts';
import { browserPngEncoder, hexRgb, type PlanRing } from '../../export/planImage.ts';
import type { ExportPath } from '../../export/exportPath.ts';
import { FolderSink, pickFolderSink, StreamZipSink, ZipSink, type Appender, type TileSink } from '../../export/sink.ts';
import { DownloadSink, openDownloadSink } from '../../export/downloadSink.ts';
import type { AnnotationRing } from '../viewer/overlay.ts';
import type { OverviewImage } from './useOverview.ts';

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
  tables(plan: Plan): Tables;
  /** where the export goes (exportPath.ts decides, the panel says why) */
  path: ExportPath;
  onResult(result: ExtractResult): void;
}

const GALLERY_MAX = 240;
/**
 * Progress and gallery reach React at most this often: a state update per tile re-rendered the page
 * (and repainted the viewer) thousands of times a second's worth, which made the main thread, not the
 * engine, the limit of an export's speed.
 */
const UI_UPDATE_MS = 250;

export function zipNameFor(slideName: string) {
  return `${slideName.replace(/\.[^.]+$/, '')}_tiles.zip`;
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
      const zipName = zipNameFor(req.slideName);
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
        const d = await openDownloadSink(zipName);
        if (d.ok) sink = d.sink;
        else {
          fallback = d.reason;
          sink = new ZipSink('blob');
        }
      }
      const p = req.plan;
      const job = exportJobFor(p, { slide: req.slide, slideName: req.slideName, candidates: req.candidates });
      // a folder that holds an interrupted export of this very plan: keep what it verifiably has
      let resume: ResumeNote | null = null;
      let known: Map<number, KnownOutcome> | null = null;
      let journal: Appender | null = null;
      if (sink instanceof FolderSink) {
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
      setState({ status: 'running', progress: null, sink: sink.kind, startedAt: performance.now(), fallback, resume });
      const mime = p.params.format === 'png' ? 'image/png' : 'image/jpeg';
      let shown = 0;
      // the latest progress and the gallery items that arrived since the last flush
      let lastProgress: ExtractProgress | null = null;
      let arrived: GalleryItem[] = [];
      let timer: ReturnType<typeof setTimeout> | null = null;
      const flush = () => {
        timer = null;
        const progress = lastProgress;
        if (progress) setState((s) => (s.status === 'running' ? { ...s, progress } : s));
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
          encodePng: browserPngEncoder,
          downsample: p.downsample,
          signal: ac.signal,
          onTile: (o, progress, tileBytes) => {
            lastProgress = progress;
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
        setState({ status: 'done', result: out.result, sink: sink.kind, zipName, url, bytes, folder, resumed: out.result.resumed, streamed, fallback });
      } catch (e) {
        if (timer) clearTimeout(timer);
        flush(); // the gallery keeps what was saved
        if (sink instanceof DownloadSink && sink.cancelled) {
          setState({
            status: 'error',
            message: `The download of ${zipName} was cancelled in the browser, so the export stopped (${sink.size > 0 ? `${(sink.size / 1048576).toFixed(1)} MB had been written` : 'nothing had been written'}). Extract again for a complete zip.`,
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
