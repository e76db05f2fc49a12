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
