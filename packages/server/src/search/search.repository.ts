import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool, type Transaction } from 'kysely';
import { fts5Document, fts5Query, tsQuery, tsVector, usesPostgres } from '../db/full-text';
import type { Database, MessageRow } from '../db/schema';
import { messageReadableBy } from '../messages/messages.access';
import { isIndexTerm, type HashedQuery, type IndexTerm } from './search-terms';

/** One message's entry in the index: its position and its terms (hashed words) in order. */
export interface SearchDocument {
  position: number;
  terms: readonly IndexTerm[];
}

export interface SearchFilter {
  userId: string;
  query: HashedQuery;
  roomId?: string | undefined;
  senderId?: string | undefined;
  label?: string | undefined;
  /** Only messages that carry files (true) or carry none (false). */
  hasFile?: boolean | undefined;
  /** Epoch milliseconds: sent at or after `from`, before `until`. */
  from?: number | undefined;
  until?: number | undefined;
  /** The cursor: only positions below this one. */
  belowPosition?: number | undefined;
  limit: number;
}

/**
 * The only code that reads or writes the index tables (`search_fts` on SQLite, `search_documents` on PostgreSQL).
 * With the token hasher (search-terms.ts) it is the only door to the index: it stores terms, never words, and
 * checks each term's form before writing it, so a slip that handed it plain words fails instead of storing them.
 * `ifAbsent` (PostgreSQL) skips a message another node indexed meanwhile; SQLite has one server, which finishes
 * indexing before it listens.
 */
export async function insertDocuments(trx: Transaction<Database>, documents: readonly SearchDocument[], options: { ifAbsent?: boolean } = {}): Promise<void> {
  const filled = documents.filter((document) => document.terms.length > 0);
  if (filled.length === 0) return;
  for (const document of filled) {
    if (!document.terms.every(isIndexTerm)) throw new Error(`the search document of position ${document.position} holds something that is not a hashed term`);
  }
  if (usesPostgres(trx)) {
    const query = trx.insertInto('search_documents').values(filled.map((document) => ({ position: document.position, words: sql<string>`${tsVector(document.terms)}::tsvector` })));
    await (options.ifAbsent ? query.onConflict((oc) => oc.column('position').doNothing()) : query).execute();
  } else {
    await trx
      .insertInto('search_fts')
      .values(filled.map((document) => ({ rowid: document.position, words: fts5Document(document.terms) })))
      .execute();
  }
}

export async function deleteDocuments(trx: Transaction<Database>, positions: readonly number[]): Promise<void> {
  if (positions.length === 0) return;
  if (usesPostgres(trx)) await trx.deleteFrom('search_documents').where('position', 'in', positions).execute();
  else await trx.deleteFrom('search_fts').where('rowid', 'in', positions).execute();
}

/** Removes every document of a room; runs before the room's messages are erased, in the same transaction. */
export async function deleteRoomDocuments(trx: Transaction<Database>, roomId: string): Promise<void> {
  const inRoom = trx.selectFrom('messages').select('position').where('room_id', '=', roomId);
  if (usesPostgres(trx)) await trx.deleteFrom('search_documents').where('position', 'in', inRoom).execute();
  else await trx.deleteFrom('search_fts').where('rowid', 'in', inRoom).execute();
}

/**
 * Messages matching the query in rooms the user is a member of now, newest first: the index yields positions in
 * descending order and the membership join drops the rest, so a page stops as soon as it is full.
 */
export async function searchMessages(db: Kysely<Database>, filter: SearchFilter): Promise<MessageRow[]> {
  const { phrases, prefix } = filter.query;
  const below = filter.belowPosition ?? Number.MAX_SAFE_INTEGER;
  const visible = (eb: ExpressionBuilder<Database, 'messages'>) => {
    const conditions: Expression<SqlBool>[] = [
      // The index holds no deleted or recalled message; saying so here keeps a slip elsewhere from leaking one.
      eb('messages.deleted_at', 'is', null),
      eb('messages.recalled_at', 'is', null),
      // Not hidden, and labelled within the searcher's clearance, whatever the room's ceiling says now.
      messageReadableBy(filter.userId),
    ];
    if (filter.roomId !== undefined) conditions.push(eb('messages.room_id', '=', filter.roomId));
    if (filter.senderId !== undefined) conditions.push(eb('messages.sender_id', '=', filter.senderId));
    if (filter.label !== undefined) conditions.push(eb('messages.label', '=', filter.label));
    if (filter.from !== undefined) conditions.push(eb('messages.created_at', '>=', filter.from));
    if (filter.until !== undefined) conditions.push(eb('messages.created_at', '<', filter.until));
    if (filter.hasFile !== undefined) {
      const carriesFiles = eb.exists(eb.selectFrom('message_files').select('message_files.file_id').whereRef('message_files.message_id', '=', 'messages.id'));
      conditions.push(filter.hasFile ? carriesFiles : eb.not(carriesFiles));
    }
    return eb.and(conditions);
  };
  if (usesPostgres(db)) {
    return db
      .selectFrom('search_documents')
      .innerJoin('messages', 'messages.position', 'search_documents.position')
      .innerJoin('room_members', (join) => join.onRef('room_members.room_id', '=', 'messages.room_id').on('room_members.user_id', '=', filter.userId))
      .selectAll('messages')
      .where(sql<boolean>`search_documents.words @@ ${tsQuery(phrases, prefix)}::tsquery`)
      .where('search_documents.position', '<', below)
      .where(visible)
      .orderBy('search_documents.position', 'desc')
      .limit(filter.limit + 1)
      .execute();
  }
  // CROSS JOIN is SQLite's way of fixing the join order: the index must drive, yielding positions newest first.
  // Left to itself the planner starts from the searcher's rooms and runs one MATCH per message in them.
  return db
    .selectFrom('search_fts')
    .crossJoin('messages')
    .crossJoin('room_members')
    .whereRef('messages.position', '=', 'search_fts.rowid')
    .whereRef('room_members.room_id', '=', 'messages.room_id')
    .where('room_members.user_id', '=', filter.userId)
    .selectAll('messages')
    .where(sql<boolean>`search_fts match ${fts5Query(phrases, prefix)}`)
    .where('search_fts.rowid', '<', below)
    .where(visible)
    .orderBy('search_fts.rowid', 'desc')
    .limit(filter.limit + 1)
    .execute();
}

