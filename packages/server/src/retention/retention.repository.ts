import type { Kysely, Transaction } from 'kysely';
import type { Database, RetentionPoliciesTable } from '../db/schema';

export type RetentionPolicyRow = RetentionPoliciesTable;
type Db = Kysely<Database> | Transaction<Database>;

export async function listPolicyRows(db: Db): Promise<RetentionPolicyRow[]> {
  return db.selectFrom('retention_policies').selectAll().orderBy('scope').orderBy('target_id').execute();
}

export async function findPolicyRow(db: Db, scope: RetentionPolicyRow['scope'], targetId: string): Promise<RetentionPolicyRow | undefined> {
  return db.selectFrom('retention_policies').selectAll().where('scope', '=', scope).where('target_id', '=', targetId).executeTakeFirst();
}

export async function upsertPolicyRow(trx: Transaction<Database>, row: RetentionPolicyRow): Promise<void> {
  const { scope: _scope, target_id: _target, ...changes } = row;
  await trx
    .insertInto('retention_policies')
    .values(row)
    .onConflict((oc) => oc.columns(['scope', 'target_id']).doUpdateSet(changes))
    .execute();
}

export async function deletePolicyRow(trx: Transaction<Database>, scope: RetentionPolicyRow['scope'], targetId: string): Promise<boolean> {
  const result = await trx.deleteFrom('retention_policies').where('scope', '=', scope).where('target_id', '=', targetId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
