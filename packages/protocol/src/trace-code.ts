/**
 * Trace codes: the short code every watermark carries, bound on the server to one viewer, one item and one time.
 * Pure functions, so the web client, the server and the CLI read and write codes alike.
 *
 * A code is 8 random symbols of Crockford's base32 and one check symbol (Luhn mod 32). Crockford's alphabet
 * leaves out I, L, O and U, so what a person or OCR reads as one of those maps back to a symbol (O→0, I/L→1), and
 * the check symbol catches every single misread symbol and every swap of two neighbours but one (0 and Z, whose
 * values 0 and 31 weigh the same under Luhn).
 */

export const TRACE_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Random symbols in a code, before its check symbol: 40 bits, about a million million codes. */
export const TRACE_CODE_RANDOM_SYMBOLS = 8;
export const TRACE_CODE_LENGTH = TRACE_CODE_RANDOM_SYMBOLS + 1;

const base = TRACE_CODE_ALPHABET.length;
const aliases: Readonly<Record<string, string>> = { O: '0', I: '1', L: '1' };

/** Why a typed code is not one: the wrong number of symbols (or a character no code has), or a failed check. */
export type TraceCodeProblem = 'format' | 'check-symbol';
export type TraceCodeParse = { code: string } | { problem: TraceCodeProblem };

/** The check symbol of a code's random part. */
export function traceCheckSymbol(body: string): string {
  // Luhn mod N: from the right, every second value is doubled and its two base-32 digits are added.
  let sum = 0;
  for (let i = body.length - 1, double = true; i >= 0; i -= 1, double = !double) sum += luhnAddend(valueOf(body[i]!), double);
  return TRACE_CODE_ALPHABET[(base - (sum % base)) % base]!;
}

/** A full code (canonical form: 9 symbols, upper case, no separators) from its random part. */
export function traceCodeFrom(body: string): string {
  return body + traceCheckSymbol(body);
}

/** Whether a canonical code's symbols are all in the alphabet and its check symbol matches. */
export function isValidTraceCode(code: string): boolean {
  if (code.length !== TRACE_CODE_LENGTH || [...code].some((symbol) => !TRACE_CODE_ALPHABET.includes(symbol))) return false;
  return traceCheckSymbol(code.slice(0, -1)) === code.at(-1);
}

/** How a code is shown and stamped: `XXXX-XXXX-X`, in groups a person reads aloud without losing their place. */
export function formatTraceCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

/**
 * Reads a code as a person typed it: any case, with spaces, hyphens or dots anywhere, and Crockford's aliases.
 * Answers the canonical code, or why it is not one.
 */
export function parseTraceCode(typed: string): TraceCodeParse {
  const symbols = [...typed.replace(/[\s\-‐‑–—._·]/g, '').toUpperCase()].map((char) => aliases[char] ?? char).join('');
  if (symbols.length !== TRACE_CODE_LENGTH || [...symbols].some((symbol) => !TRACE_CODE_ALPHABET.includes(symbol))) return { problem: 'format' };
  return isValidTraceCode(symbols) ? { code: symbols } : { problem: 'check-symbol' };
}

/**
 * The valid codes one symbol away from a misread one (nine symbols as read, read as `parseTraceCode` reads them):
 * what OCR most often gets wrong is a single glyph (F read as E, Q as O), and the check symbol says only that
 * something is wrong, not where. Each position is tried with every other symbol; about one in 32 of those passes the
 * check, so a misread code has some eight corrections, of which the trace records say which, if any, was issued.
 */
export function singleSymbolCorrections(read: string): string[] {
  const symbols = [...read.replace(/[\s\-‐‑–—._·]/g, '').toUpperCase()].map((char) => aliases[char] ?? char);
  if (symbols.length !== TRACE_CODE_LENGTH) return [];
  const corrections: string[] = [];
  for (let position = 0; position < TRACE_CODE_LENGTH; position += 1) {
    for (const symbol of TRACE_CODE_ALPHABET) {
      if (symbol === symbols[position]) continue;
      const candidate = [...symbols.slice(0, position), symbol, ...symbols.slice(position + 1)].join('');
      if (isValidTraceCode(candidate)) corrections.push(candidate);
    }
  }
  return corrections;
}

function valueOf(symbol: string): number {
  return TRACE_CODE_ALPHABET.indexOf(symbol);
}

function luhnAddend(value: number, double: boolean): number {
  const weighted = double ? value * 2 : value;
  return Math.floor(weighted / base) + (weighted % base);
}
