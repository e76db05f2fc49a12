import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';
import type { ChainedEntry } from './audit-chain';

export type AuditRow = ChainedEntry & { hash: string };

/**
 * Claims the next sequence number. Updating the single audit_head row first takes its lock on PostgreSQL, so
 * concurrent appends queue up and the chain stays linear; the returned hash is the previous entry's.
 */
export async function claimNextSeq(trx: Transaction<Database>): Promise<{ seq: number; prevHash: string }> {
  const head = await trx
    .updateTable('audit_head')
    .set((eb) => ({ seq: eb('seq', '+', 1) }))
    .where('id', '=', 1)
    .returning(['seq', 'hash'])
    .executeTakeFirstOrThrow();
  return { seq: Number(head.seq), prevHash: head.hash };
}

export async function insertEntry(trx: Transaction<Database>, entry: AuditRow): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      seq: entry.seq,
      at: entry.at,
      actor_id: entry.actorId,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId,
      data: entry.data,
      ip: entry.ip,
      prev_hash: entry.prevHash,
      hash: entry.hash,
    })
    .execute();
  await trx.updateTable('audit_head').set({ hash: entry.hash }).where('id', '=', 1).execute();
}

export async function readHead(db: Kysely<Database>): Promise<{ seq: number; hash: string }> {
  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  return { seq: Number(head.seq), hash: head.hash };
}

/** Entries in sequence order after `from`, a page at a time, so verifying a long log does not load it whole. */
export async function* entriesInOrder(db: Kysely<Database>, from = 0, pageSize = 1000): AsyncGenerator<AuditRow> {
  let after = from;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq').limit(pageSize).execute();
    for (const row of rows) {
      yield {
        seq: Number(row.seq),
        at: Number(row.at),
        actorId: row.actor_id,
        action: row.action,
        targetType: row.target_type,
        targetId: row.target_id,
        data: row.data,
        ip: row.ip,
        prevHash: row.prev_hash,
        hash: row.hash,
      };
    }
    if (rows.length < pageSize) return;
    after = Number(rows[rows.length - 1]!.seq);
  }
}
