import type { Matcher } from './detector';
import { findMatchSpans } from './match-spans';

/**
 * Mainland China mobile numbers: 11 digits starting 13 to 19, optionally after +86, 86 or 0086 (and a space or
 * dash), optionally grouped 3-4-4 by spaces or dashes, and never taken out of a longer run of digits. The shape
 * is the whole check: mobile numbers carry no checksum.
 */
export const cnMobileDetector: Matcher = {
  findSpans: (text) => findMatchSpans(CANDIDATE, text),
};

const CANDIDATE = /(?<![0-9])(?:(?:\+86|0086|86)[ -]?)?1[3-9][0-9](?:[0-9]{8}|([ -])[0-9]{4}\1[0-9]{4})(?![0-9])/g;
