// Comlink's default "throw" handler keeps only name/message/stack; this one keeps EngineError's code
// and file so the UI can branch on them. Installed on both sides of the worker boundary.
import * as Comlink from 'comlink';
import { EngineError } from './types.ts';
import { withoutMounts } from './files.ts';

type Serialized = { engine: true; code: EngineError['code']; message: string; file?: string } | { engine: false; name: string; message: string };

let installed = false;
export function installErrorTransfer(): void {
  if (installed) return;
  installed = true;
  const base = Comlink.transferHandlers.get('throw')!;
  Comlink.transferHandlers.set('throw', {
    canHandle: base.canHandle,
    serialize(thrown: unknown) {
      const value = (thrown as { value: unknown }).value;
      // no path inside the engine's file system leaves the worker: the user knows only their own
      const s: Serialized =
        value instanceof EngineError
          ? { engine: true, code: value.code, message: withoutMounts(value.message), file: value.file && withoutMounts(value.file) }
          : { engine: false, name: value instanceof Error ? value.name : 'Error', message: withoutMounts(value instanceof Error ? value.message : String(value)) };
      return [s, []];
    },
    deserialize(s: Serialized) {
      if (s.engine) throw new EngineError(s.code, s.message, s.file);
      // anything else from a worker means its instance can no longer be trusted
      throw new EngineError('engine-crashed', `${s.name}: ${s.message}`);
    },
  } as Comlink.TransferHandler<unknown, Serialized>);
}
