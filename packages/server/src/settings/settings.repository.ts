import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

export async function readSettingValues(db: Kysely<Database>): Promise<Map<string, string>> {
  const rows = await db.selectFrom('settings').select(['key', 'value']).execute();
  return new Map(rows.map((row) => [row.key, row.value]));
}

/** Inserts or replaces one setting; delete-then-insert is the same on both dialects and runs in the caller's transaction. */
export async function writeSettingValue(db: Kysely<Database>, key: string, value: string): Promise<void> {
  await db.deleteFrom('settings').where('key', '=', key).execute();
  await db.insertInto('settings').values({ key, value }).execute();
}
