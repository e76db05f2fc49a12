import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, DataKeysTable } from '../db/schema';

/** The only code that reads or writes `data_keys`. */
export type DataKeyRow = DataKeysTable;

/** Whether any data key exists: the installation has encrypted data, so its master key must be the right one. */
export async function dataKeysExist(db: Kysely<Database>): Promise<boolean> {
  const found = await sql<{ present: number }>`select 1 as present from data_keys limit 1`.execute(db).catch((error: unknown) => {
    // Before the migration that creates the table runs there is nothing encrypted yet.
    if (/data_keys/.test(String((error as Error).message))) return { rows: [] };
    throw error;
  });
  return found.rows.length > 0;
}

/** Keys that are not per file: the rooms' and the installation's, loaded when the server starts. */
export async function standingKeys(db: Kysely<Database>): Promise<DataKeyRow[]> {
  return db.selectFrom('data_keys').selectAll().where('owner', 'not like', 'file:%').execute();
}

export async function keysOf(db: Kysely<Database>, owners: readonly string[]): Promise<DataKeyRow[]> {
  if (owners.length === 0) return [];
  return db.selectFrom('data_keys').selectAll().where('owner', 'in', owners).execute();
}

/** Stores a new key unless another request (or node) stored one for the owner first; the stored one wins. */
export async function insertKeyIfAbsent(db: Kysely<Database> | Transaction<Database>, row: DataKeyRow): Promise<DataKeyRow> {
  await db.insertInto('data_keys').values(row).onConflict((oc) => oc.column('owner').doNothing()).execute();
  return db.selectFrom('data_keys').selectAll().where('owner', '=', row.owner).executeTakeFirstOrThrow();
}

export async function deleteKeys(trx: Transaction<Database>, owners: readonly string[]): Promise<number> {
  if (owners.length === 0) return 0;
  const result = await trx.deleteFrom('data_keys').where('owner', 'in', owners).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Keys still wrapped by a master key other than `currentId`, a page at a time (key rotation). */
export async function keysNotWrappedBy(db: Kysely<Database>, currentId: string, limit: number): Promise<DataKeyRow[]> {
  return db.selectFrom('data_keys').selectAll().where('master_key_id', '!=', currentId).orderBy('owner').limit(limit).execute();
}

export async function oneKeyWrappedBy(db: Kysely<Database>, masterKeyId: string): Promise<DataKeyRow | undefined> {
  return db.selectFrom('data_keys').selectAll().where('master_key_id', '=', masterKeyId).limit(1).executeTakeFirst();
}

/** Counts of data keys per master key id. */
export async function keyCountsByMaster(db: Kysely<Database>): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('data_keys')
    .select(['master_key_id', (eb) => eb.fn.countAll<number | string>().as('count')])
    .groupBy('master_key_id')
    .execute();
  return new Map(rows.map((row) => [row.master_key_id, Number(row.count)]));
}

/** Re-wraps one key, only if it is still as it was read (a concurrent rotation step does not double-wrap it). */
export async function replaceWrapping(db: Kysely<Database>, owner: string, from: { wrapped: string }, to: { wrapped: string; masterKeyId: string }): Promise<boolean> {
  const result = await db
    .updateTable('data_keys')
    .set({ wrapped: to.wrapped, master_key_id: to.masterKeyId })
    .where('owner', '=', owner)
    .where('wrapped', '=', from.wrapped)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** How many data keys of each kind exist: per room, per file, and the installation's own. */
export async function keyCountsByKind(db: Kysely<Database>): Promise<{ rooms: number; files: number; installation: number }> {
  const { rows } = await sql<{ kind: string; count: number | string }>`
    select case when owner like 'room:%' then 'rooms' when owner like 'file:%' then 'files' else 'installation' end as kind, count(*) as count
    from data_keys group by 1`.execute(db);
  const counts = { rooms: 0, files: 0, installation: 0 };
  for (const row of rows) counts[row.kind as keyof typeof counts] = Number(row.count);
  return counts;
}

export async function recordRetiredMasterKeys(trx: Transaction<Database>, ids: readonly string[], at: number): Promise<void> {
  if (ids.length === 0) return;
  await trx
    .insertInto('retired_master_keys')
    .values(ids.map((id) => ({ master_key_id: id, retired_at: at })))
    .onConflict((oc) => oc.column('master_key_id').doNothing())
    .execute();
}

export async function retiredMasterKeys(db: Kysely<Database>): Promise<{ master_key_id: string; retired_at: number }[]> {
  return db.selectFrom('retired_master_keys').selectAll().orderBy('retired_at').execute();
}

export async function readKeysState(db: Kysely<Database>, name: string): Promise<string | undefined> {
  const row = await db.selectFrom('keys_state').select('value').where('name', '=', name).executeTakeFirst();
  return row?.value;
}

/** Sets one state value; delete-then-insert is the same on both dialects. `undefined` removes it. */
export async function writeKeysState(db: Kysely<Database>, name: string, value: string | undefined): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('keys_state').where('name', '=', name).execute();
    if (value !== undefined) await trx.insertInto('keys_state').values({ name, value, updated_at: Date.now() }).execute();
  });
}
