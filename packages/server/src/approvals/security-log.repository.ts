import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

export interface SecurityLogRow {
  seq: number;
  at: number;
  actor_id: string | null;
  action: string;
  data: string;
  ip: string | null;
}

/**
 * Audit entries about one person's account (done by anyone) and their own sign-ins, newest first. Two indexed
 * queries merged rather than one OR, which neither backend answers from an index.
 */
export async function securityEntriesOf(db: Kysely<Database>, userId: string, actionsAboutUser: readonly string[], limit: number): Promise<SecurityLogRow[]> {
  const columns = ['seq', 'at', 'actor_id', 'action', 'data', 'ip'] as const;
  const [about, signIns] = await Promise.all([
    db.selectFrom('audit_log').select(columns).where('target_id', '=', userId).where('target_type', '=', 'user').where('action', 'in', [...actionsAboutUser]).orderBy('seq', 'desc').limit(limit).execute(),
    db.selectFrom('audit_log').select(columns).where('actor_id', '=', userId).where('action', '=', 'auth.login').orderBy('seq', 'desc').limit(limit).execute(),
  ]);
  return [...about, ...signIns].sort((a, b) => Number(b.seq) - Number(a.seq)).slice(0, limit);
}
