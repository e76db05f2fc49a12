import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';

/** Moves a member's read position forward (never back) and records when; returns the position now stored. */
export async function moveReadPosition(trx: Transaction<Database>, roomId: string, userId: string, position: number, now: number): Promise<{ moved: boolean; position: number }> {
  const result = await trx
    .updateTable('room_members')
    .set({ last_read_position: position })
    .where('room_id', '=', roomId)
    .where('user_id', '=', userId)
    .where('last_read_position', '<', position)
    .executeTakeFirst();
  const moved = Number(result.numUpdatedRows) > 0;
  if (moved) {
    await trx
      .insertInto('read_marks')
      .values({ room_id: roomId, user_id: userId, position, read_at: now })
      .onConflict((oc) => oc.columns(['room_id', 'user_id', 'position']).doNothing())
      .execute();
    return { moved, position };
  }
  const row = await trx.selectFrom('room_members').select('last_read_position').where('room_id', '=', roomId).where('user_id', '=', userId).executeTakeFirst();
  return { moved, position: Number(row?.last_read_position ?? 0) };
}

export async function readPositions(db: Kysely<Database>, roomId: string) {
  return db.selectFrom('room_members').select(['user_id', 'last_read_position']).where('room_id', '=', roomId).execute();
}

/** Current members (but the author) who have read up to a position, with the time each first got there. */
export async function readersOf(db: Kysely<Database>, roomId: string, position: number, authorId: string) {
  return db
    .selectFrom('read_marks')
    .innerJoin('room_members', (join) => join.onRef('room_members.room_id', '=', 'read_marks.room_id').onRef('room_members.user_id', '=', 'read_marks.user_id'))
    .select('read_marks.user_id as user_id')
    .select((eb) => eb.fn.min<number | string>('read_marks.read_at').as('read_at'))
    .where('read_marks.room_id', '=', roomId)
    .where('read_marks.position', '>=', position)
    .where('read_marks.user_id', '<>', authorId)
    .groupBy('read_marks.user_id')
    .orderBy('read_at')
    .execute();
}
