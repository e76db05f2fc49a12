import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Keyring } from '../keys/keyring';
import { openRoomRows } from './room-text.codec';
import { roomTextRows } from './rooms.repository';

/**
 * Rooms' names, opened, for the features that show which room something is in (held messages, copy chains,
 * invites). They never read `rooms.name` themselves: it is sealed, and room-text.codec.ts is its only door.
 */
export async function roomNames(db: Kysely<Database>, keys: Keyring, roomIds: readonly string[]): Promise<Map<string, string | null>> {
  const rows = await openRoomRows(db, keys, await roomTextRows(db, [...new Set(roomIds)]));
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** The name and topic of the rooms rows refer to under other column names (an invite's `room_id`, `room_name`). */
export async function withRoomTexts<T extends { room_id: string | null; room_name: string | null; room_topic?: string | null }>(db: Kysely<Database>, keys: Keyring, rows: readonly T[]): Promise<T[]> {
  const ids = rows.flatMap((row) => (row.room_id === null ? [] : [row.room_id]));
  const opened = new Map((await openRoomRows(db, keys, await roomTextRows(db, ids))).map((row) => [row.id, row]));
  return rows.map((row) => {
    const room = row.room_id === null ? undefined : opened.get(row.room_id);
    if (!room) return row;
    return { ...row, room_name: room.name, ...('room_topic' in row ? { room_topic: room.topic } : {}) };
  });
}
