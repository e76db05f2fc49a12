import type { FileInfo, Message } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import type { Database, MessageRow } from '../db/schema';
import { toFileInfo } from '../files/file-wire';
import { attachedFiles } from '../files/files.access';
import { toWireMessage } from './message-wire';
import { mentionsOf, reactionsOf } from './messages.repository';

/**
 * Turns stored rows into wire messages with their reactions, mentions and files: three queries for any number of
 * rows.
 */
export async function hydrateMessages(db: Kysely<Database>, rows: readonly MessageRow[]): Promise<Message[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const [reactions, mentions, files] = await Promise.all([reactionsOf(db, ids), mentionsOf(db, ids), filesOf(db, ids)]);
  return rows.map((row) => toWireMessage(row, { reactions: reactions.get(row.id) ?? [], mentions: mentions.get(row.id) ?? [], files: files.get(row.id) ?? [] }));
}

async function filesOf(db: Kysely<Database>, messageIds: readonly string[]): Promise<Map<string, FileInfo[]>> {
  const result = new Map<string, FileInfo[]>();
  for (const row of await attachedFiles(db, messageIds)) result.set(row.message_id, [...(result.get(row.message_id) ?? []), toFileInfo(row)]);
  return result;
}
