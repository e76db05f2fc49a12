/**
 * Character classes the keyword matcher asks about for every code unit of every scanned message. Each answer
 * is worked out with Unicode-aware string functions the first time a code unit is seen and then read from a
 * table, so a scan costs an array read per character.
 */

/** Every code unit as it is: for case-sensitive keywords. (Whitespace and other separators are skipped, not read.) */
export const normalizeExact = (code: number): number => code;

/**
 * Letters in lower case. A code unit whose lower-case form is longer (as for "İ") stays as it is: keywords and
 * text go through this same function, so their indices always line up.
 */
export const normalizeFolded = memoizeByCodeUnit((character) => {
  const lower = character.toLowerCase();
  return lower.length === 1 ? lower.charCodeAt(0) : character.charCodeAt(0);
});

/**
 * Every code unit that `normalize` turns into `code` (for the folded form of "k": "k", "K" and the Kelvin sign),
 * so a table can hold all the code units that may start a keyword without trying each of the 65,536. The inverse
 * is worked out once per process and per normalizer, in one pass.
 */
export function codeUnitsNormalizingTo(normalize: (code: number) => number, code: number): readonly number[] {
  let inverse = inverses.get(normalize);
  if (!inverse) {
    inverse = new Map();
    for (let unit = 0; unit < 0x10000; unit += 1) {
      const normalized = normalize(unit);
      if (normalized === unit) continue;
      const units = inverse.get(normalized);
      if (units) units.push(unit);
      else inverse.set(normalized, [unit]);
    }
    inverses.set(normalize, inverse);
  }
  const others = inverse.get(code) ?? [];
  return normalize(code) === code ? [code, ...others] : others;
}

/** Code units each normalizer changes, by what it changes them into; the ones it keeps are not listed. */
const inverses = new Map<(code: number) => number, Map<number, number[]>>();

/** Whitespace, and the punctuation people put between the letters of a word to break it up: - _ . / \\ | · • * ~ */
export function isSeparator(code: number): boolean {
  return isSeparatorCode(code) === 1;
}

/** True unless the position falls between two word characters (Latin letters or digits), inside an English word. */
export function isWordBoundary(text: string, position: number): boolean {
  if (position === 0 || position === text.length) return true;
  return isWordCharacter(text.charCodeAt(position - 1)) === 0 || isWordCharacter(text.charCodeAt(position)) === 0;
}

export function containsCjk(word: string): boolean {
  return CJK.test(word);
}

const SEPARATOR = /^[\s\-_./\\|\u00B7\u2022*~\u2010-\u2015\u2212\u30FB]$/;
const WORD_CHARACTER = /[\p{Script=Latin}\p{Nd}]/u;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

const isSeparatorCode = memoizeByCodeUnit((character) => (SEPARATOR.test(character) ? 1 : 0));

/** 1 for a character that continues an English word, 0 otherwise. */
const isWordCharacter = memoizeByCodeUnit((character) => (WORD_CHARACTER.test(character) ? 1 : 0));

function memoizeByCodeUnit(compute: (character: string) => number): (code: number) => number {
  const answers = new Int32Array(0x10000).fill(-1);
  return (code) => {
    let answer = answers[code]!;
    if (answer === -1) {
      answer = compute(String.fromCharCode(code));
      answers[code] = answer;
    }
    return answer;
  };
}
