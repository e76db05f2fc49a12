import type { User } from '@enclave/protocol';
import type { PublicUserRow } from './users.repository';

export function toWireUser(row: PublicUserRow): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    createdAt: new Date(Number(row.created_at)).toISOString(),
  };
}
