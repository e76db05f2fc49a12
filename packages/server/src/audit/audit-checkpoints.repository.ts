import type { Kysely } from 'kysely';
import type { AuditCheckpointsTable, Database } from '../db/schema';

/** The newest entry of the log as stored (not audit_head, which is only what the writers claimed). */
export async function lastEntry(db: Kysely<Database>): Promise<{ seq: number; hash: string } | undefined> {
  const row = await db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return row && { seq: Number(row.seq), hash: row.hash };
}

/** Claims `seq` for a checkpoint: false when another server wrote one for it first. */
export async function insertCheckpoint(db: Kysely<Database>, row: AuditCheckpointsTable): Promise<boolean> {
  const result = await db
    .insertInto('audit_checkpoints')
    .values(row)
    .onConflict((oc) => oc.column('seq').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Gives a claim back when its line could not be written to the file, so a later tick tries again. */
export async function deleteCheckpoint(db: Kysely<Database>, seq: number): Promise<void> {
  await db.deleteFrom('audit_checkpoints').where('seq', '=', seq).execute();
}

export async function latestCheckpoints(db: Kysely<Database>, limit: number): Promise<AuditCheckpointsTable[]> {
  const rows = await db.selectFrom('audit_checkpoints').selectAll().orderBy('seq', 'desc').limit(limit).execute();
  return rows.map((row) => ({ ...row, seq: Number(row.seq), at: Number(row.at) }));
}

/** The stored hashes of the entries at these sequence numbers; a number with no entry is absent. */
export async function entryHashesAt(db: Kysely<Database>, seqs: readonly number[]): Promise<Map<number, string>> {
  const hashes = new Map<number, string>();
  for (let start = 0; start < seqs.length; start += 500) {
    const rows = await db.selectFrom('audit_log').select(['seq', 'hash']).where('seq', 'in', seqs.slice(start, start + 500)).execute();
    for (const row of rows) hashes.set(Number(row.seq), row.hash);
  }
  return hashes;
}
