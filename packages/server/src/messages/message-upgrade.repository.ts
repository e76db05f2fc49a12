import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { SEALED_PREFIX } from '../keys/sealed';

/**
 * The queries of sealing an installation's plain message text in place (message-upgrade.ts). A row is plain when
 * its stored text does not start with the sealed prefix; each update is a compare-and-set on the plain text read,
 * so an edit that sealed the row meanwhile is never overwritten. Plain SQL, portable to both databases: these
 * run a few times in an installation's life, and the query builder's types cost every type check.
 */
const SEALED_LIKE = `${SEALED_PREFIX}%`;

export async function countPlainBodies(db: Kysely<Database>): Promise<number> {
  return count(await sql<{ count: number | string }>`select count(*) as count from messages where body not like ${SEALED_LIKE}`.execute(db));
}

export async function plainBodies(db: Kysely<Database>, limit: number): Promise<{ id: string; room_id: string; body: string }[]> {
  return (await sql<{ id: string; room_id: string; body: string }>`select id, room_id, body from messages where body not like ${SEALED_LIKE} order by position limit ${limit}`.execute(db)).rows;
}

export async function replacePlainBody(db: Kysely<Database>, id: string, plain: string, sealed: string): Promise<boolean> {
  return updated(await sql`update messages set body = ${sealed} where id = ${id} and body = ${plain}`.execute(db));
}

export async function countPlainVersions(db: Kysely<Database>): Promise<number> {
  return count(await sql<{ count: number | string }>`select count(*) as count from message_versions where body not like ${SEALED_LIKE}`.execute(db));
}

export async function plainVersions(db: Kysely<Database>, limit: number): Promise<{ message_id: string; version: number; room_id: string; body: string }[]> {
  const rows = await sql<{ message_id: string; version: number; room_id: string; body: string }>`
    select v.message_id, v.version, m.room_id, v.body
    from message_versions v join messages m on m.id = v.message_id
    where v.body not like ${SEALED_LIKE}
    order by v.message_id, v.version
    limit ${limit}`.execute(db);
  return rows.rows;
}

export async function replacePlainVersion(db: Kysely<Database>, key: { messageId: string; version: number }, plain: string, sealed: string): Promise<boolean> {
  return updated(await sql`update message_versions set body = ${sealed} where message_id = ${key.messageId} and version = ${key.version} and body = ${plain}`.execute(db));
}

function count(result: { rows: { count: number | string }[] }): number {
  return Number(result.rows[0]?.count ?? 0);
}

function updated(result: { numAffectedRows?: bigint }): boolean {
  return Number(result.numAffectedRows ?? 0) === 1;
}
