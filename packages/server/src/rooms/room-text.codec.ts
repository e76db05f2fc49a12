import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { roomKeyOwner, type Keyring } from '../keys/keyring';
import { ContentDamaged, isSealed, openText, sealText } from '../keys/sealed';

/**
 * The single door for a room's own words: its name, topic and freeze reason. Every write of `rooms.name`,
 * `rooms.topic` and `rooms.frozen_reason` seals here with the room's data key, and every read opens here, so the
 * database holds no room's words in plain form and deleting the room's key (room-lifecycle) leaves nothing that
 * opens. The associated data names the room and the field (`room/<id>/name`), so a sealed name copied into
 * another room, or into the topic, does not open.
 *
 * Plain stored text is read as it is: that is an installation still being encrypted in place (room-upgrade.ts),
 * or one running with encryption off. That decision is made here and nowhere else.
 */
export type RoomTextField = 'name' | 'topic' | 'frozen-reason';

/** The stored columns this codec owns, under their row names. */
export interface RoomTextColumns {
  id: string;
  name: string | null;
  topic: string | null;
  frozen_reason: string | null;
}

export function roomTextAad(roomId: string, field: RoomTextField): string {
  return `room/${roomId}/${field}`;
}

/** The stored form of one field; `roomKey` comes from `keys.keyFor(trx, roomKeyOwner(id))` in the write's transaction. */
export function sealRoomText(keys: Keyring, roomKey: Buffer, roomId: string, field: RoomTextField, text: string | null): string | null {
  if (text === null || !keys.encrypting) return text;
  return sealText(roomKey, roomTextAad(roomId, field), text);
}

/**
 * The room's key, created in the caller's transaction when the room has none yet: only for a room that transaction
 * creates, since a key made there is remembered even if the transaction rolls back (harmless for a room that then
 * never existed). A room that exists gets its key from `prepareRoomKey` before the transaction.
 */
export async function roomKeyFor(trx: Transaction<Database>, keys: Keyring, roomId: string): Promise<Buffer> {
  return keys.keyFor(trx, roomKeyOwner(roomId));
}

/**
 * Makes sure an existing room has a stored key before a transaction seals its texts (a room from before
 * encryption has none yet): created outside the transaction, it is committed before anything is sealed with it,
 * so a transaction that rolls back never leaves a key in memory that the database does not have.
 */
export async function prepareRoomKey(db: Kysely<Database>, keys: Keyring, roomId: string): Promise<void> {
  if (keys.encrypting) await keys.keyFor(db, roomKeyOwner(roomId));
}

/**
 * Opens one stored field; the room's key must be loaded (`openRoomRows` makes sure of it). A field that does not
 * open (damaged, or its key destroyed) reads as null: the room still works, only that text is missing, and the
 * caller that cares reports it.
 */
export function openRoomText(keys: Keyring, roomId: string, field: RoomTextField, stored: string | null): string | null {
  if (stored === null) return null;
  // Plain only while an installation is being sealed in place, or with encryption off (keys.acceptsPlain).
  if (!isSealed(stored)) return keys.acceptsPlain ? stored : null;
  const owner = roomKeyOwner(roomId);
  // Checked before the cache: once the room's key is destroyed nothing of it opens, remembered or not.
  if (!keys.has(owner)) return null;
  const cache = openedOf(keys);
  const remembered = cache.get(cacheKey(roomId, field));
  if (remembered?.stored === stored) return remembered.text;
  try {
    const text = openText(keys.key(owner), roomTextAad(roomId, field), stored);
    cache.set(cacheKey(roomId, field), { stored, text });
    return text;
  } catch (error) {
    if (error instanceof ContentDamaged) return null;
    throw error;
  }
}

/** Drops what this node remembers of a deleted room's texts. */
export function forgetRoomTexts(keys: Keyring, roomId: string): void {
  const cache = openedOf(keys);
  for (const field of ['name', 'topic', 'frozen-reason'] as const) cache.delete(cacheKey(roomId, field));
}

/**
 * The last opened value of each room's field, in memory beside the keys that opened it: every room-scoped request
 * loads its room, and opening three fields each time would cost more than the request's own work. An entry
 * answers only for the exact stored value it was opened from (every sealing has a fresh IV, so a change is a
 * different value); at most one entry per room and field.
 */
const opened = new WeakMap<Keyring, Map<string, { stored: string; text: string }>>();

function openedOf(keys: Keyring): Map<string, { stored: string; text: string }> {
  let cache = opened.get(keys);
  if (!cache) opened.set(keys, (cache = new Map()));
  return cache;
}

function cacheKey(roomId: string, field: RoomTextField): string {
  return `${roomId}/${field}`;
}

/** Copies of the rows with their name, topic and freeze reason opened, loading any room key not loaded yet. */
export async function openRoomRows<T extends RoomTextColumns>(db: Kysely<Database>, keys: Keyring, rows: readonly T[]): Promise<T[]> {
  await ensureRoomKeys(db, keys, rows.filter((row) => [row.name, row.topic, row.frozen_reason].some((text) => text !== null && isSealed(text))).map((row) => row.id));
  return rows.map((row) => ({
    ...row,
    name: openRoomText(keys, row.id, 'name', row.name),
    topic: openRoomText(keys, row.id, 'topic', row.topic),
    frozen_reason: openRoomText(keys, row.id, 'frozen-reason', row.frozen_reason),
  }));
}

export async function openRoomRow<T extends RoomTextColumns>(db: Kysely<Database>, keys: Keyring, row: T): Promise<T> {
  return (await openRoomRows(db, keys, [row]))[0]!;
}

/** Loads the keys of these rooms that another node created and this one has not loaded yet. */
export async function ensureRoomKeys(db: Kysely<Database>, keys: Keyring, roomIds: readonly string[]): Promise<void> {
  const missing = [...new Set(roomIds)].map(roomKeyOwner).filter((owner) => !keys.has(owner));
  if (missing.length > 0) await keys.ensure(db, missing);
}
