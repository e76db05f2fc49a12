import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { SEALED_PREFIX } from '../keys/sealed';

/**
 * The queries of sealing an installation's plain message text in place (message-upgrade.ts). A row is plain when
 * its stored text does not start with the sealed prefix; each update is a compare-and-set on the plain text read,
 * so an edit that sealed the row meanwhile is never overwritten.
 */
const SEALED_LIKE = `${SEALED_PREFIX}%`;

export async function countPlainBodies(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('messages').select((eb) => eb.fn.countAll<number | string>().as('count')).where('body', 'not like', SEALED_LIKE).executeTakeFirst();
  return Number(row?.count ?? 0);
}

export async function plainBodies(db: Kysely<Database>, limit: number): Promise<{ id: string; room_id: string; body: string }[]> {
  return db.selectFrom('messages').select(['id', 'room_id', 'body']).where('body', 'not like', SEALED_LIKE).orderBy('position').limit(limit).execute();
}

export async function replacePlainBody(db: Kysely<Database>, id: string, plain: string, sealed: string): Promise<boolean> {
  const result = await db.updateTable('messages').set({ body: sealed }).where('id', '=', id).where('body', '=', plain).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function countPlainVersions(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('message_versions').select((eb) => eb.fn.countAll<number | string>().as('count')).where('body', 'not like', SEALED_LIKE).executeTakeFirst();
  return Number(row?.count ?? 0);
}

export async function plainVersions(db: Kysely<Database>, limit: number): Promise<{ message_id: string; version: number; room_id: string; body: string }[]> {
  return db
    .selectFrom('message_versions')
    .innerJoin('messages', 'messages.id', 'message_versions.message_id')
    .select(['message_versions.message_id', 'message_versions.version', 'messages.room_id', 'message_versions.body'])
    .where('message_versions.body', 'not like', SEALED_LIKE)
    .orderBy('message_versions.message_id')
    .orderBy('message_versions.version')
    .limit(limit)
    .execute();
}

export async function replacePlainVersion(db: Kysely<Database>, key: { messageId: string; version: number }, plain: string, sealed: string): Promise<boolean> {
  const result = await db
    .updateTable('message_versions')
    .set({ body: sealed })
    .where('message_id', '=', key.messageId)
    .where('version', '=', key.version)
    .where('body', '=', plain)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
