import type { Kysely } from 'kysely';
import { GENESIS_HASH, hashEntry } from '../src/audit/audit-chain';
import type { AuditLogTable, Database } from '../src/db/schema';
import type { TestServer } from './harness';

export interface StoredEntry extends Omit<AuditLogTable, 'seq'> {
  seq: number;
}

/**
 * Rewrites the whole log the way an attacker with database access would: `change` edits, removes or keeps
 * entries; the result is renumbered from 1, every hash recomputed and audit_head moved to its end, so the chain
 * on its own verifies. `during` runs against the rewritten log; the real log is put back after it.
 */
export async function withRewrittenLog(server: TestServer, change: (rows: StoredEntry[]) => StoredEntry[], during: () => Promise<void>): Promise<void> {
  const db = server.running.database.db;
  const original = (await db.selectFrom('audit_log').selectAll().orderBy('seq').execute()).map((row) => ({ ...row, seq: Number(row.seq), at: Number(row.at) }));
  const head = await db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
  let prevHash = GENESIS_HASH;
  const rewritten = change(original).map((row, index) => {
    const entry = { seq: index + 1, at: row.at, actorId: row.actor_id, action: row.action, targetType: row.target_type, targetId: row.target_id, data: row.data, ip: row.ip, prevHash };
    prevHash = hashEntry(entry);
    return { ...row, seq: entry.seq, prev_hash: entry.prevHash, hash: prevHash };
  });
  await replaceLog(db, rewritten, { seq: rewritten.length, hash: prevHash });
  try {
    await during();
  } finally {
    await replaceLog(db, original, { seq: Number(head.seq), hash: head.hash });
  }
}

async function replaceLog(db: Kysely<Database>, rows: StoredEntry[], head: { seq: number; hash: string }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('audit_log').execute();
    for (let start = 0; start < rows.length; start += 100) await trx.insertInto('audit_log').values(rows.slice(start, start + 100)).execute();
    await trx.updateTable('audit_head').set(head).where('id', '=', 1).execute();
  });
}
