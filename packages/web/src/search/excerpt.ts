/** A [start, end) range of UTF-16 offsets into a text, as the search API returns them. */
export type Range = readonly [number, number];

export interface Excerpt {
  text: string;
  highlights: Range[];
  /** Text was left out before or after the excerpt. */
  clippedStart: boolean;
  clippedEnd: boolean;
}

/** How many characters of a message a result shows. */
export const EXCERPT_LENGTH = 280;
/** How much text comes before the first match when a long message is cut. */
const LEAD = 60;

/** The part of a long text a result shows: from a little before its first match, with the ranges moved to fit. */
export function excerptOf(text: string, highlights: readonly Range[], length = EXCERPT_LENGTH): Excerpt {
  if (text.length <= length) return { text, highlights: [...highlights], clippedStart: false, clippedEnd: false };
  let start = Math.max(0, Math.min((highlights[0]?.[0] ?? 0) - LEAD, text.length - length));
  let end = Math.min(text.length, start + length);
  // Never cut a character written as two code units (an emoji, a rare Chinese character) in half.
  if (isTrailingHalf(text, start)) start += 1;
  if (isTrailingHalf(text, end)) end -= 1;
  const inside = highlights
    .filter(([from, to]) => to > start && from < end)
    .map(([from, to]): Range => [Math.max(from, start) - start, Math.min(to, end) - start]);
  return { text: text.slice(start, end), highlights: inside, clippedStart: start > 0, clippedEnd: end < text.length };
}

/** The text cut at the ranges: plain and marked pieces in order. Ranges outside the text or overlapping are ignored. */
export function markedPieces(text: string, highlights: readonly Range[]): { text: string; marked: boolean }[] {
  const pieces: { text: string; marked: boolean }[] = [];
  let at = 0;
  for (const [from, to] of highlights) {
    if (from < at || to <= from || to > text.length) continue;
    if (from > at) pieces.push({ text: text.slice(at, from), marked: false });
    pieces.push({ text: text.slice(from, to), marked: true });
    at = to;
  }
  if (at < text.length) pieces.push({ text: text.slice(at), marked: false });
  return pieces;
}

function isTrailingHalf(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff;
}
