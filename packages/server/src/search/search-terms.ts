import { createHmac } from 'node:crypto';
import { isPrefixable, type SearchQuery } from './search-tokens';

/**
 * The token hasher: the only code that turns a word into what the search index stores and matches. Together with
 * `search.repository.ts`, which writes and reads the index tables and accepts nothing but these terms, it is the
 * only door to the index, so no plain word ever reaches the database (nor a database tokenizer: both dialects get
 * the terms written out, see db/full-text.ts).
 *
 * A term is keyed by the installation's `search` data key (HMAC-SHA256), which the master key wraps: rotating the
 * master key leaves the index as it is. A term is the word's *stem*, then `9`, then 13 base32 characters of the
 * word's own hash (65 bits, so two words practically never share a term). The stem holds 4 base32 characters
 * (20 bits) for each start of the word that may stand for it as a prefix (`isPrefixable`: from 3 Latin letters or
 * digits, from 2 Chinese characters), each the hash of that start alone, up to MAX_STEM_LENGTH characters:
 *
 *   deployment → h("dep") h("depl") h("deplo") h("deploy") … h("deployment") 9 H("deployment")
 *
 * so the terms of all words beginning with "deplo" begin with the same characters, h("dep") h("depl") h("deplo"),
 * and a prefix query is the database's own prefix match on those (FTS5 `"…"*`, tsquery `:*`): one term per word
 * in the index, phrases and positions exactly as with plain words, no extra rows. The stem's characters never
 * include `9`, so a stem never runs on into another word's hash. What a term costs: about 4 characters per letter
 * of a word, against one before (a 6-letter English word: 30 characters; a 2-character Chinese word: 18).
 *
 * What the database still shows to someone without the key: how often each (unknown) term occurs and in which
 * messages, a word's length (up to the stem's cap), and which words begin alike (they share stem characters). So
 * does any searchable index of hashed words; guessing common words from their frequency needs a comparable corpus.
 *
 * A word differing from a prefix only after MAX_STEM_LENGTH characters also matches that prefix (the stem stops
 * there); a start whose 20 bits collide with another's (one in a million for each word that differs from the
 * prefix only in its last character) would too.
 */
export class SearchTermHasher {
  private readonly cache = new Map<string, IndexTerm>();

  constructor(private readonly key: Buffer) {}

  /** The terms of a document's words, in order (phrases need positions). */
  documentTerms(words: readonly string[]): IndexTerm[] {
    return words.map((word) => this.term(word));
  }

  /** A parsed query with its words as terms, and its last word as a stem when it is a prefix. */
  query(query: SearchQuery): HashedQuery {
    const lastPhrase = query.phrases.length - 1;
    return {
      phrases: query.phrases.map((words, index) =>
        words.map((word, offset) => (query.prefix && index === lastPhrase && offset === words.length - 1 ? (this.stem(word) as IndexTerm) : this.term(word))),
      ),
      prefix: query.prefix,
    };
  }

  /** A word's term. Chat repeats its words, so terms are remembered (in memory only) and most cost a lookup. */
  term(word: string): IndexTerm {
    let term = this.cache.get(word);
    if (term === undefined) {
      term = `${this.stem(word)}${SEPARATOR}${base32(this.hash(WORD, word), WORD_CHARS)}` as IndexTerm;
      if (this.cache.size >= CACHED_TERMS) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(word, term);
    }
    return term;
  }

  private stem(word: string): string {
    let stem = '';
    let start = '';
    let length = 0;
    for (const character of word) {
      if (++length > MAX_STEM_LENGTH) break;
      start += character;
      if (isPrefixable(start)) stem += base32(this.hash(START, start), STEP_CHARS);
    }
    return stem;
  }

  private hash(domain: string, text: string): Buffer {
    return createHmac('sha256', this.key).update(domain).update(text).digest();
  }
}

declare const hashed: unique symbol;
/** A word as the index holds it; only SearchTermHasher makes one. */
export type IndexTerm = string & { readonly [hashed]: true };

/** A query as the index is asked it: phrases of terms, the last one a stem when `prefix`. */
export interface HashedQuery {
  phrases: IndexTerm[][];
  prefix: boolean;
}

/** Whether a string has the form of a term: what the repository checks before it writes one. */
export function isIndexTerm(term: string): term is IndexTerm {
  return TERM.test(term);
}

/**
 * The hasher of this search key. Kept per thread and key (the CPU work pool's threads hash long documents with
 * their own), so each keeps its cache; a process holds one key per server it runs, tests several.
 */
export function searchTermHasher(key: Uint8Array): SearchTermHasher {
  const id = Buffer.from(key).toString('base64');
  let hasher = hashers.get(id);
  if (!hasher) {
    hasher = new SearchTermHasher(Buffer.from(key));
    hashers.set(id, hasher);
    if (hashers.size > KEPT_HASHERS) hashers.delete(hashers.keys().next().value!);
  }
  return hasher;
}

/** Characters of a start's hash in a stem: 20 bits. */
const STEP_CHARS = 4;
/** Characters of a word's own hash: 65 bits. */
const WORD_CHARS = 13;
/** Starts of a word kept in its stem, in characters: a longer prefix is matched by its first this many. */
export const MAX_STEM_LENGTH = 32;
/** Not a base32 character, so it ends a stem unambiguously. */
const SEPARATOR = '9';
const TERM = /^[a-z2-7]*9[a-z2-7]{13}$/;
/** Domain separation: a word's own hash never equals the hash of the same letters as a start. */
const WORD = 'w\u0000';
const START = 's\u0000';
/**
 * Words remembered per thread and key, about 3 MB: more than a chat's vocabulary uses day to day. A remembered
 * word costs a lookup (4 µs for a 21-word message on the busy 2-core VM) where hashing it anew costs 5 to 20 µs
 * per start and word (1.6 ms for the same message with nothing remembered).
 */
const CACHED_TERMS = 20_000;
const KEPT_HASHERS = 4;
const hashers = new Map<string, SearchTermHasher>();
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** The first `chars` × 5 bits of `bytes` in lower-case base32 (RFC 4648's alphabet), which FTS5 and tsvector take as one word. */
function base32(bytes: Buffer, chars: number): string {
  let out = '';
  for (let index = 0; index < chars; index++) {
    const bit = index * 5;
    const byte = bit >> 3;
    const pair = (bytes[byte]! << 8) | (bytes[byte + 1] ?? 0);
    out += ALPHABET[(pair >> (11 - (bit & 7))) & 31];
  }
  return out;
}
