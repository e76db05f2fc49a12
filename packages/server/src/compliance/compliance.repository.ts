import type { Kysely } from 'kysely';
import { containsText } from '../db/contains-text';
import type { AuditLogTable, Database } from '../db/schema';

/** What an officer narrows the audit log to; every part is optional and they combine with AND. */
export interface AuditFilter {
  /** One action, or (ending in `.`) a family of actions. */
  action?: string | undefined;
  actorId?: string | undefined;
  /** Entries about this room: as their target, or naming it anywhere in their data. */
  roomId?: string | undefined;
  /** Milliseconds; `from` inclusive, `to` exclusive. */
  from?: number | undefined;
  to?: number | undefined;
}

/** Audit entries newest first, before `before` when given, that match `filter`. */
export async function latestAuditEntries(db: Kysely<Database>, filter: AuditFilter, page: { before?: number | undefined; limit: number }): Promise<AuditLogTable[]> {
  let query = db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(page.limit);
  if (page.before !== undefined) query = query.where('seq', '<', page.before);
  const { action, actorId, roomId, from, to } = filter;
  if (action !== undefined) {
    query = action.endsWith('.') ? query.where('action', '>=', action).where('action', '<', `${action.slice(0, -1)}/`) : query.where('action', '=', action);
  }
  if (actorId !== undefined) query = query.where('actor_id', '=', actorId);
  if (from !== undefined) query = query.where('at', '>=', from);
  if (to !== undefined) query = query.where('at', '<', to);
  if (roomId !== undefined) {
    // Entries name a room under several keys (roomId, toRoomId, roomIds...); any of them holds the id as a JSON
    // string. Room ids are generated, so the quoted id matches nothing else.
    query = query.where((eb) => eb.or([eb.and([eb('target_type', '=', 'room'), eb('target_id', '=', roomId)]), containsText('data', JSON.stringify(roomId))]));
  }
  const rows = await query.execute();
  return rows.map((row) => ({ ...row, seq: Number(row.seq), at: Number(row.at) }));
}
