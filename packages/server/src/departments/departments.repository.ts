import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { Database, DepartmentsTable } from '../db/schema';

export type DepartmentRow = Selectable<DepartmentsTable> & { member_count: number | string };

/** Every department (or just one) with its number of directly assigned people, in one query. */
export async function listDepartments(db: Kysely<Database>, onlyId?: string): Promise<DepartmentRow[]> {
  let query = db
    .selectFrom('departments')
    .leftJoin('user_departments', 'user_departments.department_id', 'departments.id')
    .select(['departments.id', 'departments.name', 'departments.parent_id', 'departments.created_at'])
    .select((eb) => eb.fn.count<number | string>('user_departments.user_id').as('member_count'))
    .groupBy(['departments.id', 'departments.name', 'departments.parent_id', 'departments.created_at'])
    .orderBy('departments.name');
  if (onlyId !== undefined) query = query.where('departments.id', '=', onlyId);
  return query.execute();
}

export async function findDepartment(db: Kysely<Database>, id: string): Promise<Selectable<DepartmentsTable> | undefined> {
  return db.selectFrom('departments').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The parent of each department, for walking up the tree without one query per level. */
export async function readParentLinks(db: Kysely<Database>): Promise<Map<string, string | null>> {
  const rows = await db.selectFrom('departments').select(['id', 'parent_id']).execute();
  return new Map(rows.map((row) => [row.id, row.parent_id]));
}

export async function insertDepartment(trx: Transaction<Database>, row: Insertable<DepartmentsTable>): Promise<void> {
  await trx.insertInto('departments').values(row).execute();
}

export async function updateDepartment(trx: Transaction<Database>, id: string, changes: { name?: string; parent_id?: string | null }): Promise<void> {
  await trx.updateTable('departments').set(changes).where('id', '=', id).execute();
}

export async function deleteDepartment(trx: Transaction<Database>, id: string): Promise<void> {
  await trx.deleteFrom('departments').where('id', '=', id).execute();
}

/** Whether anything still hangs off a department: a sub-department or an assigned person. */
export async function departmentHasContents(db: Kysely<Database>, id: string): Promise<boolean> {
  const child = await db.selectFrom('departments').select('id').where('parent_id', '=', id).limit(1).executeTakeFirst();
  if (child) return true;
  const member = await db.selectFrom('user_departments').select('user_id').where('department_id', '=', id).limit(1).executeTakeFirst();
  return member !== undefined;
}

export async function findExistingDepartmentIds(db: Kysely<Database>, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('departments').select('id').where('id', 'in', ids).execute();
  return rows.map((row) => row.id);
}

export async function replaceUserDepartments(trx: Transaction<Database>, userId: string, departmentIds: readonly string[]): Promise<void> {
  await trx.deleteFrom('user_departments').where('user_id', '=', userId).execute();
  if (departmentIds.length > 0) {
    await trx
      .insertInto('user_departments')
      .values(departmentIds.map((department_id) => ({ user_id: userId, department_id })))
      .execute();
  }
}
