import type { Message } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import type { Database, MessageRow } from '../db/schema';
import { attachedFileInfos } from '../files/files.access';
import type { Keyring } from '../keys/keyring';
import { toWireMessage } from './message-wire';
import { mentionsOf, reactionsOf } from './messages.repository';

/**
 * Turns stored rows into wire messages with their reactions, mentions and files: three queries for any number of
 * rows.
 */
export async function hydrateMessages(db: Kysely<Database>, keys: Keyring, rows: readonly MessageRow[]): Promise<Message[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const [reactions, mentions, files] = await Promise.all([reactionsOf(db, ids), mentionsOf(db, ids), attachedFileInfos(db, keys, ids)]);
  return rows.map((row) => toWireMessage(row, { reactions: reactions.get(row.id) ?? [], mentions: mentions.get(row.id) ?? [], files: files.get(row.id) ?? [] }));
}
