import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, TraceMarksTable } from '../db/schema';

export type TraceMarkRow = Selectable<TraceMarksTable>;

/** Records a code; false when the code is taken already (two random codes met), so the caller draws another. */
export async function insertTraceMark(db: Kysely<Database>, row: Insertable<TraceMarksTable>): Promise<boolean> {
  const result = await db.insertInto('trace_marks').values(row).onConflict((conflict) => conflict.column('code').doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** The viewer's newest code for this item issued at or after `since`, if any. */
export async function findRecentTraceMark(db: Kysely<Database>, viewerId: string, kind: TraceMarksTable['kind'], itemId: string, since: number): Promise<TraceMarkRow | undefined> {
  return db
    .selectFrom('trace_marks')
    .selectAll()
    .where('viewer_id', '=', viewerId)
    .where('kind', '=', kind)
    .where('item_id', '=', itemId)
    .where('issued_at', '>=', since)
    .orderBy('issued_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function findTraceMarks(db: Kysely<Database>, codes: readonly string[]): Promise<TraceMarkRow[]> {
  if (codes.length === 0) return [];
  return db.selectFrom('trace_marks').selectAll().where('code', 'in', codes).execute();
}

/** Binds a stamped copy (its SHA-256 and facts about it) to the code stamped into it. */
export async function setStampedCopy(db: Kysely<Database>, code: string, copy: { sha256: string; details: string | null }): Promise<void> {
  await db.updateTable('trace_marks').set({ stamped_sha256: copy.sha256, details: copy.details }).where('code', '=', code).execute();
}
