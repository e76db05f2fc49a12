import type { Kysely, Transaction } from 'kysely';
import type { Database, MessageRow } from '../db/schema';
import { deleteFileRows, filesOnlyIn } from '../files/files.access';
import { deleteRoomRecords } from '../records/records-search.access';
import { roomMarked, type RoomRow } from './rooms.repository';

export async function setFrozen(trx: Transaction<Database>, roomId: string, frozen: { at: number; by: string; reason: string } | null): Promise<void> {
  await trx
    .updateTable('rooms')
    .set({ frozen_at: frozen?.at ?? null, frozen_by: frozen?.by ?? null, frozen_reason: frozen?.reason ?? null })
    .where('id', '=', roomId)
    .execute();
}

/** Every message of a room, oldest first, a page at a time. */
export async function* roomMessages(db: Kysely<Database>, roomId: string, pageSize = 1000): AsyncGenerator<MessageRow[]> {
  let after = -1;
  for (;;) {
    const rows = await db.selectFrom('messages').selectAll().where('room_id', '=', roomId).where('position', '>', after).orderBy('position').limit(pageSize).execute();
    if (rows.length > 0) yield rows;
    if (rows.length < pageSize) return;
    after = Number(rows[rows.length - 1]!.position);
  }
}

const DELETE_BATCH = 500;

/**
 * Erases a room and everything in it: its messages with their versions, reactions, mentions and files (see
 * `filesOnlyIn`), uploads into it not sent yet, the messages DLP held in it (decided or not) with the files they
 * would carry, fingerprints, read marks, memberships with their history and its logged events. Returns the
 * counts, the files that went (the caller destroys their keys and removes their bytes once this commits).
 */
export async function eraseRoom(
  trx: Transaction<Database>,
  roomId: string,
): Promise<{ messages: number; members: number; held: number; files: { id: string; storage_key: string }[] }> {
  const inRoom = trx.selectFrom('messages').select('id').where('room_id', '=', roomId);
  const heldInRoom = trx.selectFrom('held_messages').select('id').where('room_id', '=', roomId);
  const carried = await filesOnlyIn(trx, roomId);
  // Uploads waiting for a held message to carry them: they go with the held message.
  const waiting = await trx.selectFrom('files').select(['id', 'storage_key']).where('held_id', 'in', heldInRoom).where('attached_at', 'is', null).execute();
  const files = [...new Map([...carried, ...waiting].map((file) => [file.id, file])).values()];
  const fileIds = files.map((file) => file.id);
  // Fingerprints of its messages and of the files that go; a file a forward still carries keeps its own.
  const fingerprinted = [...(await trx.selectFrom('fingerprints').select('item_id').where('room_id', '=', roomId).where('item_kind', '=', 'message').execute()).map((row) => row.item_id), ...fileIds];
  for (let start = 0; start < fingerprinted.length; start += DELETE_BATCH) {
    const batch = fingerprinted.slice(start, start + DELETE_BATCH);
    await trx.deleteFrom('fingerprint_bands').where('item_id', 'in', batch).execute();
    await trx.deleteFrom('fingerprints').where('item_id', 'in', batch).execute();
  }
  await trx.deleteFrom('reactions').where('message_id', 'in', inRoom).execute();
  await trx.deleteFrom('mentions').where('room_id', '=', roomId).execute();
  // The compliance records index keeps terms of the room's earlier, deleted, recalled and held texts: they go too.
  await deleteRoomRecords(trx, roomId);
  await trx.deleteFrom('message_versions').where('message_id', 'in', inRoom).execute();
  await trx.deleteFrom('message_files').where('message_id', 'in', inRoom).execute();
  await deleteFileRows(trx, fileIds);
  const held = await trx.deleteFrom('held_messages').where('room_id', '=', roomId).executeTakeFirst();
  // Messages scheduled into the room would have nowhere to go; their sealed texts go with its key.
  await trx.deleteFrom('scheduled_messages').where('room_id', '=', roomId).execute();
  const messages = await trx.deleteFrom('messages').where('room_id', '=', roomId).executeTakeFirst();
  await trx.deleteFrom('read_marks').where('room_id', '=', roomId).execute();
  await trx.deleteFrom('events').where('room_id', '=', roomId).execute();
  const members = await trx.deleteFrom('room_members').where('room_id', '=', roomId).executeTakeFirst();
  await trx.deleteFrom('room_member_periods').where('room_id', '=', roomId).execute();
  await trx.deleteFrom('rooms').where('id', '=', roomId).execute();
  return { messages: Number(messages.numDeletedRows), members: Number(members.numDeletedRows), held: Number(held.numDeletedRows), files };
}

