import type { Locale, User } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor';
import type { Database } from '../db/schema';
import { findDepartmentIdsOf, type PublicUserRow } from './users.repository';

export function toWireUser(row: PublicUserRow, departmentIds: string[]): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    avatar: row.avatar,
    locale: row.locale as Locale | null,
    timeZone: row.time_zone,
    disabled: row.disabled_at !== null,
    departmentIds,
    guest: row.role === 'guest',
    clearance: row.clearance,
  };
}

/** Wire users for a list of rows, their departments loaded in one query. */
export async function toWireUsers(db: Kysely<Database>, rows: PublicUserRow[]): Promise<User[]> {
  const departments = await findDepartmentIdsOf(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => toWireUser(row, departments.get(row.id) ?? []));
}

/**
 * People as `viewer` may see them. A guest learns nothing of the organisation's structure: no one's departments
 * but their own.
 */
export function usersSeenBy(viewer: Pick<Actor, 'userId' | 'role'>, users: User[]): User[] {
  if (viewer.role !== 'guest') return users;
  return users.map((user) => (user.id === viewer.userId ? user : { ...user, departmentIds: [] }));
}

export async function toWireUserOf(db: Kysely<Database>, row: PublicUserRow): Promise<User> {
  const [user] = await toWireUsers(db, [row]);
  return user!;
}
