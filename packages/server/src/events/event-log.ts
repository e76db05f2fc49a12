import type { LoggedEvent } from '@enclave/protocol';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';
import type { EventHub } from './event-hub';
import type { HubEvent } from './hub-event';
import { insertEvent, insertEvents, reservePositions } from './event-log.repository';

type Unpositioned<E> = E extends LoggedEvent ? Omit<E, 'position'> : never;
export type LogEventInput = Unpositioned<LoggedEvent>;
export type Audience = { roomId: string } | { userId: string };

/** Collects what one transaction adds to the log; its events reach the hub only after the commit. */
export class LogAppender {
  readonly published: HubEvent[] = [];

  constructor(private readonly trx: Transaction<Database>) {}

  /**
   * Stores an event in the `events` table at the next position and queues it for live delivery. `stored`
   * replaces the payload kept in the table: an event about a message stores only its id, so message text lives in
   * one place (`messages`, through the body codec) and is read back from there on replay.
   */
  async append(audience: Audience, event: LogEventInput, options: { membership?: HubEvent['membership']; stored?: object; label?: string } = {}): Promise<number> {
    const position = await reservePositions(this.trx, 1);
    const { type, ...payload } = event;
    await insertEvent(this.trx, {
      position,
      room_id: 'roomId' in audience ? audience.roomId : null,
      user_id: 'userId' in audience ? audience.userId : null,
      type,
      payload: JSON.stringify(options.stored ?? storedPayload(payload)),
      created_at: Date.now(),
    });
    this.announce(position, audience, event, options.membership, options.label);
    return position;
  }

  /**
   * Several events at consecutive positions, reserved at once and stored in one statement: what `append` does for
   * each, for a writer with many (the retention purge tells each room of a batch which messages went).
   */
  async appendAll(entries: readonly { audience: Audience; event: LogEventInput }[]): Promise<void> {
    if (entries.length === 0) return;
    const first = await reservePositions(this.trx, entries.length);
    const createdAt = Date.now();
    await insertEvents(
      this.trx,
      entries.map(({ audience, event }, index) => {
        const { type, ...payload } = event;
        return { position: first + index, room_id: 'roomId' in audience ? audience.roomId : null, user_id: 'userId' in audience ? audience.userId : null, type, payload: JSON.stringify(storedPayload(payload)), created_at: createdAt };
      }),
    );
    entries.forEach(({ audience, event }, index) => this.announce(first + index, audience, event));
  }

  /**
   * Takes the log's lock without reserving anything. Call it before reading state an event will describe (a
   * reaction summary, a message as it now is): writers queue on the lock, so what is read then includes every
   * change committed at an earlier position, and the last event about a thing always carries its final state.
   */
  async lock(): Promise<void> {
    await reservePositions(this.trx, 0);
  }

  /** Reserves positions for rows the caller stores itself (messages are their own log entries). */
  reserve(count: number): Promise<number> {
    return reservePositions(this.trx, count);
  }

  /**
   * Queues an already stored entry for live delivery. An event showing a message carries its label for the hub's
   * clearance check; `label` gives it for events that are about a message without showing it (reactions).
   */
  announce(position: number, audience: Audience, event: LogEventInput, membership?: HubEvent['membership'], label?: string): void {
    const about = label ?? messageLabelOf(event);
    this.published.push({ position, ...audience, frame: serialiseLogged(position, event), ...(membership ? { membership } : {}), ...(about !== undefined ? { label: about } : {}), ...quietnessOf(event) });
  }
}

/**
 * What the `events` table keeps of an event that shows a room (room.updated, room.member_added): the room's id
 * only. Its name and topic are sealed in `rooms` (rooms/room-text.codec.ts) and read back from there on replay, so
 * the log holds none of a room's words and a deleted room leaves none behind in it.
 */
export function storedPayload(payload: Record<string, unknown>): object {
  const room = payload.room as { id?: unknown } | undefined;
  if (room === undefined || typeof room.id !== 'string') return payload;
  return { ...payload, room: { id: room.id } };
}

/** The label of the message an event shows, if it shows one. */
export function messageLabelOf(event: LogEventInput): string | undefined {
  return event.type === 'message.created' || event.type === 'message.updated' ? event.message.label : undefined;
}

/** Whether an event may be delivered quietly to people off work: a new message, unless it is urgent. */
export function quietnessOf(event: LogEventInput): Pick<HubEvent, 'mayBeQuiet'> {
  return event.type === 'message.created' && event.message.urgent === undefined ? { mayBeQuiet: true } : {};
}

/** The frame of a logged event, built once and sent as is to every recipient, live or catching up. */
export function serialiseLogged(position: number, event: LogEventInput): Buffer {
  const { type, ...rest } = event;
  return Buffer.from(JSON.stringify({ type, position, ...rest }));
}

/**
 * The only way to write to the event log: the work runs in one transaction, and what it appended is handed to
 * the hub right after the commit (never before, so nobody sees an event that could still roll back).
 */
export class EventLog {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly hub: Pick<EventHub, 'publish'>,
  ) {}

  async write<T>(work: (trx: Transaction<Database>, log: LogAppender) => Promise<T>): Promise<T> {
    let appender: LogAppender | undefined;
    const result = await this.db.transaction().execute(async (trx) => {
      appender = new LogAppender(trx);
      return work(trx, appender);
    });
    if (appender) this.hub.publish(appender.published);
    return result;
  }
}
