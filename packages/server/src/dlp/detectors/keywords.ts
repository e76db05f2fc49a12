import type { Detector } from './detector';
import { KeywordTrie } from './keyword-trie';
import { containsCjk } from './text-characters';

/**
 * A keyword list as one detector. English words (no CJK character) match whole words only, so "secret" does
 * not find "secretary"; Chinese, Japanese and Korean words match anywhere, since those scripts put no spaces
 * between words. At each position the longest keyword wins, so "Project X" is found whole beside "Project".
 */
export function compileKeywords(words: readonly string[], options: { caseSensitive: boolean }): Detector {
  return new KeywordTrie(
    words.map((word) => ({ word, wholeWord: !containsCjk(word) })),
    options.caseSensitive,
  );
}
