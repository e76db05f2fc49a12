import type { Kysely, Selectable } from 'kysely';
import type { Database, HeldMessagesTable, MessageRow } from '../db/schema';

/** Where a page of the selection ended: records are ordered by room, then time sent, then id. */
export interface SelectionPosition {
  roomId: string;
  createdAt: number;
  id: string;
}

export interface SelectionFilter {
  custodianIds: readonly string[];
  roomIds: readonly string[];
  from?: number | undefined;
  to?: number | undefined;
  label?: string | undefined;
  hasFile?: boolean | undefined;
}

/**
 * One page of the messages a filter covers, in (room, time, id) order after `after`. Every stored message counts:
 * deleted, recalled and hidden ones are records too.
 */
export async function selectionPage(db: Kysely<Database>, filter: SelectionFilter, after: SelectionPosition | undefined, limit: number): Promise<SelectionPosition[]> {
  let query = db.selectFrom('messages').select(['id', 'room_id', 'created_at']).orderBy('room_id').orderBy('created_at').orderBy('id').limit(limit);
  if (filter.custodianIds.length > 0) query = query.where('sender_id', 'in', [...filter.custodianIds]);
  if (filter.roomIds.length > 0) query = query.where('room_id', 'in', [...filter.roomIds]);
  if (filter.from !== undefined) query = query.where('created_at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('created_at', '<', filter.to);
  if (filter.label !== undefined) query = query.where('label', '=', filter.label);
  if (filter.hasFile !== undefined) {
    const hasFile = filter.hasFile;
    query = query.where((eb) => {
      const attached = eb.exists(eb.selectFrom('message_files').select('message_files.message_id').whereRef('message_files.message_id', '=', 'messages.id'));
      return hasFile ? attached : eb.not(attached);
    });
  }
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('room_id', '>', after.roomId),
        eb.and([eb('room_id', '=', after.roomId), eb.or([eb('created_at', '>', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '>', after.id)])])]),
      ]),
    );
  }
  const rows = await query.execute();
  return rows.map((row) => ({ roomId: row.room_id, createdAt: Number(row.created_at), id: row.id }));
}

/** An item DLP held for review, as an export reads it: its text sealed (message-body.codec.ts opens it). */
export type HeldItemRow = Selectable<HeldMessagesTable>;

/**
 * Where the items DLP held that a filter covers sit in the selection's order (held time standing for time sent),
 * with their details, which say whether they carry files. Items of every status count: pending, released and
 * rejected; a released one is also the message it became.
 */
export async function heldPositions(db: Kysely<Database>, filter: Omit<SelectionFilter, 'hasFile'>): Promise<(SelectionPosition & { details: string })[]> {
  let query = db.selectFrom('held_messages').select(['id', 'room_id', 'held_at', 'details']);
  if (filter.custodianIds.length > 0) query = query.where('sender_id', 'in', [...filter.custodianIds]);
  if (filter.roomIds.length > 0) query = query.where('room_id', 'in', [...filter.roomIds]);
  if (filter.from !== undefined) query = query.where('held_at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('held_at', '<', filter.to);
  if (filter.label !== undefined) query = query.where('label', '=', filter.label);
  const rows = await query.execute();
  return rows.map((row) => ({ roomId: row.room_id, createdAt: Number(row.held_at), id: row.id, details: row.details }));
}

/** Where these held items sit in the selection's order, in no particular order; read in chunks of 500 ids. */
export async function heldPositionsOf(db: Kysely<Database>, ids: readonly string[]): Promise<SelectionPosition[]> {
  const positions: SelectionPosition[] = [];
  for (let start = 0; start < ids.length; start += 500) {
    const rows = await db.selectFrom('held_messages').select(['id', 'room_id', 'held_at']).where('id', 'in', ids.slice(start, start + 500)).execute();
    for (const row of rows) positions.push({ roomId: row.room_id, createdAt: Number(row.held_at), id: row.id });
  }
  return positions;
}

/** The stored rows of these held items, in no particular order. */
export async function heldItemRows(db: Kysely<Database>, ids: readonly string[]): Promise<HeldItemRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('held_messages').selectAll().where('id', 'in', [...ids]).execute();
}

/** Where these messages sit in the selection's order, in no particular order; read in chunks of 500 ids. */
export async function positionsOf(db: Kysely<Database>, ids: readonly string[]): Promise<SelectionPosition[]> {
  const positions: SelectionPosition[] = [];
  for (let start = 0; start < ids.length; start += 500) {
    const rows = await db.selectFrom('messages').select(['id', 'room_id', 'created_at']).where('id', 'in', ids.slice(start, start + 500)).execute();
    for (const row of rows) positions.push({ roomId: row.room_id, createdAt: Number(row.created_at), id: row.id });
  }
  return positions;
}

