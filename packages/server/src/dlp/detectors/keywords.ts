import { normaliseText } from '../normalise/normalise-text';
import type { Matcher } from './detector';
import { KeywordTrie } from './keyword-trie';
import { containsCjk } from './text-characters';

/**
 * A keyword list as one matcher. Each word is normalised as the text is (a traditional or full-width keyword
 * finds its simplified or half-width form). English words (no CJK character) match whole words only, so "secret"
 * does not find "secretary"; Chinese, Japanese and Korean words match anywhere, since those scripts put no spaces
 * between words. At each position the longest keyword wins, so "Project X" is found whole beside "Project".
 */
export function compileKeywords(words: readonly string[], options: { caseSensitive: boolean }): Matcher {
  return new KeywordTrie(
    words.map((word) => {
      const normalised = normaliseText(word).text;
      return { word: normalised, wholeWord: !containsCjk(normalised) };
    }),
    options.caseSensitive,
  );
}
