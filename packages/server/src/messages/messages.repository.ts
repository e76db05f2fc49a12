import type { Kysely, Transaction } from 'kysely';
import type { Database, MessageRow, NewMessageRow } from '../db/schema';

export async function insertMessages(trx: Transaction<Database>, rows: NewMessageRow[]): Promise<void> {
  if (rows.length > 0) await trx.insertInto('messages').values(rows).execute();
}

export async function findMessage(db: Kysely<Database>, id: string): Promise<MessageRow | undefined> {
  return db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Messages already stored by these senders under these client ids, for making retried sends idempotent. Naming
 * the senders lets the (sender_id, client_id) index answer; the caller matches exact pairs.
 */
export async function findByClientIds(db: Kysely<Database>, senderIds: readonly string[], clientIds: readonly string[]): Promise<MessageRow[]> {
  if (clientIds.length === 0) return [];
  return db.selectFrom('messages').selectAll().where('sender_id', 'in', senderIds).where('client_id', 'in', clientIds).execute();
}

/**
 * One page of a room's timeline, newest first: top-level messages, or the replies of one thread. Reads one
 * extra row to tell whether more pages exist.
 */
export async function historyPage(
  db: Kysely<Database>,
  options: { roomId: string; threadRootId: string | null; beforePosition: number | undefined; limit: number },
): Promise<MessageRow[]> {
  let query = db
    .selectFrom('messages')
    .selectAll()
    .where('room_id', '=', options.roomId)
    .where('thread_root_id', options.threadRootId === null ? 'is' : '=', options.threadRootId)
    .orderBy('position', 'desc')
    .limit(options.limit + 1);
  if (options.beforePosition !== undefined) query = query.where('position', '<', options.beforePosition);
  return query.execute();
}
