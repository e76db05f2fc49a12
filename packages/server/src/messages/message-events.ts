import type { Message } from '@enclave/protocol';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema';
import type { LogAppender } from '../events/event-log';
import { hydrateMessages } from './message-hydrate';
import { findMessage } from './messages.repository';
import type { Keyring } from '../keys/keyring';

/**
 * Tells the message's room about its current state; the log keeps only the id (the text stays in `messages`).
 * Sits below both the writer (a reply changes its thread root's count) and the changes service (edits, deletes,
 * reactions, pins), so neither has to call up into the other.
 */
export async function announceUpdated(trx: Transaction<Database>, log: LogAppender, keys: Keyring, messageId: string): Promise<Message> {
  await log.lock();
  const [message] = await hydrateMessages(trx, keys, [(await findMessage(trx, messageId))!]);
  await log.append({ roomId: message!.roomId }, { type: 'message.updated', message: message! }, { stored: { messageId } });
  return message!;
}
