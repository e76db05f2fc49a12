/**
 * Turns text into the words search indexes and matches, the same way for a message and for a query, so that what
 * one finds is exactly what the other stored. Chinese has no spaces, so text is split into words by
 * `Intl.Segmenter` ('zh', word granularity: 系统错误日志 → 系统 · 错误 · 日志); words are folded (NFKC, lower case),
 * so "Deploy", "DEPLOY" and full-width "ＤＥＰＬＯＹ" are one word. A word holds only letters, digits and marks:
 * "e-mail" is the two words e · mail, in both the index and a query.
 */

/** A word of a text and where it stands in the original (UTF-16 offsets, end exclusive). */
export interface Token {
  word: string;
  start: number;
  end: number;
}

/**
 * What a query asks for: every phrase must occur (AND). A phrase is what one whitespace-separated part of the
 * query segments into; words of one phrase must stand next to each other (上传 segments as 上 · 传). With
 * `prefix`, the query's last word also matches longer words (deplo → deploy, deployment; 服务 → 服务器).
 */
export interface SearchQuery {
  phrases: string[][];
  prefix: boolean;
}

/** Queries longer than this many phrases are refused; each phrase is one more index lookup. */
export const MAX_QUERY_PHRASES = 16;
/**
 * A Latin last word shorter than this is matched whole: a two-letter prefix says too little to be worth a search.
 * A Chinese character carries about as much as a short English word, so two of them already make a prefix.
 */
const MIN_LATIN_PREFIX_LENGTH = 3;
const MIN_HAN_PREFIX_LENGTH = 2;

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const WORD_RUN = /[\p{L}\p{N}\p{M}]+/gu;
const LATIN_OR_DIGITS = /^[\p{Script=Latin}\p{N}]+$/u;
const HAN = /^\p{Script=Han}+$/u;

/** The words of a text, in order, each with its place in the text. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const { piece, offset } of pieces(text)) {
    for (const segment of segmenter.segment(piece)) {
      if (!segment.isWordLike) continue;
      for (const run of segment.segment.matchAll(WORD_RUN)) {
        const start = offset + segment.index + run.index;
        const end = start + run[0].length;
        // Folding can split a run again (½ becomes 1⁄2); every part keeps the run's place.
        for (const word of fold(run[0]).match(WORD_RUN) ?? []) tokens.push({ word, start, end });
      }
    }
  }
  return tokens;
}

/**
 * V8's `Intl.Segmenter` spends time on every segment in proportion to the length of the whole string, so one
 * pass over 200,000 characters takes minutes where 1,000-character pieces of it take a tenth of a second. Long
 * text is therefore segmented in pieces of PIECE_MIN to PIECE_MAX characters, cut only where Unicode's word rules
 * (UAX #29) always break and the dictionary segmentation of Chinese never looks across: after a space, line
 * break or full stop, before a letter, digit or punctuation mark (never before a combining mark or format
 * character, which would belong to the space). The words are the same as from one pass; a run of more than
 * PIECE_MAX characters with no such place in it stays in one piece.
 */
function* pieces(text: string): Generator<{ piece: string; offset: number }> {
  let offset = 0;
  while (text.length - offset > PIECE_MAX) {
    const cut = cutAfter(text, offset + PIECE_MIN);
    if (cut === -1) break;
    yield { piece: text.slice(offset, cut), offset };
    offset = cut;
  }
  yield { piece: offset === 0 ? text : text.slice(offset), offset };
}

const PIECE_MIN = 1_000;
const PIECE_MAX = 2_000;
const ALWAYS_BREAKS_AFTER = /[\s。！？]/u;
const STARTS_A_SEGMENT = /[\p{Lu}\p{Ll}\p{Lo}\p{N}\p{P}]/u;

/** The first safe place to cut at or after `from`, or -1 when there is none. */
function cutAfter(text: string, from: number): number {
  for (let at = from; at < text.length; at++) {
    if (ALWAYS_BREAKS_AFTER.test(text[at - 1]!) && STARTS_A_SEGMENT.test(text[at]!)) return at;
  }
  return -1;
}

/** The words of a text as the index stores them: the words in order, repeats kept (phrases need positions). */
export function indexWords(text: string): string[] {
  // Nobody searches for a run of hundreds of letters, and PostgreSQL refuses lexemes over 2 kB.
  return tokenize(text)
    .map((token) => token.word)
    .filter((word) => word.length <= MAX_INDEXED_WORD_LENGTH);
}

const MAX_INDEXED_WORD_LENGTH = 100;

/** Reads a query; null when it holds no word at all (only punctuation or emoji). */
export function parseQuery(q: string): SearchQuery | null {
  const seen = new Set<string>();
  const phrases: string[][] = [];
  for (const part of q.split(/\s+/u)) {
    const words = indexWords(part);
    const key = words.join(' ');
    if (words.length === 0 || seen.has(key)) continue;
    seen.add(key);
    phrases.push(words);
  }
  if (phrases.length === 0) return null;
  const last = phrases.at(-1)!.at(-1)!;
  // A query typed up to its last word ("deplo") finds what it is becoming; one ending in a space means the word is whole.
  const prefix = !/\s$/u.test(q) && isPrefixable(last);
  return { phrases, prefix };
}

/**
 * Whether a word (or the start of one) may stand for the longer words it begins: Latin letters and digits from 3
 * characters, Chinese from 2. The index keeps a word's starts by this same rule (search-terms.ts), so a query's
 * prefix is found exactly where the index kept it.
 */
export function isPrefixable(word: string): boolean {
  if (LATIN_OR_DIGITS.test(word)) return word.length >= MIN_LATIN_PREFIX_LENGTH;
  return HAN.test(word) && [...word].length >= MIN_HAN_PREFIX_LENGTH;
}

/**
 * Where a query's phrases occur in a text, as sorted, non-overlapping [start, end) ranges of UTF-16 offsets into
 * it: what a client marks, slicing the text itself (no markup is ever produced here).
 */
export function highlightRanges(text: string, query: SearchQuery): [number, number][] {
  const tokens = tokenize(text);
  const ranges: [number, number][] = [];
  query.phrases.forEach((phrase, index) => {
    const prefixWord = query.prefix && index === query.phrases.length - 1 ? phrase.length - 1 : -1;
    for (let at = 0; at + phrase.length <= tokens.length; at++) {
      const matches = phrase.every((word, offset) => {
        const token = tokens[at + offset]!.word;
        return offset === prefixWord ? token.startsWith(word) : token === word;
      });
      if (matches) ranges.push([tokens[at]!.start, tokens[at + phrase.length - 1]!.end]);
    }
  });
  return mergeRanges(ranges);
}

function fold(run: string): string {
  return run.normalize('NFKC').toLowerCase();
}

function mergeRanges(ranges: [number, number][]): [number, number][] {
  const merged: [number, number][] = [];
  for (const [start, end] of ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1])) {
    const last = merged.at(-1);
    if (last && start < last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}
