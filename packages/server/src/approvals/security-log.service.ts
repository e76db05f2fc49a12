import type { Role, SecurityEvent, SecurityEventKind } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor';
import type { Database } from '../db/schema';
import { peopleByIds } from './approvals.repository';
import { securityEntriesOf } from './security-log.repository';

/** The audit actions about a person's account that their own security log shows, and what it calls them. */
const KINDS: Record<string, SecurityEventKind> = {
  'user.password_reset': 'password-reset-by-admin',
  'user.password_changed': 'password-changed',
  'user.updated': 'role-changed',
  'two_factor.reset': 'two-factor-reset',
  'user.disabled': 'account-disabled',
  'user.enabled': 'account-enabled',
  'auth.login': 'sign-in',
};

const SHOWN = 50;

/**
 * A person's own security log: what was done to their account and by whom (a password an admin set, sessions an
 * admin ended, a role changed, two-factor reset) and their sign-ins. Nothing an administrator does to an account
 * stays hidden from its owner. Read from the audit log, so it cannot say less than the log does.
 */
export class SecurityLogService {
  constructor(private readonly db: Kysely<Database>) {}

  async list(actor: Actor): Promise<SecurityEvent[]> {
    const about = Object.keys(KINDS).filter((action) => action !== 'auth.login');
    const rows = await securityEntriesOf(this.db, actor.userId, about, SHOWN * 2);
    const events = rows.flatMap((row) => {
      const data = JSON.parse(row.data) as { role?: { from: Role; to: Role }; sessionsEnded?: number; requestedBy?: string };
      // A profile edit (a display name) is not a security event; only a role change is.
      if (row.action === 'user.updated' && !data.role) return [];
      return [{ row, data }];
    });
    const shown = events.slice(0, SHOWN);
    const ids = new Set(shown.flatMap(({ row, data }) => [row.actor_id, data.requestedBy].filter((id): id is string => typeof id === 'string')));
    const people = new Map((await peopleByIds(this.db, [...ids])).map((p) => [p.id, { id: p.id, username: p.username, displayName: p.display_name }]));
    const personOf = (id: string | null) => (id ? (people.get(id) ?? null) : null);
    return shown.map(({ row, data }) => ({
      id: Number(row.seq),
      kind: KINDS[row.action]!,
      at: new Date(Number(row.at)).toISOString(),
      // An approved request was carried out by its approver: the log names the admin who asked as the actor.
      actor: personOf(data.requestedBy ?? row.actor_id),
      ...(data.requestedBy ? { approvedBy: personOf(row.actor_id) ?? undefined } : {}),
      ip: row.ip,
      ...(data.role ? { role: data.role } : {}),
      ...(typeof data.sessionsEnded === 'number' ? { sessionsEnded: data.sessionsEnded } : {}),
    }));
  }
}
