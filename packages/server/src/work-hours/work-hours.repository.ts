import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { AfterHoursCountsTable, Database, HolidaysTable, PersonalSchedulesTable, WorkSchedulesTable } from '../db/schema';

export type WorkScheduleRow = WorkSchedulesTable;
export type HolidayRow = HolidaysTable;
export type PersonalScheduleRow = Selectable<PersonalSchedulesTable>;
/** A person's own choices as written; when their summary was released is written only by claimSummaryRelease. */
export type PersonalChoicesRow = Omit<Insertable<PersonalSchedulesTable>, 'summary_released_for'>;
type Db = Kysely<Database> | Transaction<Database>;

/** The department id of the organisation's own schedule row. */
export const ORGANISATION = '';

export async function listScheduleRows(db: Db): Promise<WorkScheduleRow[]> {
  return db.selectFrom('work_schedules').selectAll().orderBy('department_id').execute();
}

export async function upsertScheduleRow(trx: Transaction<Database>, row: WorkScheduleRow): Promise<void> {
  const { department_id: _, ...changes } = row;
  await trx.insertInto('work_schedules').values(row).onConflict((oc) => oc.column('department_id').doUpdateSet(changes)).execute();
}

export async function deleteScheduleRow(trx: Transaction<Database>, departmentId: string): Promise<number> {
  const result = await trx.deleteFrom('work_schedules').where('department_id', '=', departmentId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Calendar days in date order, of one year (by its YYYY prefix) or all. */
export async function listHolidayRows(db: Db, year?: number): Promise<HolidayRow[]> {
  let query = db.selectFrom('holidays').selectAll().orderBy('day');
  if (year !== undefined) query = query.where('day', '>=', `${year}-01-01`).where('day', '<=', `${year}-12-31`);
  return query.execute();
}

/** Writes the days, telling which were already on the calendar (so an import can say what it changed). */
export async function upsertHolidayRows(trx: Transaction<Database>, rows: readonly HolidayRow[]): Promise<{ added: number; updated: number }> {
  if (rows.length === 0) return { added: 0, updated: 0 };
  const existing = await trx.selectFrom('holidays').select('day').where('day', 'in', rows.map((row) => row.day)).execute();
  for (const row of rows) {
    await trx.insertInto('holidays').values(row).onConflict((oc) => oc.column('day').doUpdateSet({ kind: row.kind, name: row.name, updated_at: row.updated_at })).execute();
  }
  return { added: rows.length - existing.length, updated: existing.length };
}

export async function deleteHolidayRow(trx: Transaction<Database>, day: string): Promise<number> {
  const result = await trx.deleteFrom('holidays').where('day', '=', day).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function findPersonalScheduleRows(db: Db, userIds: readonly string[]): Promise<PersonalScheduleRow[]> {
  if (userIds.length === 0) return [];
  return db.selectFrom('personal_schedules').selectAll().where('user_id', 'in', [...userIds]).execute();
}

export async function upsertPersonalScheduleRow(db: Db, row: PersonalChoicesRow): Promise<void> {
  const { user_id: _, ...changes } = row;
  await db.insertInto('personal_schedules').values(row).onConflict((oc) => oc.column('user_id').doUpdateSet(changes)).execute();
}

/**
 * What places people on the policy: their own time zone and the departments they belong to. Read here rather than
 * through the users feature because it is two plain columns needed for many people at once.
 */
export async function findPeoplePlacement(db: Db, userIds: readonly string[]): Promise<Map<string, { timeZone: string | null; departmentIds: string[] }>> {
  const placement = new Map<string, { timeZone: string | null; departmentIds: string[] }>();
  if (userIds.length === 0) return placement;
  const users = await db.selectFrom('users').select(['id', 'time_zone']).where('id', 'in', [...userIds]).execute();
  for (const user of users) placement.set(user.id, { timeZone: user.time_zone, departmentIds: [] });
  const memberships = await db.selectFrom('user_departments').select(['user_id', 'department_id']).where('user_id', 'in', [...userIds]).orderBy('department_id').execute();
  for (const membership of memberships) placement.get(membership.user_id)?.departmentIds.push(membership.department_id);
  return placement;
}

/** Each department's parent, to let a sub-department inherit its parent's hours. */
export async function readDepartmentParents(db: Db): Promise<Map<string, string | null>> {
  const rows = await db.selectFrom('departments').select(['id', 'parent_id']).execute();
  return new Map(rows.map((row) => [row.id, row.parent_id]));
}

export async function departmentExists(db: Db, departmentId: string): Promise<boolean> {
  return (await db.selectFrom('departments').select('id').where('id', '=', departmentId).executeTakeFirst()) !== undefined;
}

/**
 * Marks the summary of the working period starting at `periodStart` released, unless it already was: true for the one
 * caller (of several sessions, or after a restart) that gets to show it.
 */
export async function claimSummaryRelease(db: Kysely<Database>, userId: string, periodStart: number, at: number): Promise<boolean> {
  await db.insertInto('personal_schedules').values({ user_id: userId, days: null, start_time: null, end_time: null, leave: '[]', dnd_until: null, updated_at: at }).onConflict((oc) => oc.column('user_id').doNothing()).execute();
  const result = await db
    .updateTable('personal_schedules')
    .set({ summary_released_for: periodStart })
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('summary_released_for', 'is', null), eb('summary_released_for', '<', periodStart)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The department id under which messages of people in no department are counted. */
export const NO_DEPARTMENT = '';
/** The department id under which every message is counted once: the week's total, whatever the departments. */
export const ALL_DEPARTMENTS = '*';

/**
 * Adds one batch of sends to its week's counts: one statement for all the departments it touched, whatever the
 * number of messages, inside the sending transaction so the counts commit with the messages.
 */
export async function addAfterHoursCounts(trx: Transaction<Database>, weekStart: string, counts: ReadonlyMap<string, number>): Promise<void> {
  if (counts.size === 0) return;
  const rows = [...counts].map(([departmentId, messages]) => ({ week_start: weekStart, department_id: departmentId, messages }));
  await trx
    .insertInto('after_hours_counts')
    .values(rows)
    .onConflict((oc) => oc.columns(['week_start', 'department_id']).doUpdateSet((eb) => ({ messages: eb('after_hours_counts.messages', '+', eb.ref('excluded.messages')) })))
    .execute();
}

/** The counts of the weeks starting from `fromWeek` to `toWeek` (Mondays, YYYY-MM-DD), both included. */
export async function listAfterHoursCounts(db: Db, fromWeek: string, toWeek: string): Promise<AfterHoursCountsTable[]> {
  const rows = await db.selectFrom('after_hours_counts').selectAll().where('week_start', '>=', fromWeek).where('week_start', '<=', toWeek).orderBy('week_start').orderBy('department_id').execute();
  return rows.map((row) => ({ ...row, messages: Number(row.messages) }));
}
