import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/** The room's member ids, sorted, for the audience digest a confirmation is bound to. */
export async function memberIdsOf(db: Kysely<Database>, roomId: string): Promise<string[]> {
  const rows = await db.selectFrom('room_members').select('user_id').where('room_id', '=', roomId).orderBy('user_id').execute();
  return rows.map((row) => row.user_id);
}

/** Every (member, department) pair of a room, with department names. */
export async function memberDepartments(db: Kysely<Database>, roomId: string): Promise<{ userId: string; departmentId: string; name: string }[]> {
  const rows = await db
    .selectFrom('room_members')
    .innerJoin('user_departments', 'user_departments.user_id', 'room_members.user_id')
    .innerJoin('departments', 'departments.id', 'user_departments.department_id')
    .select(['room_members.user_id', 'departments.id', 'departments.name'])
    .where('room_members.room_id', '=', roomId)
    .execute();
  return rows.map((row) => ({ userId: row.user_id, departmentId: row.id, name: row.name }));
}

/** Every (person, department) pair of these people: the departments of a room's members before the room exists. */
export async function departmentsOfUsers(db: Kysely<Database>, userIds: readonly string[]): Promise<{ userId: string; departmentId: string }[]> {
  if (userIds.length === 0) return [];
  const rows = await db.selectFrom('user_departments').select(['user_id', 'department_id']).where('user_id', 'in', [...userIds]).execute();
  return rows.map((row) => ({ userId: row.user_id, departmentId: row.department_id }));
}

/** How many of these people are guests. */
export async function guestCountOf(db: Kysely<Database>, userIds: readonly string[]): Promise<number> {
  if (userIds.length === 0) return 0;
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number | string>().as('n')).where('id', 'in', [...userIds]).where('role', '=', 'guest').executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * Records an accepted confirmation as used; false when it was used already. The token id is the primary key, so of
 * two requests racing with one token exactly one inserts. Ids past their expiry are dropped here: the token's own
 * expiry refuses them from then on.
 */
export async function useConfirmation(db: Kysely<Database>, tokenId: string, expiresAt: number, now: number): Promise<boolean> {
  await db.deleteFrom('used_confirmations').where('expires_at', '<=', now).execute();
  const result = await db.insertInto('used_confirmations').values({ token_id: tokenId, expires_at: expiresAt }).onConflict((conflict) => conflict.column('token_id').doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}
