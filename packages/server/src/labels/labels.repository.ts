import { sql, type Kysely, type RawBuilder, type Selectable, type SqlBool, type Transaction } from 'kysely';
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

export async function updateLabelRow(trx: Transaction<Database>, id: string, changes: Partial<Pick<LabelRow, 'name_en' | 'name_zh' | 'colour' | 'forwarding' | 'copy_allowed' | 'download_allowed' | 'marked'>>): Promise<void> {
  await trx.updateTable('labels').set(changes).where('id', '=', id).execute();
}

/**
 * The condition "the reader's clearance reaches this label", for the label column of any table, inside the
 * query that reads the item: the reader's clearance and the ranks are read there and then, so a read path needs
 * no query of its own for it and never works from a stale copy. A reader who does not exist reaches nothing.
 */
export function labelWithinClearance(labelColumn: string, readerId: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`${sql.ref(labelColumn)} in (select readable.id from labels as readable where readable.rank <= (select cleared.rank from labels as cleared inner join users as reader on reader.clearance = cleared.id where reader.id = ${readerId}))`;
}

/** The condition "this label is marked", for the label column of any table, inside the query that reads it. */
export function labelMarked(labelColumn: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`exists (select 1 from labels as marking where marking.id = ${sql.ref(labelColumn)} and marking.marked = 1)`;
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
