import type { Matcher, Span } from './detector';
import { KeywordTrie } from './keyword-trie';
import { isSeparator } from './text-characters';

/**
 * Classification markings, read from normalised text (so 機密, 絕密, full-width and look-alike letters, zero-width
 * characters and soft hyphens are already undone). The keyword matcher skips separators inside a marking, so
 * "机 密", "top-secret", "TopSecret" and "S E C R E T" are found. Then each hit must read as a marking:
 * - Chinese ones as words of their own, not across a word boundary: 请重置手机密码 (手机 / 密码) and
 *   这台飞机密封性很好 (飞机 / 密封) hold no 机密. The surrounding sentence is cut into words by ICU's Chinese
 *   segmenter, only around a hit, so the cost is paid only where a marking's two characters appear.
 * - "top secret" and the pinyin jue mi / ji mi in any case, as whole words.
 * - "secret" and "confidential" as whole words when written as a marking: in capitals, in odd mixed case
 *   (sEcReT), spelt out with separators (s.e.c.r.e.t), or in brackets or before a colon ([Secret], 【confidential】,
 *   "Confidential:"). Lower case or capitalised in running prose ("keep it secret", "Secret Santa",
 *   "confidential information") is ordinary English, not a marking; "secretary" and "confidentiality" never are.
 *   The pinyin mi mi (秘密) is left out: Mimi is a common name.
 */
export function markingMatcher(level: MarkingLevel | 'any'): Matcher {
  const words = Object.entries(MARKINGS).flatMap(([marking, at]) => (level === 'any' || at === level ? [marking] : []));
  const trie = new KeywordTrie(
    words.map((word) => ({ word, wholeWord: !/\p{Script=Han}/u.test(word) })),
    false,
  );
  return {
    findSpans: (text) => trie.findSpans(text).filter((span) => readsAsMarking(text, span)),
  };
}

export type MarkingLevel = 'secret' | 'confidential';

/** Each marking and the level it marks; the keyword matcher drops the spaces, so "jue mi" also finds "juemi". */
const MARKINGS: Readonly<Record<string, MarkingLevel>> = {
  绝密: 'secret',
  'top secret': 'secret',
  secret: 'secret',
  'jue mi': 'secret',
  机密: 'confidential',
  秘密: 'confidential',
  confidential: 'confidential',
  'ji mi': 'confidential',
};

const SEGMENTER = new Intl.Segmenter('zh', { granularity: 'word' });
/** Characters of context either side of a Chinese hit that the segmenter sees: enough for the words touching it. */
const CONTEXT = 6;
const OPENING = new Set([...'[(<{【（《〈「『〔［']);
const CLOSING = new Set([...'])>}】）》〉」』〕］:：']);

function readsAsMarking(text: string, span: Span): boolean {
  const letters = lettersOf(text, span);
  const folded = letters.toLowerCase();
  if (folded === 'secret' || folded === 'confidential') return writtenAsMarking(text, span, letters);
  if (/\p{Script=Han}/u.test(letters)) return standsAsWord(text, span);
  return true;
}

/** The hit without the separators skipped inside it. */
function lettersOf(text: string, [start, end]: Span): string {
  let letters = '';
  for (let i = start; i < end; i += 1) if (!isSeparator(text.charCodeAt(i))) letters += text[i];
  return letters;
}

function writtenAsMarking(text: string, span: Span, letters: string): boolean {
  if (letters === letters.toUpperCase() || letters.length !== span[1] - span[0]) return true;
  const capitalised = letters[0]! + letters.slice(1).toLowerCase();
  if (letters !== letters.toLowerCase() && letters !== capitalised) return true;
  return OPENING.has(neighbour(text, span[0], -1)) || CLOSING.has(neighbour(text, span[1], 1));
}

/** The nearest character before (step -1) or from (step 1) a position that is not whitespace, or ''. */
function neighbour(text: string, position: number, step: 1 | -1): string {
  let i = step === 1 ? position : position - 1;
  while (i >= 0 && i < text.length && /\s/.test(text[i]!)) i += step;
  return text[i] ?? '';
}

/** Whether the segmenter puts word boundaries where the hit starts and ends, with separators taken out first. */
function standsAsWord(text: string, [start, end]: Span): boolean {
  const before = lettersOf(text, [Math.max(0, start - CONTEXT), start]);
  const hit = lettersOf(text, [start, end]);
  const after = lettersOf(text, [end, Math.min(text.length, end + CONTEXT)]);
  const boundaries = new Set<number>();
  for (const segment of SEGMENTER.segment(before + hit + after)) boundaries.add(segment.index);
  boundaries.add(before.length + hit.length + after.length);
  return boundaries.has(before.length) && boundaries.has(before.length + hit.length);
}
