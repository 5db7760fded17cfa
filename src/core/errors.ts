// One error model for every layer: a SlidetileError carries a `code` from a closed union, so callers
// branch on the code, never on the message, and the code survives a worker's postMessage as a field
// (engine/errors-transfer.ts) rather than a "code: message" string. Each layer adds its own codes:
// core (here), the engine (engine/types.ts EngineErrorCode), the command line (cli/usage.ts).

/** Codes of the core's own errors. */
export type CoreErrorCode =
  | 'invalid-params' // plan parameters that fail the schema (params.ts)
  | 'missing-mpp' // a µm/px target on a slide that records no µm/px (levels.ts)
  | 'invalid-level' // a level that does not exist, or a bad µm/px override (levels.ts)
  | 'invalid-grid' // tile, stride or extent that cannot make a grid, or too many tiles (grid.ts)
  | 'bad-slide-json'; // a file re-opened as a previous export's slide.json that is not one (export/reopen.ts)

export abstract class SlidetileError<Code extends string = string> extends Error {
  abstract readonly code: Code;
  /** Plain fields for logs and for a worker's message (Error's own fields do not survive structured clone). */
  toPlain(): { name: string; code: Code; message: string } {
    return { name: this.name, code: this.code, message: this.message };
  }
}

/** The code of any error: a SlidetileError's (or another error's own `code` field), else 'error'. */
export function errorCode(e: unknown): string {
  if (e instanceof SlidetileError) return e.code;
  if (e && typeof e === 'object' && 'code' in e && typeof (e as { code: unknown }).code === 'string') return (e as { code: string }).code;
  return 'error';
}
