import type { Matcher, Span } from './detector';
import { codeUnitsNormalizingTo, isSeparator, isWordBoundary, normalizeExact, normalizeFolded } from './text-characters';

export interface Keyword {
  word: string;
  /** Matches only as a whole word (English), instead of anywhere (Chinese). */
  wholeWord: boolean;
}

/**
 * A keyword list compiled into a trie, so finding which keyword starts at a position costs one step per
 * matched character however long the list is: a combined regular expression of 2,000 words is slower by
 * orders of magnitude on V8. Matches are leftmost, then longest. Separators (whitespace, hyphens, dots, slashes,
 * underscores) are not part of a keyword and are skipped inside a match, so "top secret" also finds "top-secret",
 * "topsecret", "T O P  S E C R E T" and a phrase broken over two lines; a match never starts or ends on one.
 */
export class KeywordTrie implements Matcher {
  private readonly root: TrieNode;
  /**
   * The code units that may start any keyword, so most positions of a message are rejected by one read; bit
   * sets rather than a byte per code unit stay in cache across many rules.
   */
  private readonly startsKeyword = newCodeUnitSet();
  /** Those that may start a keyword matched anywhere: the others need a word boundary before them. */
  private readonly startsAnywhereKeyword = newCodeUnitSet();

  private readonly normalize: (code: number) => number;

  constructor(keywords: readonly Keyword[], caseSensitive: boolean) {
    this.normalize = caseSensitive ? normalizeExact : normalizeFolded;
    const byWord = new Map<string, Ending>();
    for (const { word, wholeWord } of keywords) {
      const normalized = this.normalizeWord(word);
      if (normalized.length > 0) byWord.set(normalized, wholeWord ? 'whole-word' : 'anywhere');
    }
    const sorted = [...byWord.keys()].sort();
    this.root = buildNode(sorted, byWord, 0);
    // The text is read as it comes, so the tables hold every code unit that normalizes to a first character.
    for (const word of sorted) {
      for (const code of codeUnitsNormalizingTo(this.normalize, word.charCodeAt(0))) {
        addCodeUnit(this.startsKeyword, code);
        if (byWord.get(word) === 'anywhere') addCodeUnit(this.startsAnywhereKeyword, code);
      }
    }
  }

  findSpans(text: string): Span[] {
    const spans: Span[] = [];
    let position = 0;
    while (position < text.length) {
      const code = text.charCodeAt(position);
      const mayStart =
        hasCodeUnit(this.startsKeyword, code) && (hasCodeUnit(this.startsAnywhereKeyword, code) || isWordBoundary(text, position));
      const end = mayStart ? this.longestMatchAt(text, position) : -1;
      if (end === -1) {
        position += 1;
      } else {
        spans.push([position, end]);
        position = end;
      }
    }
    return spans;
  }

  /** The end of the longest keyword that starts at `start`, or -1 when none does. */
  private longestMatchAt(text: string, start: number): number {
    const startsWord = isWordBoundary(text, start);
    let node = this.root;
    let position = start;
    let longest = -1;
    for (;;) {
      if (this.accepts(node.ending, text, startsWord, position)) longest = position;
      if (node.tail !== undefined) {
        const end = this.matchTail(text, position, node.tail);
        return end !== -1 && this.accepts(node.tailEnding, text, startsWord, end) ? end : longest;
      }
      position = skipSeparators(text, position);
      if (node.children === undefined || position >= text.length) return longest;
      const child = node.children.get(this.normalize(text.charCodeAt(position)));
      if (child === undefined) return longest;
      node = child;
      position += 1;
    }
  }

  private accepts(ending: Ending, text: string, startsWord: boolean, end: number): boolean {
    if (ending === 'none') return false;
    return ending === 'anywhere' || (startsWord && isWordBoundary(text, end));
  }

  private matchTail(text: string, start: number, tail: string): number {
    let position = start;
    for (let i = 0; i < tail.length; i += 1) {
      position = skipSeparators(text, position);
      if (position >= text.length || this.normalize(text.charCodeAt(position)) !== tail.charCodeAt(i)) return -1;
      position += 1;
    }
    return position;
  }

  /** The keyword as the trie stores it: normalized like the text, without separators. */
  private normalizeWord(word: string): string {
    let normalized = '';
    for (let i = 0; i < word.length; i += 1) {
      const code = word.charCodeAt(i);
      if (!isSeparator(code)) normalized += String.fromCharCode(this.normalize(code));
    }
    return normalized;
  }
}

/** Whether a keyword ends at a node, and if so whether it must also end a word. */
type Ending = 'none' | 'anywhere' | 'whole-word';

interface TrieNode {
  ending: Ending;
  children: Map<number, TrieNode> | undefined;
  /** The rest of the only keyword below this node, kept as a string so a long keyword is not a long chain of nodes. */
  tail: string | undefined;
  tailEnding: Ending;
}

/** Builds the node for `words` (sorted, distinct, all sharing their first `depth` characters). */
function buildNode(words: readonly string[], endings: ReadonlyMap<string, Ending>, depth: number): TrieNode {
  const ending = words[0]?.length === depth ? endings.get(words[0]!)! : 'none';
  const longer = ending === 'none' ? words : words.slice(1);
  if (longer.length === 0) return { ending, children: undefined, tail: undefined, tailEnding: 'none' };
  if (longer.length === 1) return { ending, children: undefined, tail: longer[0]!.slice(depth), tailEnding: endings.get(longer[0]!)! };
  const children = new Map<number, TrieNode>();
  let groupStart = 0;
  for (let i = 1; i <= longer.length; i += 1) {
    const code = longer[groupStart]!.charCodeAt(depth);
    if (i === longer.length || longer[i]!.charCodeAt(depth) !== code) {
      children.set(code, buildNode(longer.slice(groupStart, i), endings, depth + 1));
      groupStart = i;
    }
  }
  return { ending, children, tail: undefined, tailEnding: 'none' };
}

function newCodeUnitSet(): Uint32Array {
  return new Uint32Array(0x10000 / 32);
}

function addCodeUnit(set: Uint32Array, code: number): void {
  set[code >>> 5]! |= 1 << (code & 31);
}

function hasCodeUnit(set: Uint32Array, code: number): boolean {
  return (set[code >>> 5]! & (1 << (code & 31))) !== 0;
}

/** The position of the first character at or after `position` that is not a separator. */
function skipSeparators(text: string, position: number): number {
  let next = position;
  while (next < text.length && isSeparator(text.charCodeAt(next))) next += 1;
  return next;
}
