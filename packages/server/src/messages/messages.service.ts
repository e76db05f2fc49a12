import { randomUUID } from 'node:crypto';
import type { Message } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor';
import type { Database } from '../db/schema';
import { AppError } from '../http/app-error';
import type { RoomsService } from '../rooms/rooms.service';
import type { MessageWriter } from './message-writer';
import { toWireMessage } from './message-wire';
import { findMessage, historyPage } from './messages.repository';

export interface MessagesDeps {
  db: Kysely<Database>;
  rooms: RoomsService;
  writer: MessageWriter;
}

export interface SendInput {
  text: string;
  clientId?: string | undefined;
  threadRootId?: string | undefined;
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
    await this.deps.rooms.requireRoomAccess(actor, roomId);
    if (input.threadRootId !== undefined) await this.requireThreadRoot(roomId, input.threadRootId);
    const stored = this.deps.writer.write({
      id: randomUUID(),
      roomId,
      senderId: actor.userId,
      text: input.text,
      threadRootId: input.threadRootId ?? null,
      clientId: input.clientId ?? null,
    });
    return { stored };
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
    return { messages: rows.slice(0, options.limit).map(toWireMessage), hasMore: rows.length > options.limit };
  }

  /** Threads are one level deep: a reply answers a top-level message of the same room. */
  private async requireThreadRoot(roomId: string, threadRootId: string): Promise<void> {
    const root = await findMessage(this.deps.db, threadRootId);
    if (!root || root.room_id !== roomId || root.thread_root_id !== null) throw new AppError('THREAD_ROOT_INVALID');
  }
}
