import type { Room } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import type { Database, EventsTable, MessageRow } from '../db/schema';
import type { Keyring } from '../keys/keyring';
import { hydrateMessages } from '../messages/message-hydrate';
import type { HubEvent } from './hub-event';
import { quietnessOf, serialiseLogged, type LogEventInput } from './event-log';
import { messagesByIds } from './event-log.repository';
import { findRooms, openRoomRows, toWireRoom } from '../rooms/rooms.access';

/**
 * Stored log entries (message rows and event rows) as the hub routes them, in position order. Events about a
 * message store only its id and are filled in from `messages` as it is now; one whose message is gone or hidden
 * is skipped. Each event about a message carries the message's label, for the clearance check of its recipients.
 */
export async function hubEventsFromRows(db: Kysely<Database>, keys: Keyring, messages: readonly MessageRow[], events: readonly EventsTable[]): Promise<HubEvent[]> {
  const created = await hydrateMessages(db, keys, messages);
  const aboutMessages = events.filter((row) => row.type === 'message.updated' || row.type === 'reactions.changed');
  const referenced = await messagesByIds(db, [...new Set(aboutMessages.map((row) => (JSON.parse(row.payload) as { messageId: string }).messageId))]);
  const labels = new Map(referenced.map((row) => [row.id, row.label]));
  const updatedIds = new Set(events.filter((row) => row.type === 'message.updated').map((row) => (JSON.parse(row.payload) as { messageId: string }).messageId));
  const current = new Map((await hydrateMessages(db, keys, referenced.filter((row) => updatedIds.has(row.id)))).map((message) => [message.id, message]));
  const rooms = await roomsShown(db, keys, events);

  const fromMessages = created.map((message): HubEvent => ({
    position: message.position,
    roomId: message.roomId,
    frame: serialiseLogged(message.position, { type: 'message.created', message }),
    label: message.label,
    ...quietnessOf({ type: 'message.created', message }),
  }));
  const fromEvents = events.flatMap((row): HubEvent[] => {
    const position = Number(row.position);
    const payload = JSON.parse(row.payload) as Record<string, unknown>;
    let event: LogEventInput;
    let label: string | undefined;
    if (row.type === 'message.updated') {
      const message = current.get(payload.messageId as string);
      if (!message) return [];
      event = { type: 'message.updated', message };
      label = message.label;
    } else if (isRoomStub(payload.room)) {
      // Events showing a room keep its id only (event-log.ts) and show it as it is now; a room gone is skipped.
      const room = rooms.get(payload.room.id);
      if (!room) return [];
      event = { type: row.type, ...payload, room } as LogEventInput;
    } else {
      event = { type: row.type, ...payload } as LogEventInput;
      if (row.type === 'reactions.changed') {
        label = labels.get(payload.messageId as string);
        if (label === undefined) return [];
      }
    }
    return [
      {
        position,
        ...(row.room_id !== null ? { roomId: row.room_id } : { userId: row.user_id ?? '' }),
        frame: serialiseLogged(position, event),
        ...membershipOf(event, row.room_id),
        ...(label !== undefined ? { label } : {}),
      },
    ];
  });
  return [...fromMessages, ...fromEvents].sort((a, b) => a.position - b.position);
}

function isRoomStub(room: unknown): room is { id: string } {
  return typeof room === 'object' && room !== null && typeof (room as { id?: unknown }).id === 'string' && !('kind' in room);
}

/** The rooms the events show, as they are now, their names and topics opened. */
async function roomsShown(db: Kysely<Database>, keys: Keyring, events: readonly EventsTable[]): Promise<Map<string, Room>> {
  const ids = new Set<string>();
  for (const row of events) {
    if (row.type !== 'room.updated' && row.type !== 'room.member_added') continue;
    const { room } = JSON.parse(row.payload) as { room?: unknown };
    if (isRoomStub(room)) ids.add(room.id);
  }
  const rows = await openRoomRows(db, keys, await findRooms(db, [...ids]));
  return new Map(rows.map((row) => [row.id, toWireRoom(row)]));
}

/** Membership changes are re-derived from the event itself, so a replayed entry routes like the live one did. */
function membershipOf(event: LogEventInput, roomId: string | null): Pick<HubEvent, 'membership'> {
  if (roomId === null) return {};
  if (event.type === 'room.member_added') return { membership: { roomId, added: event.userIds } };
  if (event.type === 'room.member_removed') return { membership: { roomId, removed: event.userIds } };
  return {};
}
