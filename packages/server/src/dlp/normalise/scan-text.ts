import type { Span } from '../span';
import { normaliseText, stringOfCodes } from './normalise-text';
import { TextView } from './text-view';

/** What a detector reads: normalised text, or also the numbers in it with their inner separators removed. */
export type Reading = 'text' | 'numbers';

/**
 * One scanned text, normalised once for every detector of every rule, with the views each kind of detector
 * reads. The numbers view and the decoded base64 runs are built on first use, so texts that only keyword rules
 * scan never pay for them.
 */
export class ScanText {
  readonly text: TextView;
  private numbersView: TextView | null | undefined;
  private decodedViews: { text: TextView; numbers: TextView | null }[] | undefined;

  constructor(readonly original: string) {
    this.text = normaliseText(original);
  }

  /** Every view a detector of this reading scans; its matches in any of them are matches of the original. */
  views(reading: Reading): TextView[] {
    const views = [this.text];
    if (reading === 'numbers') {
      this.numbersView ??= joinNumbers(this.text);
      if (this.numbersView) views.push(this.numbersView);
    }
    for (const decoded of this.decoded()) {
      views.push(decoded.text);
      if (reading === 'numbers' && decoded.numbers) views.push(decoded.numbers);
    }
    return views;
  }

  private decoded(): { text: TextView; numbers: TextView | null }[] {
    this.decodedViews ??= decodeBase64Runs(this.text).map((text) => ({ text, numbers: joinNumbers(text) }));
    return this.decodedViews;
  }
}

/** The spans of the original that a detector's matches in several views cover, sorted and merged where they overlap. */
export function mergeSpans(spans: Span[]): Span[] {
  if (spans.length < 2) return spans;
  spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: Span[] = [spans[0]!];
  for (const span of spans.slice(1)) {
    const last = merged[merged.length - 1]!;
    if (span[0] < last[1]) merged[merged.length - 1] = [last[0], Math.max(last[1], span[1])];
    else merged.push(span);
  }
  return merged;
}

/**
 * A digit, one to three separators, then a digit or an identity number's closing X: "110105 1990-0101.123X",
 * "6222 0212/3456 7890", "1 1 0 1 …".
 */
const SEPARATED_DIGITS = /[0-9][ \t\-./_\u00B7\u2010-\u2015\u2212\u30FB]{1,3}(?=[0-9]|[Xx](?![A-Za-z]))/g;

/**
 * The view with separators inside numbers removed, or null when there are none: identity, card and mobile numbers
 * written with spaces, dashes, dots or slashes (mixed or not) read as the solid numbers the detectors check. The
 * text view is scanned too, so two numbers that merely stand side by side are still found each on its own.
 */
function joinNumbers(view: TextView): TextView | null {
  const text = view.text;
  SEPARATED_DIGITS.lastIndex = 0;
  if (!SEPARATED_DIGITS.test(text)) return null;
  const codes: number[] = [];
  const sources: number[] = [];
  let copiedUpTo = 0;
  SEPARATED_DIGITS.lastIndex = 0;
  for (let match = SEPARATED_DIGITS.exec(text); match !== null; match = SEPARATED_DIGITS.exec(text)) {
    const separatorsStart = match.index + 1;
    for (let i = copiedUpTo; i < separatorsStart; i += 1) {
      codes.push(text.charCodeAt(i));
      sources.push(i);
    }
    copiedUpTo = match.index + match[0].length;
  }
  for (let i = copiedUpTo; i < text.length; i += 1) {
    codes.push(text.charCodeAt(i));
    sources.push(i);
  }
  return view.derive(stringOfCodes(codes), sources);
}

/** A run that may be base64: at least 8 characters of its alphabet (12 bytes of UTF-8 Chinese is 16). */
const BASE64_RUN = /[A-Za-z0-9+/]{8,}={0,2}/g;
/** Ordinary long words and plain numbers are not worth decoding: base64 of text mixes cases, digits or symbols. */
const LOWER_CASE_OR_DIGITS_ONLY = /^(?:[a-z]+|[0-9]+)$/;
const UNPRINTABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD]/;
/** A bound on the work one message can ask for. */
const MAX_DECODED_RUNS = 32;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The base64 runs of the text that decode cleanly to printable UTF-8 text, normalised, each standing for its
 * whole run in the original: a secret pasted as base64 is found, and masking it masks the run.
 */
function decodeBase64Runs(view: TextView): TextView[] {
  const decoded: TextView[] = [];
  BASE64_RUN.lastIndex = 0;
  for (let match = BASE64_RUN.exec(view.text); match !== null && decoded.length < MAX_DECODED_RUNS; match = BASE64_RUN.exec(view.text)) {
    const run = match[0];
    if (run.length % 4 !== 0 || LOWER_CASE_OR_DIGITS_ONLY.test(run)) continue;
    const text = decodeBase64Text(run);
    if (text === undefined) continue;
    const original = view.originalSpan([match.index, match.index + run.length]);
    decoded.push(TextView.standingFor(normaliseText(text).text, original));
  }
  return decoded;
}

function decodeBase64Text(run: string): string | undefined {
  try {
    const text = UTF8.decode(Buffer.from(run, 'base64'));
    return UNPRINTABLE.test(text) ? undefined : text;
  } catch {
    return undefined;
  }
}
