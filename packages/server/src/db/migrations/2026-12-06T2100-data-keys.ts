import type { Kysely } from 'kysely';

// Self-contained: never imports application code. The data keys that encrypt content at rest, each wrapped by a
// master key that never enters the database: one per room (`room:<id>`), one per file (`file:<id>`, since a file
// can outlive the room it was uploaded to), and installation-wide ones (`search`, `records`). Destroying a row is
// what makes that data unreadable for good.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('data_keys')
    .addColumn('owner', 'text', (c) => c.primaryKey())
    .addColumn('wrapped', 'text', (c) => c.notNull())
    .addColumn('master_key_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('data_keys_by_master').on('data_keys').column('master_key_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('data_keys').execute();
}
