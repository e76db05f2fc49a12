import { sql, type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, FilesTable, MessageFilesTable } from '../db/schema';
import { labelWithinClearance } from '../labels/labels.access';
import { messageReadableBy } from '../messages/messages.access';

export type FileRow = Selectable<FilesTable>;
/** A file as shown and checked: everything but its extracted text, which can be long and is read only to scan or index. */
export type FileInfoRow = Omit<FileRow, 'extracted_text' | 'text_complete'>;

const infoColumns = [
  'files.id',
  'files.room_id',
  'files.uploader_id',
  'files.name',
  'files.size',
  'files.mime',
  'files.label',
  'files.sha256',
  'files.storage_key',
  'files.width',
  'files.height',
  'files.has_thumbnail',
  'files.page_count',
  'files.created_at',
  'files.attached_at',
  'files.held_id',
  'files.copied_from',
  'files.sealed',
] as const;

export async function insertFile(trx: Transaction<Database>, row: Insertable<FilesTable>): Promise<void> {
  await trx.insertInto('files').values(row).execute();
}

export async function findFile(db: Kysely<Database>, id: string): Promise<FileInfoRow | undefined> {
  return db.selectFrom('files').select(infoColumns).where('id', '=', id).executeTakeFirst();
}

/** Records the page count of a PDF counted after its upload (one uploaded before pages were counted). */
export async function setPageCount(db: Kysely<Database>, id: string, pageCount: number): Promise<void> {
  await db.updateTable('files').set({ page_count: pageCount }).where('id', '=', id).execute();
}

/** Files by id (those that exist), as a held message lists them. */
export async function filesByIds(db: Kysely<Database>, ids: readonly string[]): Promise<FileInfoRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('files').select(infoColumns).where('id', 'in', ids).execute();
}

/** Files a send names, with their text and whether a held message still waits to carry them. */
export async function filesForAttaching(db: Kysely<Database>, ids: readonly string[]): Promise<(FileRow & { held_status: string | null })[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('files')
    .leftJoin('held_messages', 'held_messages.id', 'files.held_id')
    .selectAll('files')
    .select('held_messages.status as held_status')
    .where('files.id', 'in', ids)
    .execute();
}

/**
 * Marks pending uploads as carried, in the message's transaction; false (and nothing changed) unless every one
 * was still pending and the sender's, in that room. The update's row locks make a concurrent send or sweep of the
 * same file wait and then find it no longer pending.
 */
export async function claimUploads(trx: Transaction<Database>, claim: { fileIds: readonly string[]; uploaderId: string; roomId: string; at: number }): Promise<boolean> {
  const claimed = await trx
    .updateTable('files')
    .set({ attached_at: claim.at })
    .where('id', 'in', claim.fileIds)
    .where('uploader_id', '=', claim.uploaderId)
    .where('room_id', '=', claim.roomId)
    .where('attached_at', 'is', null)
    .returning('id')
    .execute();
  if (claimed.length === claim.fileIds.length) return true;
  if (claimed.length > 0) await trx.updateTable('files').set({ attached_at: null }).where('id', 'in', claimed.map((row) => row.id)).execute();
  return false;
}

export async function insertAttachments(trx: Transaction<Database>, rows: readonly Insertable<MessageFilesTable>[]): Promise<void> {
  if (rows.length > 0) await trx.insertInto('message_files').values([...rows]).execute();
}

/** The files the given messages carry, in attachment order, for showing them. */
export async function attachedFiles(db: Kysely<Database>, messageIds: readonly string[]): Promise<(FileInfoRow & { message_id: string })[]> {
  if (messageIds.length === 0) return [];
  return db
    .selectFrom('message_files')
    .innerJoin('files', 'files.id', 'message_files.file_id')
    .select(infoColumns)
    .select('message_files.message_id')
    .where('message_files.message_id', 'in', messageIds)
    .orderBy('message_files.message_id')
    .orderBy('message_files.position')
    .execute();
}

/** The same with each file's extracted text, for scanning a forward and for the search index. */
export async function attachedFilesWithText(db: Kysely<Database>, messageIds: readonly string[]): Promise<(FileRow & { message_id: string })[]> {
  if (messageIds.length === 0) return [];
  return db
    .selectFrom('message_files')
    .innerJoin('files', 'files.id', 'message_files.file_id')
    .selectAll('files')
    .select('message_files.message_id')
    .where('message_files.message_id', 'in', messageIds)
    .orderBy('message_files.message_id')
    .orderBy('message_files.position')
    .execute();
}

