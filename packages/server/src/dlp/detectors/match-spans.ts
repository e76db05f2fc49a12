import type { Span } from './detector';

/**
 * The matches of a built-in detector's native expression that pass its check, if it has one (a checksum, a
 * real date). Native expressions are used only for the built-ins, which are written so that each start
 * position costs a bounded amount of work; administrators' patterns always run on RE2. The expression must
 * carry the `g` flag; sharing its `lastIndex` is safe because a scan runs to completion without yielding.
 */
export function findMatchSpans(expression: RegExp, text: string, passesCheck?: (match: string) => boolean): Span[] {
  const spans: Span[] = [];
  expression.lastIndex = 0;
  for (let match = expression.exec(text); match !== null; match = expression.exec(text)) {
    if (passesCheck === undefined || passesCheck(match[0])) spans.push([match.index, match.index + match[0].length]);
  }
  return spans;
}
