import { randomUUID } from 'node:crypto';
import type { Message } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor';
import type { Database } from '../db/schema';
import { AppError } from '../http/app-error';
import type { LabelsService } from '../labels/labels.service';
import type { RoomsService, RoomWithMembership } from '../rooms/rooms.service';
import { parseMentions } from './mention-parser';
import { hydrateMessages } from './message-hydrate';
import type { MessageWriter } from './message-writer';
import { findMessage, historyPage, memberIdsByUsername, mentionsPage } from './messages.repository';

export interface MessagesDeps {
  db: Kysely<Database>;
  rooms: RoomsService;
  labels: LabelsService;
  writer: MessageWriter;
}

export interface SendInput {
  text: string;
  clientId?: string | undefined;
  threadRootId?: string | undefined;
  alsoSendToRoom?: boolean | undefined;
  label?: string | undefined;
}

export class MessagesService {
  constructor(private readonly deps: MessagesDeps) {}

  /** Checks membership and the thread, then hands the message to the batching writer, which stores and fans it out. */
  async sendMessage(actor: Pick<Actor, 'userId'>, roomId: string, input: SendInput): Promise<Message> {
    return (await this.enqueueMessage(actor, roomId, input)).stored;
  }

  /**
   * The checks of `sendMessage`, resolving as soon as the message is queued; `stored` settles at its commit. The
   * stream uses this to take a connection's next frame without waiting for the commit while keeping send order.
   */
  async enqueueMessage(actor: Pick<Actor, 'userId'>, roomId: string, input: SendInput): Promise<{ stored: Promise<Message> }> {
    const room = await this.deps.rooms.requireRoomAccess(actor, roomId, 'write');
    const label = input.label ?? room.default_label;
    if (!(await this.deps.labels.ranks()).fits(label, room.ceiling)) throw new AppError('LABEL_ABOVE_ROOM_CEILING', { label, ceiling: room.ceiling });
    if (input.threadRootId !== undefined) await this.requireThreadRoot(roomId, input.threadRootId);
    const mentions = await this.resolveMentions(room, input.text);
    const stored = this.deps.writer.write({
      id: randomUUID(),
      roomId,
      senderId: actor.userId,
      text: input.text,
      threadRootId: input.threadRootId ?? null,
      clientId: input.clientId ?? null,
      alsoInRoom: input.threadRootId !== undefined && input.alsoSendToRoom === true,
      label,
      ...mentions,
    });
    return { stored };
  }

  /**
   * Whom a text mentions among the room's members. `@all` is for owners of rooms with more than two people (in a
   * direct message it is just everyone there); anyone else gets MENTION_ALL_FORBIDDEN.
   */
  async resolveMentions(room: RoomWithMembership, text: string): Promise<{ mentions: string[]; mentionsAll: boolean }> {
    const parsed = parseMentions(text);
    if (parsed.all && room.kind !== 'dm' && Number(room.member_count) > 2 && room.my_role !== 'owner') throw new AppError('MENTION_ALL_FORBIDDEN');
    return { mentions: await memberIdsByUsername(this.deps.db, room.id, parsed.usernames), mentionsAll: parsed.all };
  }

  async history(
    actor: Actor,
    roomId: string,
    options: { limit: number; before?: string | undefined; threadRootId?: string | undefined },
  ): Promise<{ messages: Message[]; hasMore: boolean }> {
    await this.deps.rooms.requireRoomAccess(actor, roomId);
    let beforePosition: number | undefined;
    if (options.before !== undefined) {
      const anchor = await findMessage(this.deps.db, options.before);
      if (!anchor || anchor.room_id !== roomId) throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'before', message: 'not a message of this room' }] });
      beforePosition = Number(anchor.position);
    }
    if (options.threadRootId !== undefined) await this.requireThreadRoot(roomId, options.threadRootId);
    const rows = await historyPage(this.deps.db, { roomId, threadRootId: options.threadRootId ?? null, beforePosition, limit: options.limit });
    return { messages: await hydrateMessages(this.deps.db, rows.slice(0, options.limit)), hasMore: rows.length > options.limit };
  }

  /** Messages that mention the actor, newest first, from rooms they are still in. */
  async mentions(actor: Actor, options: { limit: number; before?: string | undefined }): Promise<{ messages: Message[]; hasMore: boolean }> {
    let beforePosition: number | undefined;
    if (options.before !== undefined) {
      const anchor = await findMessage(this.deps.db, options.before);
      if (!anchor) throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'before', message: 'no such message' }] });
      beforePosition = Number(anchor.position);
    }
    const rows = await mentionsPage(this.deps.db, actor.userId, beforePosition, options.limit);
    return { messages: await hydrateMessages(this.deps.db, rows.slice(0, options.limit)), hasMore: rows.length > options.limit };
  }

  /** Threads are one level deep: a reply answers a top-level message of the same room. */
  private async requireThreadRoot(roomId: string, threadRootId: string): Promise<void> {
    const root = await findMessage(this.deps.db, threadRootId);
    if (!root || root.room_id !== roomId || root.thread_root_id !== null) throw new AppError('THREAD_ROOT_INVALID');
  }
}