/**
 * The live messages carrying a file in rooms the user is a member of now, with what decides whether it may be
 * downloaded through them. Membership and clearance are part of the query, as in search: a former member gets
 * nothing, nor does someone whose clearance is below the file's label or the carrying message's, nor anyone
 * through a hidden message.
 */
export async function reachableCarriers(db: Kysely<Database>, fileId: string, userId: string) {
  return db
    .selectFrom('message_files')
    .innerJoin('messages', 'messages.id', 'message_files.message_id')
    .innerJoin('room_members', (join) => join.onRef('room_members.room_id', '=', 'messages.room_id').on('room_members.user_id', '=', userId))
    .innerJoin('rooms', 'rooms.id', 'messages.room_id')
    .select(['messages.id as message_id', 'messages.room_id', 'messages.label', 'messages.restrictions', 'rooms.download_allowed'])
    .innerJoin('files', 'files.id', 'message_files.file_id')
    .where('message_files.file_id', '=', fileId)
    .where('messages.deleted_at', 'is', null)
    .where('messages.recalled_at', 'is', null)
    .where(messageReadableBy(userId))
    .where(labelWithinClearance('files.label', userId))
    .execute();
}

/**
 * Files carried by the room's live messages that the reader may read (as `reachableCarriers` decides), newest message first and in attachment order within one, below a
 * message position. Reads `limit` rows; the caller cuts the page at a message's edge.
 */
export async function roomFilesPage(db: Kysely<Database>, options: { roomId: string; readerId: string; beforePosition: number | undefined; limit: number }) {
  let query = db
    .selectFrom('messages')
    .innerJoin('message_files', 'message_files.message_id', 'messages.id')
    .innerJoin('files', 'files.id', 'message_files.file_id')
    .select(infoColumns)
    .select(['messages.id as message_id', 'messages.thread_root_id', 'messages.sender_id', 'messages.created_at as sent_at', 'messages.position'])
    .where('messages.room_id', '=', options.roomId)
    .where('messages.deleted_at', 'is', null)
    .where('messages.recalled_at', 'is', null)
    .where(messageReadableBy(options.readerId))
    .where(labelWithinClearance('files.label', options.readerId))
    .orderBy('messages.position', 'desc')
    .orderBy('message_files.position')
    .limit(options.limit);
  if (options.beforePosition !== undefined) query = query.where('messages.position', '<', options.beforePosition);
  return query.execute();
}

/**
 * Keeps uploads a held message waits to carry from other sends and from the sweep, until its review is decided.
 * Files a held forward carries are already attached and need no keeping.
 */
export async function markFilesHeld(trx: Transaction<Database>, fileIds: readonly string[], heldId: string): Promise<void> {
  if (fileIds.length > 0) await trx.updateTable('files').set({ held_id: heldId }).where('id', 'in', fileIds).where('attached_at', 'is', null).execute();
}

/**
 * Deletes uploads no message carried and none still waits for (a held message under review), created before
 * `cutoff`; returns their storage keys so the bytes can go too. The conditions are checked again by the delete
 * itself, so a file attached meanwhile stays.
 */
export async function deleteExpiredUploads(db: Kysely<Database>, cutoff: number, limit: number): Promise<{ id: string; storage_key: string }[]> {
  const candidates = db
    .selectFrom('files')
    .select('files.id')
    .where('files.attached_at', 'is', null)
    .where('files.created_at', '<', cutoff)
    .where((eb) =>
      eb.or([
        eb('files.held_id', 'is', null),
        eb.not(eb.exists(eb.selectFrom('held_messages').select('held_messages.id').whereRef('held_messages.id', '=', 'files.held_id').where('held_messages.status', '=', 'pending'))),
      ]),
    )
    .limit(limit);
  return db
    .deleteFrom('files')
    .where('id', 'in', candidates)
    .where('attached_at', 'is', null)
    .returning(['id', 'storage_key'])
    .execute();
}

/**
 * Owners of file keys created before `cutoff` whose file has no row: an upload that died before it was stored.
 * (A file's key is made before its first byte is received, its row only once it is accepted.)
 */
