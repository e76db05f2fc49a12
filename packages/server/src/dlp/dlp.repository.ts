import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, DlpRulesTable } from '../db/schema';

export type DlpRuleRow = Selectable<DlpRulesTable>;

export async function listRuleRows(db: Kysely<Database>, options: { enabledOnly?: boolean } = {}): Promise<DlpRuleRow[]> {
  let query = db.selectFrom('dlp_rules').selectAll().orderBy('created_at').orderBy('id');
  if (options.enabledOnly) query = query.where('enabled', '=', 1);
  return query.execute();
}

export async function findRuleRow(db: Kysely<Database>, id: string): Promise<DlpRuleRow | undefined> {
  return db.selectFrom('dlp_rules').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertRule(db: Kysely<Database>, row: Insertable<DlpRulesTable>): Promise<void> {
  await db.insertInto('dlp_rules').values(row).execute();
}

/**
 * Every change moves `updated_at` forward, by a millisecond when the clock has not (two changes within one, or a
 * node whose clock is behind): `ruleSetVersion` relies on it to notice the change.
 */
export async function updateRule(db: Kysely<Database>, id: string, changes: Partial<Omit<DlpRuleRow, 'id' | 'created_at' | 'created_by' | 'updated_at'>>, now: number): Promise<void> {
  await db
    .updateTable('dlp_rules')
    .set((eb) => ({ ...changes, updated_at: eb.case().when('updated_at', '<', now).then(now).else(eb('updated_at', '+', 1)).end() }))
    .where('id', '=', id)
    .execute();
}

/**
 * A short answer that changes whenever any rule is created, changed or deleted (how many there are, and the
 * latest and the sum of `updated_at`, which every change moves forward), so a node can tell in one small query
 * whether its compiled rules are still current.
 */
export async function ruleSetVersion(db: Kysely<Database>): Promise<string> {
  const row = await db
    .selectFrom('dlp_rules')
    .select((eb) => [
      eb.fn.countAll<number | string>().as('rules'),
      eb.fn.max<number | string | null>('updated_at').as('latest'),
      eb.fn.sum<number | string | null>('updated_at').as('total'),
    ])
    .executeTakeFirstOrThrow();
  return `${row.rules}:${row.latest ?? ''}:${row.total ?? ''}`;
}

export async function deleteRule(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('dlp_rules').where('id', '=', id).execute();
}
