import type { Kysely, Selectable, Transaction } from 'kysely';
import type { ApprovalsTable, Database } from '../db/schema';

export type ApprovalRow = Selectable<ApprovalsTable>;
type Db = Kysely<Database> | Transaction<Database>;

export async function insertApproval(trx: Transaction<Database>, row: ApprovalRow): Promise<void> {
  await trx.insertInto('approvals').values(row).execute();
}

export async function findApproval(db: Db, id: string): Promise<ApprovalRow | undefined> {
  return db.selectFrom('approvals').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The pending requests about the same subject and target, to find one asking for the same change. */
export async function findPendingApprovals(db: Db, kind: ApprovalRow['kind'], subjectId: string | null, targetId: string | null, now: number): Promise<ApprovalRow[]> {
  let query = db.selectFrom('approvals').selectAll().where('kind', '=', kind).where('status', '=', 'pending').where('expires_at', '>', now);
  query = subjectId === null ? query.where('subject_id', 'is', null) : query.where('subject_id', '=', subjectId);
  query = targetId === null ? query.where('target_id', 'is', null) : query.where('target_id', '=', targetId);
  return query.execute();
}

export async function listApprovalRows(db: Db, status: ApprovalRow['status'], limit = 200): Promise<ApprovalRow[]> {
  return db.selectFrom('approvals').selectAll().where('status', '=', status).orderBy('requested_at', 'desc').orderBy('id').limit(limit).execute();
}

/** Whether any pending request is past its time: a read, so that the common case takes no write lock. */
export async function hasOverdueApprovals(db: Db, now: number): Promise<boolean> {
  return (await db.selectFrom('approvals').select('id').where('status', '=', 'pending').where('expires_at', '<=', now).limit(1).executeTakeFirst()) !== undefined;
}

/**
 * Marks every pending request past its time as expired; answers the rows this statement changed, so that of two
 * nodes doing it at once only one reports (and audits) each row.
 */
export async function expireOverdueApprovals(trx: Transaction<Database>, now: number): Promise<ApprovalRow[]> {
  return trx.updateTable('approvals').set({ status: 'expired' }).where('status', '=', 'pending').where('expires_at', '<=', now).returningAll().execute();
}

/** Decides a request that is still pending and unexpired; false when someone else decided it first. */
export async function decideApprovalRow(
  trx: Transaction<Database>,
  id: string,
  decision: { status: ApprovalRow['status']; decidedBy: string; now: number; subjectId?: string | undefined },
): Promise<boolean> {
  const result = await trx
    .updateTable('approvals')
    .set({ status: decision.status, decided_by: decision.decidedBy, decided_at: decision.now, ...(decision.subjectId !== undefined ? { subject_id: decision.subjectId } : {}) })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('expires_at', '>', decision.now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function peopleByIds(db: Db, ids: string[]): Promise<{ id: string; username: string; display_name: string }[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('users').select(['id', 'username', 'display_name']).where('id', 'in', ids).execute();
}
