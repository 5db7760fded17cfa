// The command line's one error of its own: a wrong command line. Each command prints its message with
// its usage and exits 1; everything else is an engine or core error with its own code.
import { SlidetileError } from '../core/errors.ts';

export class UsageError extends SlidetileError<'usage'> {
  override name = 'UsageError';
  readonly code = 'usage';
}

/** node:util parseArgs's own errors (unknown option, missing value) are usage errors too. */
export function isUsageError(e: unknown): boolean {
  return e instanceof UsageError || (e instanceof Error && 'code' in e && String((e as { code: unknown }).code).startsWith('ERR_PARSE_ARGS'));
}
