import type { Role } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { listEnabledAdmins } from './users.repository';

/** The roles that can read or judge other people's conversations, or hand out that power. */
export function isPowerful(role: Role): boolean {
  return role === 'admin' || role === 'compliance';
}

/**
 * Who may approve a change that would give `requesterId` power over `personId`'s account or role: the enabled
 * admins at this moment other than the two of them. Fixed when the request is filed, so an admin made afterwards
 * (perhaps by the requester) can never decide it. An empty list means no one could: the change is made at once.
 */
export async function eligibleApprovers(db: Kysely<Database>, requesterId: string, personId: string): Promise<string[]> {
  return (await listEnabledAdmins(db)).filter((admin) => admin.id !== requesterId && admin.id !== personId).map((admin) => admin.id);
}
