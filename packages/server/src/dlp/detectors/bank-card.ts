import type { Matcher } from './detector';
import { findMatchSpans } from './match-spans';

/**
 * Payment card numbers: 13 to 19 digits, written solid or in the usual groups, that start as a card network's
 * numbers do and pass the Luhn check. (Numbers split by other separators reach this solid: see normalise/.)
 */
export const bankCardDetector: Matcher = {
  findSpans: (text) => findMatchSpans(CANDIDATE, text, (candidate) => hasCardPrefix(candidate) && passesLuhn(candidate)),
};

/**
 * Solid, or grouped by one kind of separator (a space or a dash): groups of four with a last group of one to
 * four (4-4-4-1 to 4-4-4-4) or one to three after four full groups (4-4-4-4-3 is UnionPay's 19 digits), and
 * 4-6-5 / 4-6-4 (American Express, Diners). A grouped number is not taken out of a longer grouped run, so the
 * middle of a long reference number is not read as a card.
 */
const CANDIDATE = new RegExp(
  [
    '(?<![0-9])[0-9]{13,19}(?![0-9])',
    '(?<![0-9][ -]?)[0-9]{4}([ -])[0-9]{4}\\1[0-9]{4}\\1(?:[0-9]{4}\\1[0-9]{1,3}|[0-9]{1,4})(?![ -]?[0-9])',
    '(?<![0-9][ -]?)[0-9]{4}([ -])[0-9]{6}\\2[0-9]{4,5}(?![ -]?[0-9])',
  ].join('|'),
  'g',
);

/**
 * Issuer prefixes: American Express, Diners and JCB (3), Visa (4), Mastercard (51-55, 2221-2720), UnionPay and
 * Discover (6), and the 19-digit domestic debit cards starting 9. One in ten numbers passes Luhn, so without this
 * a run of years or an order number read solid ("2023 2024 2025 2026") would often read as a card.
 */
function hasCardPrefix(candidate: string): boolean {
  const digits = candidate.replace(/[^0-9]/g, '');
  const first = digits.charCodeAt(0) - 0x30;
  if (first >= 3 && first <= 6) return first !== 5 || (digits[1]! >= '1' && digits[1]! <= '5');
  if (first === 2) return Number(digits.slice(0, 4)) >= 2221 && Number(digits.slice(0, 4)) <= 2720;
  return first === 9 && digits.length === 19;
}

/** The Luhn (mod 10) check over the digits, skipping separators. */
function passesLuhn(candidate: string): boolean {
  let sum = 0;
  let doubled = false;
  for (let i = candidate.length - 1; i >= 0; i -= 1) {
    const digit = candidate.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) continue;
    const value = doubled ? digit * 2 : digit;
    sum += value > 9 ? value - 9 : value;
    doubled = !doubled;
  }
  return sum % 10 === 0;
}
