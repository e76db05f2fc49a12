import { sql, type Expression, type Insertable, type Kysely, type SqlBool, type Transaction } from 'kysely';
import { fts5Document, fts5Query, tsQuery, tsVector, usesPostgres } from '../db/full-text';
import type { Database, HeldMessagesTable, MessageRow, RecordsTable } from '../db/schema';
import { isIndexTerm, type HashedQuery, type IndexTerm, type RecordsNarrowing } from '../search/search.access';

/**
 * The queries of compliance search: the records index (`records`, `records_fts` / `records_documents`), which only
 * this feature reads or writes, and the stored messages, versions and held items it is built from and opens. The
 * index takes hashed terms only and checks their form before writing, as people's index does.
 */

export type RecordRow = Awaited<ReturnType<typeof recordRows>>[number];
export type HeldRecordRow = Pick<HeldMessagesTable, 'id' | 'room_id' | 'sender_id' | 'body' | 'label' | 'details' | 'held_at' | 'status' | 'kind'>;

/** What records and current messages are filtered by; every part narrows, empty lists mean any. */
export interface RecordsFilter extends RecordsNarrowing {
  query: HashedQuery | undefined;
  /** Only what sorts after this (at, rank) in newest-first order. */
  before?: { at: number; rank: number } | undefined;
}

/** Earlier texts of edited messages not indexed yet, with their message's place and filters. */
export async function pendingVersions(db: Kysely<Database>, limit: number) {
  return db
    .selectFrom('message_versions')
    .innerJoin('messages', 'messages.id', 'message_versions.message_id')
    .select(['message_versions.message_id', 'message_versions.version', 'message_versions.body', 'messages.room_id', 'messages.sender_id', 'messages.created_at', 'messages.position', 'messages.label'])
    .select(HAS_FILES.as('has_file'))
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('records').select('records.id').whereRef('records.message_id', '=', 'message_versions.message_id').whereRef('records.version', '=', 'message_versions.version'))),
    )
    .limit(limit)
    .execute();
}

/** Deleted and recalled messages not indexed yet (their text stays in storage). */
export async function pendingRemoved(db: Kysely<Database>, limit: number) {
  return db
    .selectFrom('messages')
    .select(['messages.id', 'messages.body', 'messages.room_id', 'messages.sender_id', 'messages.created_at', 'messages.position', 'messages.label', 'messages.recalled_at'])
    .select(HAS_FILES.as('has_file'))
    // Written as the partial index `messages_removed` is, so both databases use it instead of scanning every message.
    .where((eb) => eb.or([eb('messages.deleted_at', 'is not', null), eb('messages.recalled_at', 'is not', null)]))
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('records').select('records.id').whereRef('records.message_id', '=', 'messages.id').where('records.kind', 'in', ['deleted', 'recalled']))),
    )
    .limit(limit)
    .execute();
}

/** Items DLP held (any status) not indexed yet. */
export async function pendingHeld(db: Kysely<Database>, limit: number): Promise<HeldRecordRow[]> {
  return db
    .selectFrom('held_messages')
    .select(['id', 'room_id', 'sender_id', 'body', 'label', 'details', 'held_at', 'status', 'kind'])
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('records').select('records.id').whereRef('records.held_id', '=', 'held_messages.id'))))
    .limit(limit)
    .execute();
}

/**
 * Indexes one text: its row, then its terms under the row's id. A text another search indexed meanwhile is left
 * as it is (`source` is unique). A held item's rank is its row's id, negated, as records-order.ts describes.
 */
export async function insertRecord(trx: Transaction<Database>, row: Insertable<RecordsTable>, terms: readonly IndexTerm[]): Promise<void> {
  if (!terms.every(isIndexTerm)) throw new Error(`the records document of ${row.source} holds something that is not a hashed term`);
  const inserted = await trx.insertInto('records').values(row).onConflict((oc) => oc.column('source').doNothing()).returning('id').executeTakeFirst();
  if (!inserted) return;
  const id = Number(inserted.id);
  if (row.kind === 'held') await trx.updateTable('records').set({ rank: -id }).where('id', '=', id).execute();
  if (terms.length === 0) return;
  if (usesPostgres(trx)) await trx.insertInto('records_documents').values({ record_id: id, words: sql<string>`${tsVector(terms)}::tsvector` }).execute();
  else await trx.insertInto('records_fts').values({ rowid: id, words: fts5Document(terms) }).execute();
}

/** Removes a room's records and their terms; runs in the transaction that erases the room. */
export async function deleteRoomRecords(trx: Transaction<Database>, roomId: string): Promise<void> {
  const inRoom = trx.selectFrom('records').select('id').where('room_id', '=', roomId);
  if (usesPostgres(trx)) await trx.deleteFrom('records_documents').where('record_id', 'in', inRoom).execute();
  else await trx.deleteFrom('records_fts').where('rowid', 'in', inRoom).execute();
  await trx.deleteFrom('records').where('room_id', '=', roomId).execute();
}

/** Removes the records of these messages and their terms; runs in the transaction that erases the messages. */
export async function deleteMessageRecords(trx: Transaction<Database>, messageIds: readonly string[]): Promise<void> {
  if (messageIds.length === 0) return;
  const ofMessages = trx.selectFrom('records').select('id').where('message_id', 'in', [...messageIds]);
  if (usesPostgres(trx)) await trx.deleteFrom('records_documents').where('record_id', 'in', ofMessages).execute();
  else await trx.deleteFrom('records_fts').where('rowid', 'in', ofMessages).execute();
  await trx.deleteFrom('records').where('message_id', 'in', [...messageIds]).execute();
}

