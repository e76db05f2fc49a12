import type { Kysely, Transaction } from 'kysely';
import type { Database, EventsTable, MessageRow } from '../db/schema';
import { messageReadableBy } from '../messages/messages.access';

/**
 * Reserves `count` consecutive positions in the event log inside the caller's transaction and returns the first.
 * The single log_head row is updated, so on PostgreSQL its row lock orders concurrent writers: positions become
 * visible in commit order and a reader never sees position N+1 before N. That is what makes one number a
 * gap-free resume cursor.
 */
export async function reservePositions(trx: Transaction<Database>, count: number): Promise<number> {
  const { position } = await trx
    .updateTable('log_head')
    .set((eb) => ({ position: eb('position', '+', count) }))
    .where('id', '=', 1)
    .returning('position')
    .executeTakeFirstOrThrow();
  return Number(position) - count + 1;
}

export async function readLogHead(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('log_head').select('position').where('id', '=', 1).executeTakeFirstOrThrow();
  return Number(row.position);
}

export async function insertEvent(trx: Transaction<Database>, event: EventsTable): Promise<void> {
  await trx.insertInto('events').values(event).execute();
}

/** Rows at most per insert: six columns each stay far below either database's limit on bound parameters. */
const INSERT_CHUNK = 500;

export async function insertEvents(trx: Transaction<Database>, events: readonly EventsTable[]): Promise<void> {
  for (let start = 0; start < events.length; start += INSERT_CHUNK) await trx.insertInto('events').values(events.slice(start, start + INSERT_CHUNK)).execute();
}

/** New messages in the user's current rooms after a position that they may read (not hidden, within clearance), oldest first. */
export async function messagesAfter(db: Kysely<Database>, userId: string, after: number, limit: number): Promise<MessageRow[]> {
  return db
    .selectFrom('messages')
    .innerJoin('room_members', (join) => join.onRef('room_members.room_id', '=', 'messages.room_id').on('room_members.user_id', '=', userId))
    .selectAll('messages')
    .where('messages.position', '>', after)
    .where(messageReadableBy(userId))
    .orderBy('messages.position')
    .limit(limit)
    .execute();
}

/** Other logged events addressed to the user or to one of their current rooms after a position, oldest first. */
export async function eventsAfter(db: Kysely<Database>, userId: string, after: number, limit: number): Promise<EventsTable[]> {
  return db
    .selectFrom('events')
    .selectAll()
    .where('position', '>', after)
    .where((eb) =>
      eb.or([
        eb('user_id', '=', userId),
        eb('room_id', 'in', eb.selectFrom('room_members').select('room_id').where('user_id', '=', userId)),
      ]),
    )
    .orderBy('position')
    .limit(limit)
    .execute();
}

/**
 * Every log entry in a position range, whoever it is for: the hub fills gaps with these (and checks each
 * recipient's clearance itself). Hidden messages are left out: nobody sees them any more.
 */
export async function entriesBetween(db: Kysely<Database>, from: number, to: number): Promise<{ messages: MessageRow[]; events: EventsTable[] }> {
  const [messages, events] = await Promise.all([
    db.selectFrom('messages').selectAll().where('position', '>=', from).where('position', '<=', to).where('hidden_at', 'is', null).orderBy('position').execute(),
    db.selectFrom('events').selectAll().where('position', '>=', from).where('position', '<=', to).orderBy('position').execute(),
  ]);
  return { messages, events };
}

/** Messages by id as they are now, hidden ones left out, for replaying events about them. */
export async function messagesByIds(db: Kysely<Database>, ids: readonly string[]): Promise<MessageRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('messages').selectAll().where('id', 'in', ids).where('hidden_at', 'is', null).execute();
}

/** Events stored before rooms' words were kept out of the log: they still carry the whole room. */
function withWholeRooms(db: Kysely<Database>) {
  return db.selectFrom('events').where('type', 'in', ['room.updated', 'room.member_added']).where('payload', 'like', '%"room":{"id":"%","kind":"%');
}

export async function countEventsWithWholeRooms(db: Kysely<Database>): Promise<number> {
  const row = await withWholeRooms(db).select((eb) => eb.fn.countAll<number | string>().as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function eventsWithWholeRooms(db: Kysely<Database>, limit: number): Promise<Pick<EventsTable, 'position' | 'payload'>[]> {
  return withWholeRooms(db).select(['position', 'payload']).orderBy('position').limit(limit).execute();
}

export async function replaceEventPayload(db: Kysely<Database>, position: number, payload: string): Promise<void> {
  await db.updateTable('events').set({ payload }).where('position', '=', position).execute();
}

/**
 * A room's membership events in a position range (both bounds exclusive; none for an open end), newest first, at
 * most `limit`: the lines of one history page. The (room_id, position) index serves it.
 */
export async function membershipEventsBetween(
  db: Kysely<Database>,
  roomId: string,
  range: { after: number | undefined; before: number | undefined },
  limit: number,
): Promise<Pick<EventsTable, 'position' | 'type' | 'payload'>[]> {
  let query = db
    .selectFrom('events')
    .select(['position', 'type', 'payload'])
    .where('room_id', '=', roomId)
    .where('type', 'in', ['room.member_added', 'room.member_removed'])
    .orderBy('position', 'desc')
    .limit(limit);
  if (range.after !== undefined) query = query.where('position', '>', range.after);
  if (range.before !== undefined) query = query.where('position', '<', range.before);
  return query.execute();
}
