import type { Kysely } from 'kysely';
import type { AuditLogTable, Database } from '../db/schema';

/** Audit entries newest first, before `before` when given, of one action or (ending in `.`) a family of actions. */
export async function latestAuditEntries(db: Kysely<Database>, options: { before?: number | undefined; action?: string | undefined; limit: number }): Promise<AuditLogTable[]> {
  let query = db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(options.limit);
  if (options.before !== undefined) query = query.where('seq', '<', options.before);
  if (options.action !== undefined) {
    const action = options.action;
    query = action.endsWith('.') ? query.where('action', '>=', action).where('action', '<', `${action.slice(0, -1)}/`) : query.where('action', '=', action);
  }
  return query.execute();
}
