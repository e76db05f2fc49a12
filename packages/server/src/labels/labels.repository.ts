import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, LabelsTable } from '../db/schema';

export type LabelRow = Selectable<LabelsTable>;

export async function listLabelRows(db: Kysely<Database>): Promise<LabelRow[]> {
  return db.selectFrom('labels').selectAll().orderBy('rank').execute();
}

export async function findLabelRow(db: Kysely<Database>, id: string): Promise<LabelRow | undefined> {
  return db.selectFrom('labels').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Makes room at `rank` by moving every label at or above it up one, then inserts the new label there. */
export async function insertLabelAt(trx: Transaction<Database>, label: LabelRow): Promise<void> {
  const above = await trx.selectFrom('labels').select(['id', 'rank']).where('rank', '>=', label.rank).orderBy('rank', 'desc').execute();
  for (const row of above) await trx.updateTable('labels').set({ rank: Number(row.rank) + 1 }).where('id', '=', row.id).execute();
  await trx.insertInto('labels').values(label).execute();
}

export async function updateLabelRow(trx: Transaction<Database>, id: string, changes: Partial<Pick<LabelRow, 'name_en' | 'name_zh' | 'colour' | 'forwarding' | 'copy_allowed' | 'download_allowed'>>): Promise<void> {
  await trx.updateTable('labels').set(changes).where('id', '=', id).execute();
}

/** The labels messages in the room carry (deleted ones too: their text is still stored). */
export async function labelsInRoom(db: Kysely<Database>, roomId: string): Promise<string[]> {
  const rows = await db.selectFrom('messages').select('label').distinct().where('room_id', '=', roomId).execute();
  return rows.map((row) => row.label);
}

export async function clearancesOf(db: Kysely<Database>, userIds: readonly string[]): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'clearance']).where('id', 'in', userIds).execute();
  return new Map(rows.map((row) => [row.id, row.clearance]));
}

export async function memberClearances(db: Kysely<Database>, roomId: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('room_members')
    .innerJoin('users', 'users.id', 'room_members.user_id')
    .select(['users.id', 'users.clearance'])
    .where('room_members.room_id', '=', roomId)
    .execute();
  return new Map(rows.map((row) => [row.id, row.clearance]));
}

/** Ceilings of the rooms a user is in, for checking a lowered clearance. */
export async function ceilingsOfUserRooms(db: Kysely<Database>, userId: string): Promise<{ roomId: string; ceiling: string }[]> {
  const rows = await db
    .selectFrom('room_members')
    .innerJoin('rooms', 'rooms.id', 'room_members.room_id')
    .select(['rooms.id', 'rooms.ceiling'])
    .where('room_members.user_id', '=', userId)
    .execute();
  return rows.map((row) => ({ roomId: row.id, ceiling: row.ceiling }));
}