/** The stored rows of these messages, in no particular order. */
export async function messageRows(db: Kysely<Database>, ids: readonly string[]): Promise<MessageRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('messages').selectAll().where('id', 'in', [...ids]).execute();
}

/** The texts edits replaced, oldest first per message; their bodies are sealed (message-body.codec.ts opens them). */
export async function versionRows(db: Kysely<Database>, messageIds: readonly string[]): Promise<{ message_id: string; version: number; body: string; replaced_at: number }[]> {
  if (messageIds.length === 0) return [];
  const rows = await db.selectFrom('message_versions').selectAll().where('message_id', 'in', [...messageIds]).orderBy('message_id').orderBy('version').execute();
  return rows.map((row) => ({ ...row, version: Number(row.version), replaced_at: Number(row.replaced_at) }));
}

/** Who reacted with what, per message, oldest first: a record names the people, not only counts. */
export async function reactionRows(db: Kysely<Database>, messageIds: readonly string[]): Promise<{ message_id: string; user_id: string; emoji: string; created_at: number }[]> {
  if (messageIds.length === 0) return [];
  const rows = await db.selectFrom('reactions').selectAll().where('message_id', 'in', [...messageIds]).orderBy('created_at').orderBy('user_id').execute();
  return rows.map((row) => ({ ...row, created_at: Number(row.created_at) }));
}

/** The replies of these thread roots, by id, oldest first. */
export async function replyIds(db: Kysely<Database>, rootIds: readonly string[]): Promise<{ id: string; thread_root_id: string }[]> {
  if (rootIds.length === 0) return [];
  const rows = await db.selectFrom('messages').select(['id', 'thread_root_id']).where('thread_root_id', 'in', [...rootIds]).orderBy('created_at').orderBy('id').execute();
  return rows.map((row) => ({ id: row.id, thread_root_id: row.thread_root_id! }));
}

/** The SHA-256 sums of files, by id (content hashes, kept plain as a file's identity). */
export async function fileSums(db: Kysely<Database>, fileIds: readonly string[]): Promise<Map<string, string>> {
  if (fileIds.length === 0) return new Map();
  const rows = await db.selectFrom('files').select(['id', 'sha256']).where('id', 'in', [...fileIds]).execute();
  return new Map(rows.map((row) => [row.id, row.sha256]));
}

export async function people(db: Kysely<Database>, userIds: readonly string[]): Promise<Map<string, { username: string; displayName: string }>> {
  if (userIds.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'username', 'display_name']).where('id', 'in', [...userIds]).execute();
  return new Map(rows.map((row) => [row.id, { username: row.username, displayName: row.display_name }]));
}

/** The current members of these rooms, by room. */
export async function roomMemberIds(db: Kysely<Database>, roomIds: readonly string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  if (roomIds.length === 0) return result;
  const rows = await db.selectFrom('room_members').select(['room_id', 'user_id']).where('room_id', 'in', [...roomIds]).orderBy('room_id').orderBy('user_id').execute();
  for (const row of rows) result.set(row.room_id, [...(result.get(row.room_id) ?? []), row.user_id]);
  return result;
}

/**
 * Claims a day for the scheduled export: a new row, or one a run claimed before `staleBefore` and never finished
 * (its node stopped mid-export). False when another run holds or finished it.
 */
export async function claimDailyRun(db: Kysely<Database>, day: string, now: number, staleBefore: number): Promise<boolean> {
  const inserted = await db.insertInto('daily_export_runs').values({ day, started_at: now, finished_at: null, file: null }).onConflict((oc) => oc.column('day').doNothing()).executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) return true;
  const retaken = await db.updateTable('daily_export_runs').set({ started_at: now }).where('day', '=', day).where('finished_at', 'is', null).where('started_at', '<', staleBefore).executeTakeFirst();
  return Number(retaken.numUpdatedRows) > 0;
}

export async function finishDailyRun(trx: Kysely<Database>, day: string, now: number, file: string): Promise<void> {
  await trx.updateTable('daily_export_runs').set({ finished_at: now, file }).where('day', '=', day).execute();
}

/** The latest day the scheduled export finished, YYYY-MM-DD, or undefined before its first run. */
export async function lastFinishedDay(db: Kysely<Database>): Promise<string | undefined> {
  const row = await db.selectFrom('daily_export_runs').select('day').where('finished_at', 'is not', null).orderBy('day', 'desc').limit(1).executeTakeFirst();
  return row?.day;
}

/** Gives a claimed day back after its export failed, so the next run tries it again. */
export async function releaseDailyRun(db: Kysely<Database>, day: string): Promise<void> {
  await db.deleteFrom('daily_export_runs').where('day', '=', day).where('finished_at', 'is', null).execute();
}
