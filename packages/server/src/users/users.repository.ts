import type { Insertable, Kysely, Selectable } from 'kysely';
import { containsText } from '../db/contains-text';
import type { Database, UsersTable } from '../db/schema';

export type UserRow = Selectable<UsersTable>;

const publicColumns = ['id', 'username', 'display_name', 'role', 'created_at', 'avatar', 'locale', 'time_zone', 'disabled_at', 'clearance'] as const;
export type PublicUserRow = Pick<UserRow, (typeof publicColumns)[number]>;

export async function insertUser(db: Kysely<Database>, user: Insertable<UsersTable>): Promise<void> {
  await db.insertInto('users').values(user).execute();
}

export async function findUserByUsername(db: Kysely<Database>, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

/** Every column, credentials included: only for signing in. */
export async function findUserRowById(db: Kysely<Database>, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUserById(db: Kysely<Database>, id: string): Promise<PublicUserRow | undefined> {
  return db.selectFrom('users').select(publicColumns).where('id', '=', id).executeTakeFirst();
}

export async function findExistingUserIds(db: Kysely<Database>, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('users').select('id').where('id', 'in', ids).execute();
  return rows.map((row) => row.id);
}

/** Display names by id, for showing who did what (the audit log); ids with no user are absent. */
export async function displayNamesOf(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id, row.display_name]));
}

/** Administrators who can still sign in: the ones that keep the organisation administrable. */
export async function countActiveAdmins(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** The enabled admins: the people who could approve a role grant. */
export async function listEnabledAdmins(db: Kysely<Database>): Promise<{ id: string }[]> {
  return db.selectFrom('users').select(['id']).where('role', '=', 'admin').where('disabled_at', 'is', null).execute();
}

export async function countUsers(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number | string>().as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * One page of people ordered by username, after `afterUsername` when given, optionally filtered by a substring of
 * the username or display name and by department.
 */
export async function listUsers(
  db: Kysely<Database>,
  options: { sharingRoomsWith?: string | undefined; search?: string | undefined; departmentId?: string | undefined; afterUsername?: string | undefined; limit: number },
): Promise<PublicUserRow[]> {
  let query = db.selectFrom('users').select(publicColumns).orderBy('username').limit(options.limit);
  if (options.sharingRoomsWith !== undefined) {
    const viewer = options.sharingRoomsWith;
    query = query.where('id', 'in', (eb) =>
      eb
        .selectFrom('room_members as theirs')
        .innerJoin('room_members as mine', 'mine.room_id', 'theirs.room_id')
        .select('theirs.user_id')
        .where('mine.user_id', '=', viewer),
    );
  }
  if (options.search) {
    const search = options.search;
    query = query.where((eb) => eb.or([containsText('username', search), containsText('display_name', search)]));
  }
  if (options.afterUsername !== undefined) query = query.where('username', '>', options.afterUsername);
  if (options.departmentId !== undefined) {
    const departmentId = options.departmentId;
    query = query.where('id', 'in', (eb) => eb.selectFrom('user_departments').select('user_id').where('department_id', '=', departmentId));
  }
  return query.execute();
}

/** A person's own choices that other people do not see. */
export async function findPreferences(db: Kysely<Database>, userId: string): Promise<{ undoSendSeconds: number }> {
  const row = await db.selectFrom('users').select('undo_send_seconds').where('id', '=', userId).executeTakeFirst();
  return { undoSendSeconds: Number(row?.undo_send_seconds ?? 0) };
}

/** Whether two people are members of at least one room together. */
export async function sharesRoom(db: Kysely<Database>, userId: string, otherId: string): Promise<boolean> {
  const row = await db
    .selectFrom('room_members as mine')
    .innerJoin('room_members as theirs', 'theirs.room_id', 'mine.room_id')
    .select('mine.room_id')
    .where('mine.user_id', '=', userId)
    .where('theirs.user_id', '=', otherId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Which of `userIds` are guests, in one query. */
export async function guestsAmong(db: Kysely<Database>, userIds: readonly string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await db.selectFrom('users').select('id').where('id', 'in', [...new Set(userIds)]).where('role', '=', 'guest').execute();
  return new Set(rows.map((row) => row.id));
}

/** The departments of each of the given users, in one query. */
export async function findDepartmentIdsOf(db: Kysely<Database>, userIds: readonly string[]): Promise<Map<string, string[]>> {
  const byUser = new Map<string, string[]>();
  if (userIds.length === 0) return byUser;
  const rows = await db
    .selectFrom('user_departments')
    .select(['user_id', 'department_id'])
    .where('user_id', 'in', userIds)
    .orderBy('department_id')
    .execute();
  for (const row of rows) byUser.set(row.user_id, [...(byUser.get(row.user_id) ?? []), row.department_id]);
  return byUser;
}

export async function updateUser(
  db: Kysely<Database>,
  id: string,
  changes: Partial<Pick<UserRow, 'display_name' | 'role' | 'password_hash' | 'avatar' | 'locale' | 'time_zone' | 'disabled_at' | 'clearance' | 'undo_send_seconds' | 'password_change_required'>> & {
    updated_at: number;
  },
): Promise<void> {
  await db.updateTable('users').set(changes).where('id', '=', id).execute();
}
