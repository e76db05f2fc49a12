import type { Kysely, Transaction } from 'kysely';
import type { Database, ScheduledMessageRow, ScheduledMessagesTable } from '../db/schema';

type Db = Kysely<Database> | Transaction<Database>;

export async function insertScheduled(db: Db, row: ScheduledMessagesTable): Promise<void> {
  await db.insertInto('scheduled_messages').values(row).execute();
}

/** The sender's own items, soonest first: nobody else's are ever read by this. */
export async function scheduledOfSender(db: Db, senderId: string): Promise<ScheduledMessageRow[]> {
  return db.selectFrom('scheduled_messages').selectAll().where('sender_id', '=', senderId).orderBy('send_at').orderBy('id').execute();
}

/** One item, only if `senderId` scheduled it: another person's id reads as absent. */
export async function findScheduledOfSender(db: Db, id: string, senderId: string): Promise<ScheduledMessageRow | undefined> {
  return db.selectFrom('scheduled_messages').selectAll().where('id', '=', id).where('sender_id', '=', senderId).executeTakeFirst();
}

export async function findScheduled(db: Db, id: string): Promise<ScheduledMessageRow | undefined> {
  return db.selectFrom('scheduled_messages').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Changes an item its sender still holds (pending or failed), never one a node has claimed to send: false when it
 * was claimed meanwhile, so an edit never races the send.
 */
export async function updateUnclaimed(db: Db, id: string, senderId: string, changes: Partial<Pick<ScheduledMessagesTable, 'body' | 'send_at' | 'status' | 'error' | 'updated_at'>>): Promise<boolean> {
  const result = await db.updateTable('scheduled_messages').set(changes).where('id', '=', id).where('sender_id', '=', senderId).where('status', '!=', 'sending').executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteUnclaimed(db: Db, id: string, senderId: string): Promise<boolean> {
  const result = await db.deleteFrom('scheduled_messages').where('id', '=', id).where('sender_id', '=', senderId).where('status', '!=', 'sending').executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** Ids of items due at `now`: pending ones whose time came, and claims a node gave up on (crashed mid-send). */
export async function dueIds(db: Db, now: number, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('scheduled_messages')
    .select('id')
    .where((eb) => eb.or([eb.and([eb('status', '=', 'pending'), eb('send_at', '<=', now)]), eb.and([eb('status', '=', 'sending'), eb('claimed_until', '<', now)])]))
    .orderBy('send_at')
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}

/**
 * Claims one due item for this node until `until`: an update that only one node's statement can win, whatever the
 * database, so an item goes once even when several nodes wake for it together.
 */
export async function claimDue(db: Db, id: string, now: number, until: number): Promise<boolean> {
  const result = await db
    .updateTable('scheduled_messages')
    .set({ status: 'sending', claimed_until: until })
    .where('id', '=', id)
    .where((eb) => eb.or([eb.and([eb('status', '=', 'pending'), eb('send_at', '<=', now)]), eb.and([eb('status', '=', 'sending'), eb('claimed_until', '<', now)])]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The earliest time an item becomes due (a pending send time, or a claim's end), to arm the job's timer. */
export async function nextDueAt(db: Db): Promise<number | undefined> {
  const pending = await db.selectFrom('scheduled_messages').select((eb) => eb.fn.min('send_at').as('at')).where('status', '=', 'pending').executeTakeFirst();
  const claimed = await db.selectFrom('scheduled_messages').select((eb) => eb.fn.min('claimed_until').as('at')).where('status', '=', 'sending').executeTakeFirst();
  const times = [pending?.at, claimed?.at].filter((at) => at !== null && at !== undefined).map(Number);
  return times.length === 0 ? undefined : Math.min(...times);
}

export async function deleteClaimed(trx: Transaction<Database>, id: string): Promise<void> {
  await trx.deleteFrom('scheduled_messages').where('id', '=', id).where('status', '=', 'sending').execute();
}

export async function markFailed(trx: Transaction<Database>, id: string, error: string, now: number): Promise<void> {
  await trx.updateTable('scheduled_messages').set({ status: 'failed', error, claimed_until: null, updated_at: now }).where('id', '=', id).where('status', '=', 'sending').execute();
}
