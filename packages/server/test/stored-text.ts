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

/** A message's current text as stored: sealed, and opening (with the server's keys) to what was sent. */
export async function storedMessageText(server: TestServer, messageId: string): Promise<{ sealed: boolean; text: string }> {
  const { db } = server.running.database;
  const row = await db.selectFrom('messages').select(['body', 'room_id']).where('id', '=', messageId).executeTakeFirstOrThrow();
  return { sealed: isSealed(row.body), text: decodeBody(server.running.services.keys, messagePlace(row.room_id, messageId), row.body) };
}

/** The texts an edited message's versions keep, oldest first, each opened at its own version's place. */
export async function storedVersions(server: TestServer, messageId: string): Promise<{ version: number; sealed: boolean; text: string }[]> {
  const { db } = server.running.database;
  const { room_id: roomId } = await db.selectFrom('messages').select('room_id').where('id', '=', messageId).executeTakeFirstOrThrow();
  const rows = await db.selectFrom('message_versions').select(['version', 'body']).where('message_id', '=', messageId).orderBy('version').execute();
  const keys = server.running.services.keys;
  return rows.map((row) => ({ version: Number(row.version), sealed: isSealed(row.body), text: decodeBody(keys, versionPlace(roomId, messageId, Number(row.version)), row.body) }));
}
