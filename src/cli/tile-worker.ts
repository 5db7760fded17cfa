// One extract worker thread: its own engine module and slide handle, serving readTileEncoded
// requests one at a time (src/cli/workers.ts keeps the queue).
import { parentPort, workerData } from 'node:worker_threads';
import { NodeSlide } from '../engine/node.ts';
import { EngineError, levelPx, type EncodeOptions } from '../engine/types.ts';
import { readTileEncoded } from './tiles.ts';

export interface TileRequest {
  id: number;
  x: number;
  y: number;
  level: number;
  width: number;
  height: number;
  opts: Omit<EncodeOptions, 'signal'>;
}

export type TileReply =
  | { id: number; ok: true; width: number; height: number; std: number; bytes: Uint8Array | null }
  | { id: number; ok: false; code: string; message: string; file?: string };

const port = parentPort!;
const errorOf = (e: unknown) =>
  e instanceof EngineError ? { code: e.code, message: e.message, file: e.file } : { code: 'error', message: e instanceof Error ? e.message : String(e) };

try {
  const slide = await NodeSlide.open((workerData as { slide: string }).slide);
  port.on('message', async (req: TileRequest | 'close') => {
    if (req === 'close') {
      await slide.close();
      port.close();
      return;
    }
    try {
      const t = await readTileEncoded(slide, levelPx(req.x), levelPx(req.y), req.level, levelPx(req.width), levelPx(req.height), req.opts);
      const reply: TileReply = { id: req.id, ok: true, ...t };
      port.postMessage(reply, t.bytes ? [t.bytes.buffer as ArrayBuffer] : []);
    } catch (e) {
      port.postMessage({ id: req.id, ok: false, ...errorOf(e) } satisfies TileReply);
    }
  });
  port.postMessage({ ready: true });
} catch (e) {
  port.postMessage({ ready: false, ...errorOf(e) });
}
