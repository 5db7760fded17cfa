// Runs an export from the UI: opens the sink the export path names (a folder, a zip streamed into a
// picked file, or a zip in memory), keeps progress, a gallery of what arrived, and the finished
// archive for download.
import { useCallback, useRef, useState } from 'react';
import type { PooledSlide } from '../../engine/types.ts';
import type { Plan } from '../../core/index.ts';
import { runExport, type Tables } from '../../export/bundle.ts';
import type { ExtractProgress, ExtractResult } from '../../export/extract.ts';
import { browserPngEncoder, hexRgb, type PlanRing } from '../../export/planImage.ts';
import type { ExportPath } from '../../export/exportPath.ts';
import { pickFolderSink, pickZipFileSink, StreamZipSink, ZipSink, type TileSink } from '../../export/sink.ts';
import type { AnnotationRing } from '../viewer/overlay.ts';
import type { OverviewImage } from './useOverview.ts';

export interface GalleryItem {
  index: number;
  url: string;
  path: string;
}

export type ExtractState =
  | { status: 'idle' }
  | { status: 'running'; progress: ExtractProgress | null; sink: TileSink['kind']; startedAt: number }
  | {
      status: 'done';
      result: ExtractResult;
      sink: TileSink['kind'];
      zipName: string;
      url: string | null;
      bytes: number;
      folder: string | null;
      /** the picked file a streamed zip went into */
      file: string | null;
    }
  | { status: 'error'; message: string };

export interface ExtractRequest {
  slide: PooledSlide;
  slideName: string;
  plan: Plan;
  candidates: Int32Array;
  overview: OverviewImage | null;
  rings: AnnotationRing[];
  /** the grid index → path of a saved tile */
  pathFor(i: number): string;
  tables(plan: Plan): Tables;
  /** where the export goes (exportPath.ts decides, the panel says why) */
  path: ExportPath;
  onResult(result: ExtractResult): void;
}

const GALLERY_MAX = 240;

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
      let sink: TileSink = new ZipSink('blob');
      let folder: string | null = null;
      let file: string | null = null;
      try {
        if (req.path === 'folder') {
          const f = await pickFolderSink();
          if (f) {
            sink = f;
            folder = f.name;
          }
        } else if (req.path === 'zip-stream') {
          const f = await pickZipFileSink(zipNameFor(req.slideName));
          if (f) {
            sink = f;
            file = f.name;
          }
        }
      } catch (e) {
        if (e instanceof DOMException && e.name === 'AbortError') return; // the user closed the picker
        setState({ status: 'error', message: `could not open the destination: ${e instanceof Error ? e.message : String(e)}` });
        return;
      }
      const ac = new AbortController();
      abort.current = ac;
      setState({ status: 'running', progress: null, sink: sink.kind, startedAt: performance.now() });
      const p = req.plan;
      const mime = p.params.format === 'png' ? 'image/png' : 'image/jpeg';
      let shown = 0;
      const included = new Set<number>();
      for (let i = 0; i < p.grid.count; i++) if (p.manual[i] === 1) included.add(i);
      try {
        const out = await runExport({
          job: {
            slide: req.slide,
            level: p.level,
            tileW: p.tile[0],
            tileH: p.tile[1],
            origins: p.grid.origins,
            candidates: req.candidates,
            stdThreshold: p.params.stdThreshold,
            forceInclude: (i) => included.has(i),
            limit: p.params.limit,
            format: p.params.format,
            jpegQuality: p.params.jpegQuality,
            background: p.params.background,
            pathFor: req.pathFor,
          },
          sink,
          tables: req.tables(p),
          overview: req.overview ? { image: req.overview.rgba, downsample: req.overview.downsample } : null,
          acceptedBoxes: req.candidates,
          rings: req.rings.filter((r) => !r.hole).map((r): PlanRing => ({ points: r.points, rgb: hexRgb(r.color) })),
          encodePng: browserPngEncoder,
          downsample: p.downsample,
          signal: ac.signal,
          onTile: (o, progress, tileBytes) => {
            setState((s) => (s.status === 'running' ? { ...s, progress } : s));
            // a URL (and the bytes behind it) only for the tiles the gallery shows; the rest live in the sink only
            if (o.status === 'saved' && tileBytes && o.path && shown < GALLERY_MAX) {
              shown++;
              const url = URL.createObjectURL(new Blob([tileBytes as Uint8Array<ArrayBuffer>], { type: mime }));
              urls.current.push(url);
              const path = o.path;
              setGallery((g) => [...g, { index: o.index, url, path }]);
            }
          },
        });
        req.onResult(out.result);
        let url: string | null = null;
        let bytes = 0;
        if (out.archive) {
          const blob = out.archive instanceof Blob ? out.archive : new Blob([out.archive as Uint8Array<ArrayBuffer>], { type: 'application/zip' });
          url = URL.createObjectURL(blob);
          urls.current.push(url);
          bytes = blob.size;
        }
        if (sink instanceof StreamZipSink) bytes = sink.size;
        setState({ status: 'done', result: out.result, sink: sink.kind, zipName: zipNameFor(req.slideName), url, bytes, folder, file });
      } catch (e) {
        // a half-written streamed zip is not a zip: drop it rather than leave a broken file
        if (sink instanceof StreamZipSink) await sink.abort(e).catch(() => {});
        setState({ status: 'error', message: e instanceof Error ? e.message : String(e) });
      } finally {
        abort.current = null;
      }
    },
    [reset],
  );

  const cancel = useCallback(() => abort.current?.abort(), []);
  return { state, gallery, start, cancel, reset };
}
