import type { Message } from '@enclave/protocol';
import type { Kysely, Transaction } from 'kysely';
import type { Actor } from '../auth/actor';
import { recordAudit } from '../audit/audit.service';
import type { Database, MessageRow } from '../db/schema';
import { AppError } from '../http/app-error';
import type { RoomsService, RoomWithMembership } from '../rooms/rooms.service';
import type { SettingsService } from '../settings/settings.service';
import type { EventLog, LogAppender } from '../stream/event-log';
import { encodeBody } from './message-body.codec';
import { hydrateMessages } from './message-hydrate';
import type { MessagesService } from './messages.service';
import { addReaction, findMessage, listPinned, markDeleted, markRecalled, reactionsOf, removeReaction, replaceBody, replaceMentions, setPinned } from './messages.repository';

export interface MessageChangesDeps {
  db: Kysely<Database>;
  eventLog: EventLog;
  rooms: RoomsService;
  messages: MessagesService;
  settings: SettingsService;
}

/** Everything that changes a stored message: edits, deletes, reactions and pins. Each tells the room at once. */
export class MessageChangesService {
  constructor(private readonly deps: MessageChangesDeps) {}

  /** The author edits their message; the text it replaces is kept as a version for compliance. */
  async editMessage(actor: Actor, messageId: string, text: string): Promise<Message> {
    const { message, room } = await this.requireMessage(actor, messageId, 'write');
    if (message.sender_id !== actor.userId) throw new AppError('NOT_MESSAGE_AUTHOR');
    requireVisible(message);
    const mentions = await this.deps.messages.resolveMentions(room, text);
    return this.change(message, async (trx) => {
      await replaceBody(trx, messageId, encodeBody(text), mentions.mentionsAll, Date.now());
      await replaceMentions(trx, message, mentions.mentions);
      await recordAudit(trx, { actorId: actor.userId, action: 'message.edited', target: { type: 'message', id: messageId }, data: { roomId: message.room_id }, ip: actor.ip });
    });
  }

  /** The author deletes their message: members no longer see it; the stored text stays for retention. */
  async deleteMessage(actor: Actor, messageId: string): Promise<void> {
    const { message } = await this.requireMessage(actor, messageId, 'write');
    if (message.sender_id !== actor.userId) throw new AppError('NOT_MESSAGE_AUTHOR');
    if (message.deleted_at !== null) return;
    await this.change(message, async (trx) => {
      await markDeleted(trx, messageId, Date.now());
      await recordAudit(trx, { actorId: actor.userId, action: 'message.deleted', target: { type: 'message', id: messageId }, data: { roomId: message.room_id }, ip: actor.ip });
    });
  }

  /**
   * The author takes a message back within the organisation's recall window: everyone sees "recalled" instead
   * of it, the stored text stays for compliance, and the recall is audited.
   */
  async recall(actor: Actor, messageId: string): Promise<Message> {
    const { message } = await this.requireMessage(actor, messageId, 'write');
    if (message.sender_id !== actor.userId) throw new AppError('NOT_MESSAGE_AUTHOR');
    requireVisible(message);
    const { recallWindowSeconds } = await this.deps.settings.getSettings();
    if (Date.now() - Number(message.created_at) > recallWindowSeconds * 1000) throw new AppError('RECALL_WINDOW_PASSED', { windowSeconds: recallWindowSeconds });
    return this.change(message, async (trx) => {
      await markRecalled(trx, messageId, Date.now());
      await recordAudit(trx, { actorId: actor.userId, action: 'message.recalled', target: { type: 'message', id: messageId }, data: { roomId: message.room_id }, ip: actor.ip });
    });
  }

  async react(actor: Actor, messageId: string, emoji: string, on: boolean): Promise<Message> {
    const { message } = await this.requireMessage(actor, messageId, 'write');
    requireVisible(message);
    await this.deps.eventLog.write(async (trx, log) => {
      if (on) await addReaction(trx, { message_id: messageId, user_id: actor.userId, emoji, created_at: Date.now() });
      else await removeReaction(trx, messageId, actor.userId, emoji);
      await log.lock();
      const reactions = (await reactionsOf(trx, [messageId])).get(messageId) ?? [];
      await log.append({ roomId: message.room_id }, { type: 'reactions.changed', roomId: message.room_id, messageId, reactions });
    });
    return this.current(messageId);
  }

  /** Any member may pin or unpin a message in their room. */
  async pin(actor: Actor, messageId: string, on: boolean): Promise<Message> {
    const { message } = await this.requireMessage(actor, messageId, 'write');
    requireVisible(message);
    return this.change(message, (trx) => setPinned(trx, messageId, on ? { at: Date.now(), by: actor.userId } : null));
  }

  async listPins(actor: Actor, roomId: string): Promise<Message[]> {
    await this.deps.rooms.requireRoomAccess(actor, roomId);
    return hydrateMessages(this.deps.db, await listPinned(this.deps.db, roomId));
  }

  /** Loads a message the actor may see; one they may not is "not found", like one that does not exist. */
  private async requireMessage(actor: Actor, messageId: string, access: 'read' | 'write'): Promise<{ message: MessageRow; room: RoomWithMembership }> {
    const message = await findMessage(this.deps.db, messageId);
    if (!message) throw new AppError('MESSAGE_NOT_FOUND');
    try {
      return { message, room: await this.deps.rooms.requireRoomAccess(actor, message.room_id, access) };
    } catch (error) {
      if (error instanceof AppError && error.code === 'ROOM_NOT_FOUND') throw new AppError('MESSAGE_NOT_FOUND');
      throw error;
    }
  }

  /** Applies a change and announces the message as it now is to its room. */
  private async change(message: MessageRow, apply: (trx: Transaction<Database>) => Promise<void>): Promise<Message> {
    return this.deps.eventLog.write(async (trx, log) => {
      await apply(trx);
      return announceUpdated(trx, log, message.id);
    });
  }

  private async current(messageId: string): Promise<Message> {
    const [message] = await hydrateMessages(this.deps.db, [(await findMessage(this.deps.db, messageId))!]);
    return message!;
  }
}

/** Edits, reactions, pins and recalls need a message members can still see. */
function requireVisible(message: MessageRow): void {
  if (message.deleted_at !== null) throw new AppError('MESSAGE_DELETED');
  if (message.recalled_at !== null) throw new AppError('MESSAGE_RECALLED');
}

/** Tells the message's room about its current state; the log keeps only the id (the text stays in `messages`). */
export async function announceUpdated(trx: Transaction<Database>, log: LogAppender, messageId: string): Promise<Message> {
  await log.lock();
  const [message] = await hydrateMessages(trx, [(await findMessage(trx, messageId))!]);
  await log.append({ roomId: message!.roomId }, { type: 'message.updated', message: message! }, { stored: { messageId } });
  return message!;
}
