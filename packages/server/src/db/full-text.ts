import { PostgresAdapter, type Kysely } from 'kysely';

/**
 * The dialect side of full-text search. What arrives are terms: words segmented and folded (search/search-tokens.ts),
 * then hashed with the search key (search/search-terms.ts), lower-case base32 letters and digits only. Neither
 * database analyses text itself, and neither ever sees a plain word: SQLite's FTS5 table uses the `ascii`
 * tokenizer, which splits only at spaces and ASCII punctuation and folds only ASCII case (a no-op on terms), and
 * PostgreSQL gets a tsvector and tsquery written out literally (never `to_tsvector` of text), which no text-search
 * configuration touches. Both then match exactly the terms the hasher produced; a prefix query is the database's
 * own prefix match on a term's stem.
 */
export function usesPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** A query for FTS5 MATCH: phrases in double quotes, all required; the last one may be a prefix. */
export function fts5Query(phrases: readonly string[][], prefix: boolean): string {
  return phrases.map((words, index) => `"${words.join(' ')}"${prefix && index === phrases.length - 1 ? '*' : ''}`).join(' ');
}

/** The terms of a document as FTS5 stores them. */
export function fts5Document(words: readonly string[]): string {
  return words.join(' ');
}

/**
 * A tsquery literal: the words of a phrase next to each other (`<->`), phrases all required (`&`), the last word
 * a prefix (`:*`) when asked.
 */
export function tsQuery(phrases: readonly string[][], prefix: boolean): string {
  return phrases
    .map((words, index) => {
      const last = prefix && index === phrases.length - 1 ? words.length - 1 : -1;
      const parts = words.map((word, offset) => `${quoteLexeme(word)}${offset === last ? ':*' : ''}`);
      return parts.length > 1 ? `(${parts.join(' <-> ')})` : parts[0]!;
    })
    .join(' & ');
}

/** Positions beyond this are all stored as it; PostgreSQL keeps no larger ones. */
const MAX_TS_POSITION = 16_383;

/** A tsvector literal: each term with the positions it stands at (1-based), so phrases can be matched. */
export function tsVector(words: readonly string[]): string {
  const positions = new Map<string, number[]>();
  words.forEach((word, index) => {
    const list = positions.get(word) ?? [];
    // PostgreSQL keeps at most 256 positions per word and ignores the rest.
    if (list.length < 256) list.push(Math.min(index + 1, MAX_TS_POSITION));
    positions.set(word, list);
  });
  return [...positions].map(([word, list]) => `${quoteLexeme(word)}:${[...new Set(list)].join(',')}`).join(' ');
}

function quoteLexeme(word: string): string {
  return `'${word.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}
