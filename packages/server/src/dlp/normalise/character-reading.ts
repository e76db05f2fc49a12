import TRADITIONAL_PAIRS from 'opencc-js/dict/TSCharacters';
import { LOOK_ALIKES } from './look-alikes';

/**
 * How DLP reads one character: the text detectors see instead of it, '' for a character that is not read at all,
 * or undefined when it reads as itself (almost every character of a real message). Worked out once per character
 * and then read from a table, so normalising a message costs an array read per character.
 *
 * In order: invisible format characters are dropped (zero-width space and joiners, word joiner, byte order mark,
 * soft hyphen, direction marks, variation selectors, Hangul fillers); NFKC folds compatibility forms (full-width
 * letters and digits, ideographic space, mathematical bold letters, ligatures, circled digits); Latin, Greek and
 * Cyrillic letters lose their accents and look-alikes become Latin; traditional Chinese characters become
 * simplified (機密 reads as 机密). Case is kept: keyword lists and markings fold it themselves, and an
 * administrator's pattern is case-sensitive unless it says (?i).
 */
export function readCharacter(codePoint: number): string | undefined {
  if (codePoint < 0x10000) {
    let reading = bmpReadings[codePoint];
    if (reading === undefined) {
      reading = computeReading(String.fromCharCode(codePoint)) ?? null;
      bmpReadings[codePoint] = reading;
    }
    return reading ?? undefined;
  }
  let reading = astralReadings.get(codePoint);
  if (reading === undefined) {
    reading = computeReading(String.fromCodePoint(codePoint)) ?? null;
    // Characters outside the BMP are rare in chat; the bound keeps a hostile stream of them from growing the cache.
    if (astralReadings.size < ASTRAL_CACHE_MAX) astralReadings.set(codePoint, reading);
  }
  return reading ?? undefined;
}

/** Whether a code unit reads as itself, so a text made only of such units needs no normalising at all. */
export function readsAsItself(code: number): boolean {
  if (code < 0x80) return true;
  if (code >= 0xd800 && code <= 0xdfff) return false;
  return readCharacter(code) === undefined;
}

/** null: computed, reads as itself. */
const bmpReadings: (string | null | undefined)[] = new Array(0x10000);
const astralReadings = new Map<number, string | null>();
const ASTRAL_CACHE_MAX = 20_000;

const INVISIBLE = /^[\p{Cf}\u034F\u115F\u1160\u180B-\u180D\u3164\uFE00-\uFE0F\uFFA0\u{E0100}-\u{E01EF}]$/u;
const COMBINING_DIACRITICS = /[\u0300-\u036F]/g;
const COMBINING_DIACRITIC = /^[\u0300-\u036F]$/;
const ALPHABETIC = /^[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}]$/u;
const HAN = /^\p{Script=Han}$/u;

function computeReading(character: string): string | undefined {
  if (INVISIBLE.test(character)) return '';
  let reading = '';
  for (const folded of character.normalize('NFKC')) reading += readFolded(folded);
  return reading === character ? undefined : reading;
}

function readFolded(character: string): string {
  if (ALPHABETIC.test(character)) {
    const bare = character.normalize('NFD').replace(COMBINING_DIACRITICS, '');
    let reading = '';
    for (const letter of bare) reading += LOOK_ALIKES.get(letter) ?? letter;
    return reading;
  }
  // A combining accent on its own (typed after a letter rather than composed with it) is dropped like the others.
  if (COMBINING_DIACRITIC.test(character)) return '';
  return HAN.test(character) ? (simplifiedOf().get(character) ?? character) : character;
}

let simplified: Map<string, string> | undefined;

/** OpenCC's traditional-to-simplified character table, kept where one character maps to one (about 3,000). */
function simplifiedOf(): Map<string, string> {
  if (!simplified) {
    simplified = new Map();
    for (const entry of TRADITIONAL_PAIRS.split('|')) {
      const [traditional, simple] = entry.split(' ');
      if (traditional?.length === 1 && simple?.length === 1) simplified.set(traditional, simple);
    }
  }
  return simplified;
}
