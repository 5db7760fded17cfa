// A refused file, said the same way for slides and annotation files: the user's file in bold, the
// likely cause and what to do, and OpenSlide's (or the parser's) own reason in smaller text.
import type { Refusal } from '../../core/refusals.ts';

// the table's sentences carry no final stop (the command line prints them on their own lines)
const sentence = (s: string) => s + (/[.!?]$/.test(s) ? '' : '.');

export function RefusalMessage({ refusal, verb, reasonLabel }: { refusal: Refusal; verb: string; reasonLabel: string }) {
  return (
    <span className="refusal" data-kind={refusal.kind}>
      <b data-testid="refused-file">{refusal.file}</b> {verb}. <span data-testid="refusal-cause">{sentence(refusal.cause)}</span>{' '}
      <span data-testid="refusal-advice">What to do: {sentence(refusal.advice)}</span>{' '}
      <small className="reason" data-testid="refusal-reason">
        {reasonLabel}: “{refusal.openslideReason}”
      </small>
    </span>
  );
}
