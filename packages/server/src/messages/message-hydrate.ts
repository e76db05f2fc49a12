import type { Message } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import type { Database, MessageRow } from '../db/schema';
import { attachedFileInfos } from '../files/files.access';
import { AppError } from '../http/app-error';
import type { Keyring } from '../keys/keyring';
import { ContentDamaged } from '../keys/sealed';
import { reportDamaged } from './content-damage';
import { bodyKeyOwners, decodeBody, messagePlace, urgentReasonPlace, type BodyPlace } from './message-body.codec';
import { toWireMessage } from './message-wire';
import { mentionsOf, reactionsOf } from './messages.repository';

/**
 * Turns stored rows into wire messages with their reactions, mentions and files: three queries for any number of
 * rows (a fourth only when a room's key is not loaded on this node yet). A message whose stored text does not
 * open stays in the list, empty and `unreadable`, and is reported to the audit log once.
 */
export async function hydrateMessages(db: Kysely<Database>, keys: Keyring, rows: readonly MessageRow[]): Promise<Message[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const [reactions, mentions, files] = await Promise.all([reactionsOf(db, ids), mentionsOf(db, ids), attachedFileInfos(db, keys, ids), keys.ensure(db, bodyKeyOwners(rows.map((row) => row.room_id)))]);
  const damaged: MessageRow[] = [];
  const messages = rows.map((row) => {
    const text = isHidden(row) ? '' : openOrUndefined(keys, row);
    if (text === undefined) damaged.push(row);
    const urgentReason = row.urgent_reason === null || isHidden(row) ? undefined : openedOrUndefined(keys, urgentReasonPlace(row.room_id, row.id), row.urgent_reason);
    return toWireMessage(row, text, { reactions: reactions.get(row.id) ?? [], mentions: mentions.get(row.id) ?? [], files: files.get(row.id) ?? [], ...(urgentReason === undefined ? {} : { urgentReason }) });
  });
  await reportDamaged(db, keys, damaged.map((row) => ({ type: 'message', id: row.id, roomId: row.room_id })));
  return messages;
}

/**
 * The text of one message a request works with (an edit, a forward, a reaction answered with the message): a
 * damaged one answers CONTENT_DAMAGED, reported once to the audit log.
 */
export async function requireMessageText(db: Kysely<Database>, keys: Keyring, row: MessageRow): Promise<string> {
  await keys.ensure(db, bodyKeyOwners([row.room_id]));
  const text = openOrUndefined(keys, row);
  if (text !== undefined) return text;
  await reportDamaged(db, keys, [{ type: 'message', id: row.id, roomId: row.room_id }]);
  throw new AppError('CONTENT_DAMAGED', { messageId: row.id });
}

function isHidden(row: MessageRow): boolean {
  return row.deleted_at !== null || row.recalled_at !== null;
}

function openOrUndefined(keys: Keyring, row: MessageRow): string | undefined {
  return openedOrUndefined(keys, messagePlace(row.room_id, row.id), row.body);
}

function openedOrUndefined(keys: Keyring, place: BodyPlace, stored: string): string | undefined {
  try {
    return decodeBody(keys, place, stored);
  } catch (error) {
    if (error instanceof ContentDamaged) return undefined;
    throw error;
  }
}
