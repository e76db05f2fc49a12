import type { Kysely, Transaction } from 'kysely';
import type { Database, LegalHoldsTable } from '../db/schema';

export type HoldRow = LegalHoldsTable;
type Db = Kysely<Database> | Transaction<Database>;

export async function insertHold(trx: Transaction<Database>, row: HoldRow): Promise<void> {
  await trx.insertInto('legal_holds').values(row).execute();
}

export async function updateHoldRow(trx: Transaction<Database>, id: string, changes: Partial<Omit<HoldRow, 'id' | 'created_by' | 'created_at'>>): Promise<void> {
  await trx.updateTable('legal_holds').set(changes).where('id', '=', id).execute();
}

export async function findHoldRow(db: Db, id: string): Promise<HoldRow | undefined> {
  return db.selectFrom('legal_holds').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Matters newest first; released ones only when asked. */
export async function listHoldRows(db: Db, includeReleased: boolean): Promise<HoldRow[]> {
  let query = db.selectFrom('legal_holds').selectAll().orderBy('created_at', 'desc').orderBy('id');
  if (!includeReleased) query = query.where('released_at', 'is', null);
  return query.execute();
}

/** Whether the room has a message sent by one of the custodians (any, when none are named) in the time range. */
export async function roomHasMessageIn(db: Db, roomId: string, coverage: { custodianIds: readonly string[]; from: number | null; to: number | null }): Promise<boolean> {
  let query = db.selectFrom('messages').select('id').where('room_id', '=', roomId).limit(1);
  if (coverage.custodianIds.length > 0) query = query.where('sender_id', 'in', [...coverage.custodianIds]);
  if (coverage.from !== null) query = query.where('created_at', '>=', coverage.from);
  if (coverage.to !== null) query = query.where('created_at', '<', coverage.to);
  return (await query.executeTakeFirst()) !== undefined;
}
