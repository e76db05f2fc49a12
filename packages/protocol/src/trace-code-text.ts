import { isValidTraceCode, parseTraceCode, TRACE_CODE_ALPHABET, TRACE_CODE_LENGTH } from './trace-code';

/**
 * Trace codes inside text: the invisible form carried by text copied from a marked message, and finding codes,
 * visible or invisible, in whatever an investigator pastes (a leaked post, an OCR reading of a photo).
 *
 * The invisible form is a start marker (U+2063 INVISIBLE SEPARATOR) and 23 characters of four zero-width kinds,
 * two bits each, for the code's 45 bits (the last bit is padding, always 0). A mark cut short, or with anything
 * between its characters, is not read at all, and the check symbol refuses one whose bits were changed: a
 * damaged mark is lost, never read as someone else's code. A careful leaker can strip these characters.
 */

const START = '\u2063';
const DIGITS = ['\u200b', '\u200c', '\u200d', '\u2060'] as const;
const BITS_PER_SYMBOL = 5;
const MARK_DIGITS = Math.ceil((TRACE_CODE_LENGTH * BITS_PER_SYMBOL) / 2);

/** Where a code was found in text: printed (or read by OCR) or in invisible characters. */
export type TraceCodeSource = 'visible' | 'invisible';

/** A code-shaped thing in text: `code` is canonical when `valid`, otherwise the symbols as read (a misread). */
export interface TraceCodeCandidate {
  code: string;
  valid: boolean;
  source: TraceCodeSource;
}

/** The zero-width characters that carry a canonical code inside copied text. */
export function encodeInvisibleTraceCode(code: string): string {
  if (!isValidTraceCode(code)) throw new Error('not a trace code');
  const bits = [...code].map((symbol) => TRACE_CODE_ALPHABET.indexOf(symbol).toString(2).padStart(BITS_PER_SYMBOL, '0')).join('').padEnd(MARK_DIGITS * 2, '0');
  let mark = START;
  for (let i = 0; i < bits.length; i += 2) mark += DIGITS[Number.parseInt(bits.slice(i, i + 2), 2)];
  return mark;
}

/** The valid codes in a text, visible and invisible, each once, in the order they first appear. */
export function findTraceCodes(text: string): string[] {
  return [...new Set(findTraceCodeCandidates(text).filter((candidate) => candidate.valid).map((candidate) => candidate.code))];
}

/**
 * Every code-shaped thing in a text: invisible marks that decode to nine symbols, and printed codes. A printed
 * code is upper case, as every watermark prints it: nine symbols grouped 4-4-1 by separators (a hyphen, a dash, a
 * dot, spaces: OCR reads the hyphen as any of them), or nine symbols in one word holding a digit. Lower-case words
 * are never taken for codes, which a one-in-32 chance of passing the check would otherwise make happen in every
 * long text; a code typed alone in any case is `parseTraceCode`'s.
 */
export function findTraceCodeCandidates(text: string): TraceCodeCandidate[] {
  return [...invisibleCandidates(text), ...visibleCandidates(text)];
}

function invisibleCandidates(text: string): TraceCodeCandidate[] {
  const found: TraceCodeCandidate[] = [];
  for (const match of text.matchAll(/\u2063([\u200b\u200c\u200d\u2060]*)/g)) {
    const digits = [...match[1]!];
    if (digits.length !== MARK_DIGITS) continue;
    const bits = digits.map((digit) => DIGITS.indexOf(digit as (typeof DIGITS)[number]).toString(2).padStart(2, '0')).join('');
    if (bits.at(-1) !== '0') continue;
    let code = '';
    for (let i = 0; i < TRACE_CODE_LENGTH; i += 1) code += TRACE_CODE_ALPHABET[Number.parseInt(bits.slice(i * BITS_PER_SYMBOL, (i + 1) * BITS_PER_SYMBOL), 2)];
    found.push({ code, valid: isValidTraceCode(code), source: 'invisible' });
  }
  return found;
}

const symbol = '[0-9A-HJKMNP-TV-Z]';
const readable = '[0-9A-HJKMNP-TV-ZOIL]';
const separator = '[\\s\\-‐‑–—._·]{1,3}';
const grouped = new RegExp(`(?<![0-9A-Za-z])${readable}{4}${separator}${readable}{4}${separator}${readable}(?![0-9A-Za-z])`, 'gu');
const solid = new RegExp(`(?<![0-9A-Za-z])(?=[A-Z]*[0-9])${symbol}{9}(?![0-9A-Za-z])`, 'gu');

function visibleCandidates(text: string): TraceCodeCandidate[] {
  const found: TraceCodeCandidate[] = [];
  for (const match of text.matchAll(grouped)) found.push(readCandidate(match[0]));
  for (const match of text.matchAll(solid)) found.push(readCandidate(match[0]));
  return found;
}

function readCandidate(printed: string): TraceCodeCandidate {
  const parsed = parseTraceCode(printed);
  if ('code' in parsed) return { code: parsed.code, valid: true, source: 'visible' };
  return { code: printed.replace(/[^0-9A-Za-z]/g, '').toUpperCase(), valid: false, source: 'visible' };
}
