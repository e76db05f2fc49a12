import type { Matcher } from './detector';
import { findMatchSpans } from './match-spans';

/** PRC resident identity numbers (GB 11643): 17 digits and a check character, with a real birth date. */
export const prcIdDetector: Matcher = {
  findSpans: (text) => findMatchSpans(CANDIDATE, text, isValidPrcId),
};

/** Eighteen characters not inside a longer run of digits. */
const CANDIDATE = /(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])/g;
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** ISO 7064 MOD 11-2: the check character for each remainder of the weighted sum. */
const CHECK_CHARACTERS = '10X98765432';
const EARLIEST_BIRTH_YEAR = 1900;

function isValidPrcId(id: string): boolean {
  return PROVINCES.has(id.slice(0, 2)) && id[17]!.toUpperCase() === checkCharacter(id) && hasPlausibleBirthDate(id);
}

/** The first two digits name a province-level region (GB/T 2260), so order and invoice numbers rarely qualify. */
const PROVINCES = new Set(
  '11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83 91'.split(' '),
);

function checkCharacter(id: string): string {
  let sum = 0;
  for (let i = 0; i < WEIGHTS.length; i += 1) sum += (id.charCodeAt(i) - 0x30) * WEIGHTS[i]!;
  return CHECK_CHARACTERS[sum % 11]!;
}

/** Characters 7 to 14 are the birth date, YYYYMMDD. */
function hasPlausibleBirthDate(id: string): boolean {
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  if (year < EARLIEST_BIRTH_YEAR || year > new Date().getUTCFullYear()) return false;
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
