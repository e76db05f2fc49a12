import { sql, type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely';
import { preparedQuery, type Param } from '../db/prepared-query';
import type { Database, RoomMembersTable, RoomsTable } from '../db/schema';
import { labelMarked } from '../labels/labels.access';
import { messageReadableBy } from '../messages/messages.access';
import { SEALED_PREFIX } from '../keys/sealed';

/** A room as read, with `marked`: whether its view is watermarked (its marking setting, or its ceiling's label). */
export type RoomRow = Selectable<RoomsTable> & { marked: number | string };

/**
 * The room view's effective marking, computed in every query that reads a room, so a label's flag or a room's
 * setting counts from the moment it changes and no copy of it can go stale.
 */
export const roomMarked = sql<number | string>`case when rooms.marking = 'always' then 1 when rooms.marking = 'by-label' and ${labelMarked('rooms.ceiling')} then 1 else 0 end`.as('marked');
export type MembershipRow = Omit<RoomMembersTable, 'last_read_position'> & { last_read_position: number };

export async function insertRoom(trx: Transaction<Database>, room: Insertable<RoomsTable>): Promise<void> {
  await trx.insertInto('rooms').values(room).execute();
}

export async function findRoom(db: Kysely<Database>, roomId: string): Promise<RoomRow | undefined> {
  return db.selectFrom('rooms').selectAll().select(roomMarked).where('id', '=', roomId).executeTakeFirst();
}

export async function findDmByKey(db: Kysely<Database>, dmKey: string): Promise<RoomRow | undefined> {
  return db.selectFrom('rooms').selectAll().select(roomMarked).where('dm_key', '=', dmKey).executeTakeFirst();
}

/** Every room-scoped request and every send asks this first, so it is prepared once. */
const roomForMember = preparedQuery((db, param: Param<{ roomId: string; userId: string }>) =>
  db
    .selectFrom('rooms')
    .innerJoin('room_members', 'room_members.room_id', 'rooms.id')
    .selectAll('rooms')
    .select(roomMarked)
    .select(['room_members.role as my_role', 'room_members.last_read_position', 'room_members.muted'])
    .where('rooms.id', '=', param('roomId'))
    .where('room_members.user_id', '=', param('userId')),
);

/** A room together with the user's membership of it, or nothing when they are not a member. */
export async function findRoomForMember(db: Kysely<Database>, roomId: string, userId: string) {
  return roomForMember.executeTakeFirst(db, { roomId, userId });
}

/** Adds members and opens their stay in the membership history, which says who could read a message when. */
export async function insertMembers(trx: Transaction<Database>, rows: Insertable<RoomMembersTable>[]): Promise<void> {
  if (rows.length === 0) return;
  await trx.insertInto('room_members').values(rows).execute();
  await trx.insertInto('room_member_periods').values(rows.map((row) => ({ room_id: row.room_id, user_id: row.user_id, joined_at: row.joined_at, left_at: null }))).execute();
}

/** Removes a member and closes their stay in the membership history at `leftAt`. */
export async function deleteMember(trx: Transaction<Database>, roomId: string, userId: string, leftAt: number): Promise<number> {
  const result = await trx.deleteFrom('room_members').where('room_id', '=', roomId).where('user_id', '=', userId).executeTakeFirst();
  await trx.updateTable('room_member_periods').set({ left_at: leftAt }).where('room_id', '=', roomId).where('user_id', '=', userId).where('left_at', 'is', null).execute();
  return Number(result.numDeletedRows);
}

/**
 * Who was in these rooms at some time in [from, to]: every stay overlapping it, and from when each room's history
 * is complete (`members_recorded_since`). The caller picks, per moment, the stays that cover it.
 */
export async function memberPeriods(db: Kysely<Database>, roomIds: readonly string[], from: number, to: number): Promise<{ periods: { roomId: string; userId: string; joinedAt: number; leftAt: number | null }[]; recordedSince: Map<string, number> }> {
  if (roomIds.length === 0) return { periods: [], recordedSince: new Map() };
  const rows = await db
    .selectFrom('room_member_periods')
    .selectAll()
    .where('room_id', 'in', [...roomIds])
    .where('joined_at', '<=', to)
    .where((eb) => eb.or([eb('left_at', 'is', null), eb('left_at', '>', from)]))
    .execute();
  const rooms = await db.selectFrom('rooms').select(['id', 'members_recorded_since']).where('id', 'in', [...roomIds]).execute();
  return {
    periods: rows.map((row) => ({ roomId: row.room_id, userId: row.user_id, joinedAt: Number(row.joined_at), leftAt: row.left_at === null ? null : Number(row.left_at) })),
    recordedSince: new Map(rooms.map((room) => [room.id, Number(room.members_recorded_since)])),
  };
}

export async function existingMemberIds(db: Kysely<Database>, roomId: string, userIds: readonly string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await db.selectFrom('room_members').select('user_id').where('room_id', '=', roomId).where('user_id', 'in', userIds).execute();
  return rows.map((row) => row.user_id);
}

export async function countOwners(db: Kysely<Database>, roomId: string): Promise<number> {
  const row = await db
    .selectFrom('room_members')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('room_id', '=', roomId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * Recounts a room's members and guests after a membership change and bumps its membership version (a confirmation
 * token names the version it was given for, so none outlives a change of who is in the room); returns the member
 * count.
 */
export async function refreshMemberCount(trx: Transaction<Database>, roomId: string): Promise<number> {
  const row = await trx
    .selectFrom('room_members')
    .innerJoin('users', 'users.id', 'room_members.user_id')
    .select((eb) => [
      eb.fn.countAll<number | string>().as('count'),
      eb.fn.sum<number | string | null>(eb.case().when('users.role', '=', 'guest').then(1).else(0).end()).as('guests'),
    ])
    .where('room_members.room_id', '=', roomId)
    .executeTakeFirstOrThrow();
  const count = Number(row.count);
  await trx
    .updateTable('rooms')
    .set((eb) => ({ member_count: count, guest_count: Number(row.guests ?? 0), membership_version: eb('membership_version', '+', 1) }))
    .where('id', '=', roomId)
    .execute();
  return count;
}

/** After someone becomes a guest or stops being one, every room they are in recounts its guests; returns them. */
export async function refreshGuestCountsOf(trx: Transaction<Database>, userId: string): Promise<RoomRow[]> {
  const memberships = await trx.selectFrom('room_members').select('room_id').where('user_id', '=', userId).execute();
  const rooms: RoomRow[] = [];
  for (const { room_id } of memberships) {
    await refreshMemberCount(trx, room_id);
    rooms.push((await findRoom(trx, room_id))!);
  }
  return rooms;
}

/** A room's members, each with their account's role so the list can mark guests. */
export async function listMembers(db: Kysely<Database>, roomId: string) {
  return db
    .selectFrom('room_members')
    .innerJoin('users', 'users.id', 'room_members.user_id')
    .select(['room_members.user_id', 'room_members.role', 'room_members.joined_at', 'users.role as account_role'])
    .where('room_members.room_id', '=', roomId)
    .orderBy('room_members.joined_at')
    .execute();
}


export async function roomIdsOfUser(db: Kysely<Database>, userId: string): Promise<string[]> {
  const rows = await db.selectFrom('room_members').select('room_id').where('user_id', '=', userId).execute();
  return rows.map((row) => row.room_id);
}

/** The user's rooms with their membership and how many top-level messages from others they have not read. */
export async function listRoomsOfUser(db: Kysely<Database>, userId: string) {
  return db
    .selectFrom('room_members as mine')
    .innerJoin('rooms', 'rooms.id', 'mine.room_id')
    .leftJoin('messages', (join) =>
      join
        .onRef('messages.room_id', '=', 'mine.room_id')
        .onRef('messages.position', '>', 'mine.last_read_position')
        .onRef('messages.sender_id', '<>', 'mine.user_id')
        // What the main timeline shows counts: top-level messages and replies also sent to the room, that the
        // person may read.
        .on((eb) => eb.or([eb('messages.thread_root_id', 'is', null), eb('messages.also_in_room', '=', 1)]))
        .on(messageReadableBy(userId)),
    )
    .selectAll('rooms')
    .select(roomMarked)
    .select(['mine.role as my_role', 'mine.last_read_position', 'mine.muted'])
    .select((eb) => eb.fn.count<number | string>('messages.id').as('unread_count'))
    .where('mine.user_id', '=', userId)
    .groupBy([
      'rooms.id',
      'rooms.kind',
      'rooms.name',
      'rooms.dm_key',
      'rooms.created_by',
      'rooms.created_at',
      'rooms.member_count',
      'rooms.topic',
      'rooms.department_id',
      'rooms.frozen_at',
      'rooms.frozen_by',
      'rooms.frozen_reason',
      'rooms.last_message_at',
      'mine.role',
      'mine.last_read_position',
      'mine.muted',
    ])
    .orderBy('rooms.created_at')
    .execute();
}

/** Top-level messages from others after a position that the user may read. */
export async function countUnread(db: Kysely<Database>, roomId: string, userId: string, afterPosition: number): Promise<number> {
  const row = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('room_id', '=', roomId)
    .where('position', '>', afterPosition)
    .where('sender_id', '<>', userId)
    .where((eb) => eb.or([eb('thread_root_id', 'is', null), eb('also_in_room', '=', 1)]))
    .where(messageReadableBy(userId))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** For each direct message among the rooms, the members who are not the user. */
export async function dmMembers(db: Kysely<Database>, roomIds: readonly string[], userId: string): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  if (roomIds.length === 0) return result;
  const rows = await db
    .selectFrom('room_members')
    .select(['room_id', 'user_id'])
    .where('room_id', 'in', roomIds)
    .where('user_id', '<>', userId)
    .orderBy('joined_at')
    .execute();
  for (const row of rows) result.set(row.room_id, [...(result.get(row.room_id) ?? []), row.user_id]);
  return result;
}

/**
 * Per room, unread messages from others that mention the user by name or mention everyone, that they may read;
 * rooms without any are left out.
 */
export async function unreadMentionCounts(db: Kysely<Database>, userId: string, roomId?: string): Promise<Map<string, number>> {
  let byName = db
    .selectFrom('mentions')
    .innerJoin('room_members', (join) => join.onRef('room_members.room_id', '=', 'mentions.room_id').on('room_members.user_id', '=', userId))
    .innerJoin('messages', 'messages.id', 'mentions.message_id')
    .select('mentions.room_id as room_id')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('mentions.user_id', '=', userId)
    .where('messages.deleted_at', 'is', null)
    .where('messages.recalled_at', 'is', null)
    .where(messageReadableBy(userId))
    .whereRef('mentions.position', '>', 'room_members.last_read_position')
    .groupBy('mentions.room_id');
  let everyone = db
    .selectFrom('messages')
    .innerJoin('room_members', (join) => join.onRef('room_members.room_id', '=', 'messages.room_id').on('room_members.user_id', '=', userId))
    .select('messages.room_id as room_id')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('messages.mentions_all', '=', 1)
    .where('messages.deleted_at', 'is', null)
    .where('messages.recalled_at', 'is', null)
    .where(messageReadableBy(userId))
    .where('messages.sender_id', '<>', userId)
    .whereRef('messages.position', '>', 'room_members.last_read_position')
    .groupBy('messages.room_id');
  if (roomId !== undefined) {
    byName = byName.where('mentions.room_id', '=', roomId);
    everyone = everyone.where('messages.room_id', '=', roomId);
  }
  const counts = new Map<string, number>();
  for (const row of [...(await byName.execute()), ...(await everyone.execute())]) {
    counts.set(row.room_id, (counts.get(row.room_id) ?? 0) + Number(row.count));
  }
  return counts;
}

export async function updateRoomRow(trx: Transaction<Database>, roomId: string, changes: Partial<Pick<RoomRow, 'name' | 'topic' | 'ceiling' | 'default_label' | 'marking'>>): Promise<void> {
  await trx.updateTable('rooms').set(changes).where('id', '=', roomId).execute();
}

export async function setMuted(db: Kysely<Database>, roomId: string, userId: string, muted: boolean): Promise<void> {
  await db.updateTable('room_members').set({ muted: muted ? 1 : 0 }).where('room_id', '=', roomId).where('user_id', '=', userId).execute();
}

export async function listChannels(db: Kysely<Database>, userId: string) {
  return db
    .selectFrom('rooms')
    .leftJoin('room_members', (join) => join.onRef('room_members.room_id', '=', 'rooms.id').on('room_members.user_id', '=', userId))
    .selectAll('rooms')
    .select(roomMarked)
    .select('room_members.user_id as member_id')
    .where('rooms.kind', '=', 'channel')
    .orderBy('rooms.name')
    .execute();
}

/** The stored name, topic and freeze reason of rooms, for features that show a room's name (room-names.ts opens them). */
export async function roomTextRows(db: Kysely<Database>, roomIds: readonly string[]) {
  if (roomIds.length === 0) return [];
  return db.selectFrom('rooms').select(['id', 'name', 'topic', 'frozen_reason']).where('id', 'in', roomIds).execute();
}

export async function findRooms(db: Kysely<Database>, roomIds: readonly string[]): Promise<RoomRow[]> {
  if (roomIds.length === 0) return [];
  return db.selectFrom('rooms').selectAll().select(roomMarked).where('id', 'in', roomIds).execute();
}

/** Rooms whose name, topic or freeze reason is still stored plain (an installation from before encryption). */
function withPlainText(db: Kysely<Database>) {
  const plain = (column: 'name' | 'topic' | 'frozen_reason') => sql`(${sql.ref(column)} is not null and substr(${sql.ref(column)}, 1, ${SEALED_PREFIX.length}) <> ${SEALED_PREFIX})`;
  return db.selectFrom('rooms').where(sql<boolean>`${plain('name')} or ${plain('topic')} or ${plain('frozen_reason')}`);
}

export async function countRoomsWithPlainText(db: Kysely<Database>): Promise<number> {
  const row = await withPlainText(db).select((eb) => eb.fn.countAll<number | string>().as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function roomsWithPlainText(db: Kysely<Database>, limit: number): Promise<RoomTextRow[]> {
  return withPlainText(db).select(['id', 'name', 'topic', 'frozen_reason']).orderBy('id').limit(limit).execute();
}

export type RoomTextRow = Pick<RoomRow, 'id' | 'name' | 'topic' | 'frozen_reason'>;

/** Replaces a room's stored texts, only if they are still as read (a rename meanwhile wins; the next batch sees it). */
export async function replaceRoomTexts(trx: Transaction<Database>, from: RoomTextRow, to: Omit<RoomTextRow, 'id'>): Promise<boolean> {
  const unchanged = (column: 'name' | 'topic' | 'frozen_reason') => (from[column] === null ? sql`${sql.ref(column)} is null` : sql`${sql.ref(column)} = ${from[column]}`);
  const result = await trx
    .updateTable('rooms')
    .set(to)
    .where('id', '=', from.id)
    .where(sql<boolean>`${unchanged('name')} and ${unchanged('topic')} and ${unchanged('frozen_reason')}`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
