import type { Kysely } from 'kysely';

// Self-contained: never imports application code. What the retention purge run in progress has erased and not yet
// recorded in the audit log: counts per room only (JSON), rewritten in each batch's own transaction, so a run whose
// node dies leaves behind exactly what its committed batches erased, for the next run to audit.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('purge_unaudited')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('counts', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'varchar(64)')
    .addColumn('ip', 'varchar(100)')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('purge_unaudited').execute();
}