export async function orphanFileKeys(db: Kysely<Database>, cutoff: number, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('data_keys')
    .select('data_keys.owner')
    .where('data_keys.owner', 'like', 'file:%')
    .where('data_keys.created_at', '<', cutoff)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('files').select('files.id').where(sql<string>`${sql.lit('file:')} || files.id`, '=', eb.ref('data_keys.owner')))))
    .limit(limit)
    .execute();
  return rows.map((row) => row.owner);
}

/**
 * The files that go with a room being erased: those its messages carry and no message elsewhere (a forward) does,
 * and uploads into it that no message took yet. A file a held message waits for stays with the held item, which a
 * compliance officer still decides on. Read before the room's message links go.
 */
export async function filesOnlyIn(trx: Transaction<Database>, roomId: string): Promise<{ id: string; storage_key: string }[]> {
  return trx
    .selectFrom('files')
    .select(['files.id', 'files.storage_key'])
    .where((eb) =>
      eb.or([
        eb('files.id', 'in', eb.selectFrom('message_files').innerJoin('messages', 'messages.id', 'message_files.message_id').select('message_files.file_id').where('messages.room_id', '=', roomId)),
        eb.and([eb('files.room_id', '=', roomId), eb('files.attached_at', 'is', null), eb('files.held_id', 'is', null)]),
      ]),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('message_files as elsewhere')
            .innerJoin('messages as carrier', 'carrier.id', 'elsewhere.message_id')
            .select('elsewhere.file_id')
            .whereRef('elsewhere.file_id', '=', 'files.id')
            .where('carrier.room_id', '<>', roomId),
        ),
      ),
    )
    .execute();
}

const DELETE_BATCH = 500;

export async function deleteFileRows(trx: Transaction<Database>, ids: readonly string[]): Promise<void> {
  for (let start = 0; start < ids.length; start += DELETE_BATCH) await trx.deleteFrom('files').where('id', 'in', ids.slice(start, start + DELETE_BATCH)).execute();
}

/** The files carried by the room's messages (hidden ones aside), as a subquery. */
function filesOfRoom(db: Kysely<Database>, roomId: string) {
  return db
    .selectFrom('message_files')
    .innerJoin('messages', 'messages.id', 'message_files.message_id')
    .select('message_files.file_id')
    .where('messages.room_id', '=', roomId)
    .where('messages.hidden_at', 'is', null);
}

/** Per label among `labels`, how many distinct files the room's messages (hidden ones aside) carry with it. */
export async function countRoomFilesLabelled(db: Kysely<Database>, roomId: string, labels: readonly string[]): Promise<{ label: string; count: number }[]> {
  if (labels.length === 0) return [];
  const rows = await db
    .selectFrom('files')
    .select('label')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('id', 'in', filesOfRoom(db, roomId))
    .where('label', 'in', labels)
    .groupBy('label')
    .orderBy('label')
    .execute();
  return rows.map((row) => ({ label: row.label, count: Number(row.count) }));
}

/**
 * Brings the files the room's messages carry with one of `labels` down to `to`. A file is one stored item: a
 * forwarded copy of it elsewhere shows the new label too.
 */
export async function relabelRoomFiles(trx: Transaction<Database>, roomId: string, labels: readonly string[], to: string): Promise<void> {
  if (labels.length === 0) return;
  await trx.updateTable('files').set({ label: to }).where('id', 'in', filesOfRoom(trx, roomId)).where('label', 'in', labels).execute();
}

/** Files still stored plain (from before encryption), for sealing them in place. */
export async function plainFiles(db: Kysely<Database>, limit: number) {
  return db.selectFrom('files').select(['id', 'storage_key', 'has_thumbnail', 'name', 'extracted_text']).where('sealed', '=', 0).orderBy('id').limit(limit).execute();
}

export async function countPlainFiles(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('files').select((eb) => eb.fn.countAll<number | string>().as('count')).where('sealed', '=', 0).executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Stores a file's sealed name and text and marks it sealed, unless another run did first; whether this one did. */
export async function markFileSealed(db: Kysely<Database>, id: string, columns: { name: string; extracted_text: string; sealed: number }): Promise<boolean> {
  const result = await db.updateTable('files').set(columns).where('id', '=', id).where('sealed', '=', 0).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