/** Records (versions, deleted, recalled, held) matching the filter, newest first. */
export async function recordRows(db: Kysely<Database>, filter: RecordsFilter) {
  let query = db
    .selectFrom('records')
    .select(['records.id', 'records.kind', 'records.message_id', 'records.version', 'records.held_id', 'records.room_id', 'records.sender_id', 'records.at', 'records.rank', 'records.label'])
    .where((eb) => {
      const conditions: Expression<SqlBool>[] = [];
      if (filter.senderIds.length > 0) conditions.push(eb('records.sender_id', 'in', filter.senderIds));
      if (filter.roomIds.length > 0) conditions.push(eb('records.room_id', 'in', filter.roomIds));
      if (filter.label !== undefined) conditions.push(eb('records.label', '=', filter.label));
      if (filter.hasFile !== undefined) conditions.push(eb('records.has_file', '=', filter.hasFile ? 1 : 0));
      if (filter.from !== undefined) conditions.push(eb('records.at', '>=', filter.from));
      if (filter.until !== undefined) conditions.push(eb('records.at', '<', filter.until));
      if (filter.before !== undefined) {
        const { at, rank } = filter.before;
        conditions.push(eb.or([eb('records.at', '<', at), eb.and([eb('records.at', '=', at), eb('records.rank', '<', rank)])]));
      }
      return eb.and(conditions);
    })
    .orderBy('records.at', 'desc')
    .orderBy('records.rank', 'desc')
    .limit(filter.limit);
  if (filter.query) {
    const { phrases, prefix } = filter.query;
    query = usesPostgres(db)
      ? query.where(({ exists, selectFrom }) =>
          exists(selectFrom('records_documents').select('records_documents.record_id').whereRef('records_documents.record_id', '=', 'records.id').where(sql<boolean>`records_documents.words @@ ${tsQuery(phrases, prefix)}::tsquery`)),
        )
      : query.where('records.id', 'in', (eb) => eb.selectFrom('records_fts').select('records_fts.rowid').where(sql<boolean>`records_fts match ${fts5Query(phrases, prefix)}`));
  }
  return query.execute();
}

/** Current messages (neither deleted nor recalled) matching the filter without words, newest first. */
export async function currentMessageRows(db: Kysely<Database>, filter: RecordsFilter & { positionBelow: number; atPositionBelow: number }): Promise<MessageRow[]> {
  return db
    .selectFrom('messages')
    .selectAll('messages')
    .where('messages.deleted_at', 'is', null)
    .where('messages.recalled_at', 'is', null)
    .where('messages.position', '<', filter.positionBelow)
    .where((eb) => {
      const conditions: Expression<SqlBool>[] = [];
      if (filter.senderIds.length > 0) conditions.push(eb('messages.sender_id', 'in', filter.senderIds));
      if (filter.roomIds.length > 0) conditions.push(eb('messages.room_id', 'in', filter.roomIds));
      if (filter.label !== undefined) conditions.push(eb('messages.label', '=', filter.label));
      if (filter.hasFile !== undefined) conditions.push(eb(HAS_FILES, '=', filter.hasFile ? 1 : 0));
      if (filter.from !== undefined) conditions.push(eb('messages.created_at', '>=', filter.from));
      if (filter.until !== undefined) conditions.push(eb('messages.created_at', '<', filter.until));
      if (filter.before !== undefined) {
        const at = filter.before.at;
        conditions.push(eb.or([eb('messages.created_at', '<', at), eb.and([eb('messages.created_at', '=', at), eb('messages.position', '<', filter.atPositionBelow)])]));
      }
      return eb.and(conditions);
    })
    .orderBy('messages.position', 'desc')
    .limit(filter.limit)
    .execute();
}

/** Messages by id, whatever their state. */
export async function messageRowsByIds(db: Kysely<Database>, ids: readonly string[]): Promise<MessageRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('messages').selectAll().where('id', 'in', ids).execute();
}

/** A thread: its root and its replies, in order. */
export async function threadRows(db: Kysely<Database>, rootId: string): Promise<MessageRow[]> {
  return db
    .selectFrom('messages')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', rootId), eb('thread_root_id', '=', rootId)]))
    .orderBy('position')
    .execute();
}

export async function versionRows(db: Kysely<Database>, messageId: string) {
  return db.selectFrom('message_versions').select(['version', 'body', 'replaced_at']).where('message_id', '=', messageId).orderBy('version').execute();
}

export async function reactionRows(db: Kysely<Database>, messageId: string) {
  return db.selectFrom('reactions').select(['user_id', 'emoji', 'created_at']).where('message_id', '=', messageId).orderBy('created_at').orderBy('user_id').execute();
}

export async function heldRowsByIds(db: Kysely<Database>, ids: readonly string[]): Promise<HeldRecordRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('held_messages').select(['id', 'room_id', 'sender_id', 'body', 'label', 'details', 'held_at', 'status', 'kind']).where('id', 'in', ids).execute();
}

/** Whether a message carries this file (for opening a record's file). */
export async function messageCarriesFile(db: Kysely<Database>, messageId: string, fileId: string): Promise<boolean> {
  return (await db.selectFrom('message_files').select('file_id').where('message_id', '=', messageId).where('file_id', '=', fileId).executeTakeFirst()) !== undefined;
}

/** 1 when the message (of the query's `messages` table) carries files, else 0: written out, as both dialects read it alike. */
const HAS_FILES = sql<number>`case when exists (select 1 from message_files where message_files.message_id = messages.id) then 1 else 0 end`;
