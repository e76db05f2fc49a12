import type { Span } from './detector';

/** Always the same length, so a masked message does not reveal how long the secret was. */
const MASK = '████';

/**
 * The text with every span replaced by one mask. Spans from different rules may overlap or touch; they are
 * merged first, so a secret matched by two rules is masked once and no fragment of it slips between masks.
 */
export function redactSpans(text: string, spans: readonly Span[]): string {
  const ordered = spans.filter(([start, end]) => end > start).sort((a, b) => a[0] - b[0]);
  let redacted = '';
  let copiedUpTo = 0;
  let i = 0;
  while (i < ordered.length) {
    const start = Math.max(ordered[i]![0], copiedUpTo);
    let end = ordered[i]![1];
    i += 1;
    while (i < ordered.length && ordered[i]![0] <= end) {
      end = Math.max(end, ordered[i]![1]);
      i += 1;
    }
    redacted += text.slice(copiedUpTo, start) + MASK;
    copiedUpTo = Math.min(end, text.length);
  }
  return redacted + text.slice(copiedUpTo);
}