/**
 * Rooms for the admin console, oldest first, filtered by a department (rooms created by one of its people) and
 * idleness (no message for N days), up to `limit` after (created_at, id). Names are sealed, so the caller filters
 * by name on the opened rows.
 */
export async function searchRooms(
  db: Kysely<Database>,
  filter: { departmentId?: string | undefined; idleBefore?: number | undefined; after?: { createdAt: number; id: string } | undefined; limit: number },
): Promise<RoomRow[]> {
  let query = db.selectFrom('rooms').selectAll().select(roomMarked).orderBy('created_at').orderBy('id').limit(filter.limit);
  if (filter.departmentId) {
    const departmentId = filter.departmentId;
    query = query.where('created_by', 'in', (eb) => eb.selectFrom('user_departments').select('user_id').where('department_id', '=', departmentId));
  }
  if (filter.idleBefore !== undefined) {
    const idleBefore = filter.idleBefore;
    query = query.where((eb) => eb.or([eb('last_message_at', '<', idleBefore), eb.and([eb('last_message_at', 'is', null), eb('created_at', '<', idleBefore)])]));
  }
  if (filter.after) {
    const { createdAt, id } = filter.after;
    query = query.where((eb) => eb.or([eb('created_at', '>', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '>', id)])]));
  }
  return query.execute();
}

export async function ownersOf(db: Kysely<Database>, roomIds: readonly string[]): Promise<Map<string, string[]>> {
  const owners = new Map<string, string[]>();
  if (roomIds.length === 0) return owners;
  const rows = await db.selectFrom('room_members').select(['room_id', 'user_id']).where('room_id', 'in', roomIds).where('role', '=', 'owner').execute();
  for (const row of rows) owners.set(row.room_id, [...(owners.get(row.room_id) ?? []), row.user_id]);
  return owners;
}

export async function peopleByIds(db: Kysely<Database>, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('users').select(['id', 'username', 'display_name']).where('id', 'in', ids).execute();
}

/**
 * The latest export of the room by a compliance officer since `since` (its freezing), read from the audit log,
 * which is where every export is recorded: a deletion that requires an archive requires one of these.
 */
export async function findOfficerExport(db: Kysely<Database>, roomId: string, since: number): Promise<{ actorId: string; at: number; sha256: string } | undefined> {
  const rows = await db
    .selectFrom('audit_log')
    .select(['actor_id', 'at', 'data'])
    .where('target_id', '=', roomId)
    .where('target_type', '=', 'room')
    .where('action', '=', 'room.exported')
    .where('at', '>=', since)
    .orderBy('seq', 'desc')
    .execute();
  for (const row of rows) {
    const data = JSON.parse(row.data) as { byRole?: string; sha256?: string };
    if (data.byRole === 'compliance' && row.actor_id !== null && typeof data.sha256 === 'string') return { actorId: row.actor_id, at: Number(row.at), sha256: data.sha256 };
  }
  return undefined;
}

/** The people of each direct message, in the order they joined: what names a direct message where it has no name. */
export async function dmPeople(db: Kysely<Database>, roomIds: readonly string[]): Promise<Map<string, { id: string; username: string; displayName: string }[]>> {
  const people = new Map<string, { id: string; username: string; displayName: string }[]>();
  if (roomIds.length === 0) return people;
  const rows = await db
    .selectFrom('room_members')
    .innerJoin('users', 'users.id', 'room_members.user_id')
    .select(['room_members.room_id', 'users.id', 'users.username', 'users.display_name'])
    .where('room_members.room_id', 'in', roomIds)
    .orderBy('room_members.joined_at')
    .orderBy('users.id')
    .execute();
  for (const row of rows) people.set(row.room_id, [...(people.get(row.room_id) ?? []), { id: row.id, username: row.username, displayName: row.display_name }]);
  return people;
}
