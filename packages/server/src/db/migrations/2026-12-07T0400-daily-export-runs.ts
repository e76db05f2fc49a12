import type { Kysely } from 'kysely';

// Self-contained: never imports application code. One row per day the scheduled eDiscovery export covers: the row
// is claimed before the export starts (its primary key lets one node of many claim a day) and finished after the
// file is in place, so a restart neither writes a day twice nor skips one.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('daily_export_runs')
    .addColumn('day', 'varchar(10)', (c) => c.primaryKey())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .addColumn('file', 'text')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('daily_export_runs').execute();
}
