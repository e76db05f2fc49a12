import type { SearchRequest, SearchResult } from '@enclave/protocol';
import type { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor';
import type { Database } from '../db/schema';
import { AppError } from '../http/app-error';
import type { Keyring } from '../keys/keyring';
import { hydrateMessages } from '../messages/message-hydrate';
import { searchTerms } from './search-index';
import { highlightRanges, MAX_QUERY_PHRASES, parseQuery } from './search-tokens';
import { searchMessages } from './search.repository';

/** A search as the protocol's `SearchRequest` parses it. */
export type SearchInput = z.output<typeof SearchRequest>;

/**
 * Full-text search. Who may see what is decided inside the query: only rooms the searcher is a member of now, only
 * messages that are neither deleted nor recalled (the index never holds those, nor anything of a deleted room).
 * Results come newest first, the order a chat is read in, which also lets a page stop at its last row instead of
 * ranking every match; relevance is left to the words being required. The index holds hashed words only, so the
 * query's words are hashed with the same key before they are asked for; highlights are found in the opened text.
 */
export class SearchService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly keys: Keyring,
  ) {}

  async search(actor: Actor, input: SearchInput): Promise<{ results: SearchResult[]; nextCursor: string | null }> {
    const query = parseQuery(input.q);
    if (!query) throw invalid('q', 'no words to search for');
    if (query.phrases.length > MAX_QUERY_PHRASES) throw invalid('q', `at most ${MAX_QUERY_PHRASES} words`);
    const belowPosition = input.cursor === undefined ? undefined : decodeCursor(input.cursor);
    const rows = await searchMessages(this.db, {
      userId: actor.userId,
      query: searchTerms(this.keys).query(query),
      roomId: input.roomId,
      senderId: input.from,
      label: input.label,
      hasFile: input.hasFile,
      from: input.after === undefined ? undefined : Date.parse(input.after),
      until: input.before === undefined ? undefined : Date.parse(input.before),
      belowPosition,
      limit: input.limit,
    });
    const page = rows.slice(0, input.limit);
    const messages = await hydrateMessages(this.db, this.keys, page);
    const last = page.at(-1);
    return {
      results: messages.map((message) => ({ message, highlights: highlightRanges(message.text, query) })),
      nextCursor: rows.length > input.limit && last ? encodeCursor(Number(last.position)) : null,
    };
  }
}

function invalid(path: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', { issues: [{ path, message }] });
}

function encodeCursor(position: number): string {
  return Buffer.from(JSON.stringify({ below: position })).toString('base64url');
}

function decodeCursor(cursor: string): number {
  try {
    const { below } = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as { below?: unknown };
    if (typeof below === 'number' && Number.isSafeInteger(below) && below > 0) return below;
  } catch {
    // Falls through to the validation error below.
  }
  throw invalid('cursor', 'not a cursor from this API');
}
