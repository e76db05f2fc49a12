import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor';
import type { Database } from '../db/schema';
import { AppError } from '../http/app-error';
import { findReadableMessage } from '../messages/messages.access';
import type { EventLog } from '../events/event-log';
import { countUnread, unreadMentionCounts } from './rooms.repository';
import { moveReadPosition, readersOf, readPositions } from './read-status.repository';
import type { RoomsService } from './rooms.service';

/** Above this many members a room does not tell everyone who read what: that would be a broadcast per read. */
export const READ_BY_MAX_MEMBERS = 200;

export interface ReadStatusDeps {
  db: Kysely<Database>;
  eventLog: EventLog;
  rooms: RoomsService;
}

/** Read positions: where each member has read up to, who read a message, and telling the others. */
export class ReadStatusService {
  constructor(private readonly deps: ReadStatusDeps) {}

  /**
   * Moves the actor's read position forward to a message (never back). Their other devices hear `room.read`; in
   * rooms of up to READ_BY_MAX_MEMBERS the other members hear `room.read_by`, for "read by 3 of 5".
   */
  async markRead(actor: Actor, roomId: string, messageId: string): Promise<{ lastReadPosition: number; unreadCount: number; mentionCount: number }> {
    const room = await this.deps.rooms.requireRoomAccess(actor, roomId);
    const message = await findReadableMessage(this.deps.db, messageId, actor.userId);
    if (!message || message.room_id !== roomId) throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'messageId', message: 'not a message of this room' }] });
    const lastReadPosition = await this.deps.eventLog.write(async (trx, log) => {
      const { moved, position } = await moveReadPosition(trx, roomId, actor.userId, Number(message.position), Date.now());
      if (!moved) return position;
      await log.append({ userId: actor.userId }, { type: 'room.read', roomId, lastReadPosition: position });
      if (Number(room.member_count) <= READ_BY_MAX_MEMBERS) {
        await log.append({ roomId }, { type: 'room.read_by', roomId, userId: actor.userId, lastReadPosition: position });
      }
      return position;
    });
    const [unreadCount, mentions] = await Promise.all([
      countUnread(this.deps.db, roomId, actor.userId, lastReadPosition),
      unreadMentionCounts(this.deps.db, actor.userId, roomId),
    ]);
    return { lastReadPosition, unreadCount, mentionCount: mentions.get(roomId) ?? 0 };
  }

  async readPositions(actor: Actor, roomId: string) {
    await this.deps.rooms.requireRoomAccess(actor, roomId);
    const rows = await readPositions(this.deps.db, roomId);
    return rows.map((row) => ({ userId: row.user_id, lastReadPosition: Number(row.last_read_position) }));
  }

  /** Who has read a message (its author excepted), and of how many who could. */
  async readers(actor: Actor, messageId: string) {
    const message = await findReadableMessage(this.deps.db, messageId, actor.userId);
    if (!message) throw new AppError('MESSAGE_NOT_FOUND');
    const room = await this.deps.rooms.requireRoomAccess(actor, message.room_id).catch(() => {
      throw new AppError('MESSAGE_NOT_FOUND');
    });
    const rows = await readersOf(this.deps.db, message.room_id, Number(message.position), message.sender_id);
    return {
      readers: rows.map((row) => ({ userId: row.user_id, readAt: new Date(Number(row.read_at)).toISOString() })),
      memberCount: Math.max(0, Number(room.member_count) - 1),
    };
  }
}
