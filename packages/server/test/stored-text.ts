import { sql, type RawBuilder } from 'kysely';
import { openDatabase, type DatabaseHandle } from '../src/db/database';
import { isSealed } from '../src/keys/sealed';
import { decodeBody, messagePlace, versionPlace } from '../src/messages/message-body.codec';
import type { TestServer } from './harness';

/**
 * A second, separate connection to a test server's storage, as someone with a copy of the database (or access to
 * it) would read it: nothing of the server's in-memory state, keys least of all.
 */
export function rawStorage(server: TestServer): DatabaseHandle {
  return openDatabase(server.storageConfig);
}

/**
 * The rows of a raw query. Tests that inspect storage use plain SQL rather than the query builder: they read and
 * change rows as an outsider would, and its types cost the type check more than they catch here.
 */
export async function rowsOf<Row>(handle: Pick<DatabaseHandle, 'db'>, query: RawBuilder<Row>): Promise<Row[]> {
  return (await query.execute(handle.db)).rows;
}

/** A message's current text as stored: sealed, and opening (with the server's keys) to what was sent. */
export async function storedMessageText(server: TestServer, messageId: string): Promise<{ sealed: boolean; text: string }> {
  const [row] = await rowsOf<{ body: string; room_id: string }>(server.running.database, sql`select body, room_id from messages where id = ${messageId}`);
  if (!row) throw new Error(`no message ${messageId}`);
  return { sealed: isSealed(row.body), text: decodeBody(server.running.services.keys, messagePlace(row.room_id, messageId), row.body) };
}

/** The texts an edited message's versions keep, oldest first, each opened at its own version's place. */
export async function storedVersions(server: TestServer, messageId: string): Promise<{ version: number; sealed: boolean; text: string }[]> {
  const [message] = await rowsOf<{ room_id: string }>(server.running.database, sql`select room_id from messages where id = ${messageId}`);
  if (!message) throw new Error(`no message ${messageId}`);
  const roomId = message.room_id;
  const rows = await rowsOf<{ version: number; body: string }>(server.running.database, sql`select version, body from message_versions where message_id = ${messageId} order by version`);
  const keys = server.running.services.keys;
  return rows.map((row) => ({ version: Number(row.version), sealed: isSealed(row.body), text: decodeBody(keys, versionPlace(roomId, messageId, Number(row.version)), row.body) }));
}
