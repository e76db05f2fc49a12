import type { EventsTable, MessageRow } from '../db/schema';
import { toWireMessage } from '../messages/message-wire';
import type { HubEvent } from './event-hub';
import { serialiseLogged, type LogEventInput } from './event-log';

/** Stored log entries (message rows and event rows) as the hub routes them, in position order. */
export function hubEventsFromRows(messages: readonly MessageRow[], events: readonly EventsTable[]): HubEvent[] {
  const fromMessages = messages.map((row): HubEvent => {
    const position = Number(row.position);
    return { position, roomId: row.room_id, frame: serialiseLogged(position, { type: 'message.created', message: toWireMessage(row) }) };
  });
  const fromEvents = events.map((row): HubEvent => {
    const position = Number(row.position);
    const event = { type: row.type, ...JSON.parse(row.payload) } as LogEventInput;
    return {
      position,
      ...(row.room_id !== null ? { roomId: row.room_id } : { userId: row.user_id ?? '' }),
      frame: serialiseLogged(position, event),
      ...membershipOf(event, row.room_id),
    };
  });
  return [...fromMessages, ...fromEvents].sort((a, b) => a.position - b.position);
}

/** Membership changes are re-derived from the event itself, so a replayed entry routes like the live one did. */
function membershipOf(event: LogEventInput, roomId: string | null): Pick<HubEvent, 'membership'> {
  if (roomId === null) return {};
  if (event.type === 'room.member_added') return { membership: { roomId, added: event.userIds } };
  if (event.type === 'room.member_removed') return { membership: { roomId, removed: event.userIds } };
  return {};
}
