import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { deleteFileRows } from '../files/files.access';

export interface PurgeCandidateRow {
  id: string;
  room_id: string;
  sender_id: string;
  label: string;
  position: number;
  created_at: number;
  deleted_at: number | null;
  recalled_at: number | null;
}

/** The next messages after `afterPosition` sent before `sentBefore`, in log order: what one purge batch weighs. */
export async function purgeCandidates(db: Kysely<Database>, afterPosition: number, sentBefore: number, limit: number): Promise<PurgeCandidateRow[]> {
  const rows = await db
    .selectFrom('messages')
    .select(['id', 'room_id', 'sender_id', 'label', 'position', 'created_at', 'deleted_at', 'recalled_at'])
    .where('position', '>', afterPosition)
    .where('created_at', '<', sentBefore)
    .orderBy('position')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ ...row, position: Number(row.position), created_at: Number(row.created_at), deleted_at: row.deleted_at === null ? null : Number(row.deleted_at), recalled_at: row.recalled_at === null ? null : Number(row.recalled_at) }));
}

/**
 * Erases messages with what hangs on them, one statement per table for the whole batch: versions, reactions,
 * mentions, attachments, fingerprints, and the files no other message carries any more (their rows and fingerprints; the caller destroys their keys and, after
 * the commit, their bytes). Search rows are the caller's (search/). A thread reply whose root goes stays, as a reply
 * to a message no longer there. Returns the files that went, each with a message of the batch that carried it.
 */
export async function eraseMessages(trx: Transaction<Database>, messageIds: readonly string[]): Promise<ErasedFile[]> {
  if (messageIds.length === 0) return [];
  const ids = [...messageIds];
  const carriers = new Map((await trx.selectFrom('message_files').select(['file_id', 'message_id']).where('message_id', 'in', ids).execute()).map((row) => [row.file_id, row.message_id]));
  const attached = [...carriers.keys()];
  await trx.deleteFrom('message_files').where('message_id', 'in', ids).execute();
  const stillCarried = new Set(attached.length === 0 ? [] : (await trx.selectFrom('message_files').select('file_id').where('file_id', 'in', attached).execute()).map((row) => row.file_id));
  const orphanIds = attached.filter((id) => !stillCarried.has(id));
  const files = orphanIds.length === 0 ? [] : await trx.selectFrom('files').select(['id', 'storage_key']).where('id', 'in', orphanIds).execute();
  const fingerprinted = [...ids, ...orphanIds];
  await trx.deleteFrom('fingerprint_bands').where('item_id', 'in', fingerprinted).execute();
  await trx.deleteFrom('fingerprints').where('item_id', 'in', fingerprinted).execute();
  await trx.deleteFrom('reactions').where('message_id', 'in', ids).execute();
  await trx.deleteFrom('mentions').where('message_id', 'in', ids).execute();
  await trx.deleteFrom('message_versions').where('message_id', 'in', ids).execute();
  await deleteFileRows(trx, orphanIds);
  await trx.deleteFrom('messages').where('id', 'in', ids).execute();
  return files.map((file) => ({ ...file, message_id: carriers.get(file.id)! }));
}

export interface ErasedFile {
  id: string;
  storage_key: string;
  message_id: string;
}

/** The purge run's counts not yet audited, saved in its batch's transaction (the table holds one row). */
export async function saveUnaudited(trx: Transaction<Database>, row: { counts: string; actor_id: string | null; ip: string | null }): Promise<void> {
  await sql`insert into purge_unaudited (id, counts, actor_id, ip, updated_at) values (1, ${row.counts}, ${row.actor_id}, ${row.ip}, ${Date.now()})
    on conflict (id) do update set counts = excluded.counts, actor_id = excluded.actor_id, ip = excluded.ip, updated_at = excluded.updated_at`.execute(trx);
}

/** Forgets the saved counts once an audit entry records them, in that entry's transaction. */
export async function clearUnaudited(trx: Transaction<Database>): Promise<void> {
  await sql`delete from purge_unaudited`.execute(trx);
}

/** Counts a run left unaudited when its node stopped mid-run, if any. */
export async function findUnaudited(db: Kysely<Database> | Transaction<Database>): Promise<{ counts: string; actor_id: string | null; ip: string | null } | undefined> {
  return (await sql<{ counts: string; actor_id: string | null; ip: string | null }>`select counts, actor_id, ip from purge_unaudited`.execute(db)).rows[0];
}