/** Below which position messages still wait to be indexed (0 when none do). */
export async function backfillMark(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('search_backfill').select('below_position').executeTakeFirst();
  return Number(row?.below_position ?? 0);
}

/** The next messages to index, newest first below the mark, read under the mark's row lock. */
export async function takeBackfillPage(trx: Transaction<Database>, limit: number): Promise<Pick<MessageRow, 'id' | 'room_id' | 'position' | 'body' | 'deleted_at' | 'recalled_at'>[]> {
  await trx.updateTable('search_backfill').set((eb) => ({ below_position: eb.ref('below_position') })).execute();
  const below = await backfillMark(trx);
  return trx
    .selectFrom('messages')
    .select(['id', 'room_id', 'position', 'body', 'deleted_at', 'recalled_at'])
    .where('position', '<', below)
    .orderBy('position', 'desc')
    .limit(limit)
    .execute();
}

export async function setBackfillMark(trx: Transaction<Database>, below: number): Promise<void> {
  await trx.updateTable('search_backfill').set({ below_position: below }).execute();
}

/** The parts of a records query every compliance search narrows by; empty lists mean any. */
export interface RecordsNarrowing {
  senderIds: readonly string[];
  roomIds: readonly string[];
  label?: string | undefined;
  hasFile?: boolean | undefined;
  from?: number | undefined;
  until?: number | undefined;
  limit: number;
}

/** What compliance search asks of people's index: any room, any reader, messages neither deleted nor recalled. */
export interface EveryRoomFilter extends RecordsNarrowing {
  query: HashedQuery;
  /** Only messages sent before this time, or at it with a position below `atPositionBelow`. */
  before?: { at: number; atPositionBelow: number; positionBelow: number } | undefined;
}

/**
 * Messages matching the query in every room, newest first, for compliance search (records/): no membership and no
 * clearance narrows them, which is why only that feature, behind its compliance-only endpoints, calls this. The
 * index drives as in `searchMessages`; `before.positionBelow` lets a later page start where the last one ended.
 */
export async function searchEveryRoom(db: Kysely<Database>, filter: EveryRoomFilter): Promise<MessageRow[]> {
  const { phrases, prefix } = filter.query;
  const matching = (eb: ExpressionBuilder<Database, 'messages'>) => {
    const conditions: Expression<SqlBool>[] = [eb('messages.deleted_at', 'is', null), eb('messages.recalled_at', 'is', null)];
    if (filter.senderIds.length > 0) conditions.push(eb('messages.sender_id', 'in', filter.senderIds));
    if (filter.roomIds.length > 0) conditions.push(eb('messages.room_id', 'in', filter.roomIds));
    if (filter.label !== undefined) conditions.push(eb('messages.label', '=', filter.label));
    if (filter.from !== undefined) conditions.push(eb('messages.created_at', '>=', filter.from));
    if (filter.until !== undefined) conditions.push(eb('messages.created_at', '<', filter.until));
    if (filter.hasFile !== undefined) {
      const carriesFiles = eb.exists(eb.selectFrom('message_files').select('message_files.file_id').whereRef('message_files.message_id', '=', 'messages.id'));
      conditions.push(filter.hasFile ? carriesFiles : eb.not(carriesFiles));
    }
    if (filter.before !== undefined) {
      const { at, atPositionBelow } = filter.before;
      conditions.push(eb.or([eb('messages.created_at', '<', at), eb.and([eb('messages.created_at', '=', at), eb('messages.position', '<', atPositionBelow)])]));
    }
    return eb.and(conditions);
  };
  const below = filter.before?.positionBelow ?? Number.MAX_SAFE_INTEGER;
  if (usesPostgres(db)) {
    return db
      .selectFrom('search_documents')
      .innerJoin('messages', 'messages.position', 'search_documents.position')
      .selectAll('messages')
      .where(sql<boolean>`search_documents.words @@ ${tsQuery(phrases, prefix)}::tsquery`)
      .where('search_documents.position', '<', below)
      .where(matching)
      .orderBy('search_documents.position', 'desc')
      .limit(filter.limit)
      .execute();
  }
  return db
    .selectFrom('search_fts')
    .crossJoin('messages')
    .whereRef('messages.position', '=', 'search_fts.rowid')
    .selectAll('messages')
    .where(sql<boolean>`search_fts match ${fts5Query(phrases, prefix)}`)
    .where('search_fts.rowid', '<', below)
    .where(matching)
    .orderBy('search_fts.rowid', 'desc')
    .limit(filter.limit)
    .execute();
}
