// What crosses between the page and an engine worker (over Comlink). Errors cross as EngineError
// with their code intact (see errors-transfer.ts); pixel buffers are transferred, never copied.
import type { SlideInfo } from '../core/slide.ts';
import type { EncodedTile, RGBAImage, RGBImage } from './types.ts';

/** One file of a slide, with its path relative to the slide's folder (MIRAX/VMS need the layout). */
export interface SlideFile {
  path: string;
  file: Blob;
}

export interface EncodeRequest {
  background: number;
  format: 'png' | 'jpeg';
  quality?: number;
  skipStdAtOrBelow?: number;
}

export interface EngineWorkerApi {
  /**
   * Mounts the files and opens `main`; returns the slide's facts. Browser: the dropped files, read
   * lazily (WORKERFS), `main` relative to them. Node: no files, `main` a host path (NODEFS mounts its folder).
   */
  open(files: SlideFile[], main: string): Promise<SlideInfo>;
  readRegion(x0: number, y0: number, level: number, width: number, height: number): Promise<RGBAImage>;
  readTile(x: number, y: number, level: number, width: number, height: number, background: number): Promise<RGBImage>;
  readTileEncoded(x: number, y: number, level: number, width: number, height: number, req: EncodeRequest): Promise<EncodedTile>;
  associatedImage(name: string): Promise<RGBAImage>;
  /** The wasm heap's size in bytes (for the benchmark's memory figures). */
  memory(): Promise<number>;
  close(): Promise<void>;
}
