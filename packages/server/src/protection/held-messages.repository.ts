import { sql, type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, HeldMessagesTable } from '../db/schema';
import { SEALED_PREFIX } from '../keys/sealed';

export type HeldRow = Selectable<HeldMessagesTable>;

export async function insertHeld(trx: Transaction<Database>, row: Insertable<HeldMessagesTable>): Promise<void> {
  await trx.insertInto('held_messages').values(row).execute();
}

export async function findHeld(db: Kysely<Database>, id: string): Promise<HeldRow | undefined> {
  return db.selectFrom('held_messages').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Oldest first, so the queue is worked in the order senders waited; the cursor is the last (held_at, id). */
export async function listHeld(db: Kysely<Database>, status: HeldRow['status'], after: { heldAt: number; id: string } | undefined, limit: number): Promise<HeldRow[]> {
  let query = db.selectFrom('held_messages').selectAll().where('status', '=', status).orderBy('held_at').orderBy('id').limit(limit);
  if (after) query = query.where((eb) => eb.or([eb('held_at', '>', after.heldAt), eb.and([eb('held_at', '=', after.heldAt), eb('id', '>', after.id)])]));
  return query.execute();
}

/** Settles a pending item; false when someone else decided it first. */
export async function decideHeld(
  trx: Transaction<Database>,
  id: string,
  decision: { status: 'released' | 'rejected'; decided_by: string; decided_at: number; note: string | null; message_id: string | null },
): Promise<boolean> {
  const result = await trx.updateTable('held_messages').set(decision).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Puts a claimed item back in the queue when delivering it failed. */
export async function reopenHeld(db: Kysely<Database>, id: string): Promise<void> {
  await db.updateTable('held_messages').set({ status: 'pending', decided_by: null, decided_at: null, note: null }).where('id', '=', id).execute();
}

export async function setHeldMessageId(trx: Transaction<Database>, id: string, messageId: string): Promise<void> {
  await trx.updateTable('held_messages').set({ message_id: messageId }).where('id', '=', id).execute();
}

/**
 * Held items whose text is still plain (from before encryption), for sealing in place: message-upgrade.ts. Plain
 * SQL, as its queries on messages: run rarely, and the query builder's types cost every type check.
 */
const SEALED_LIKE = `${SEALED_PREFIX}%`;

export async function countPlainHeld(db: Kysely<Database>): Promise<number> {
  const result = await sql<{ count: number | string }>`select count(*) as count from held_messages where body not like ${SEALED_LIKE}`.execute(db);
  return Number(result.rows[0]?.count ?? 0);
}

export async function plainHeld(db: Kysely<Database>, limit: number): Promise<{ id: string; room_id: string; body: string }[]> {
  return (await sql<{ id: string; room_id: string; body: string }>`select id, room_id, body from held_messages where body not like ${SEALED_LIKE} order by held_at, id limit ${limit}`.execute(db)).rows;
}

/** Compare-and-set on the plain text read, so a row changed meanwhile is left for the next batch. */
export async function replacePlainHeld(db: Kysely<Database>, id: string, plain: string, sealed: string): Promise<boolean> {
  const result = await sql`update held_messages set body = ${sealed} where id = ${id} and body = ${plain}`.execute(db);
  return Number(result.numAffectedRows ?? 0) === 1;
}
