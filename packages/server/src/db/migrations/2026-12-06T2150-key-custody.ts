import type { Kysely } from 'kysely';

// Self-contained: never imports application code. What key management remembers besides the data keys:
// master keys a rotation retired (their ids and when, never the keys), and the installation's encryption state
// (`encryption.complete` once every plain row from before encryption has been sealed).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('retired_master_keys')
    .addColumn('master_key_id', 'text', (c) => c.primaryKey())
    .addColumn('retired_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('keys_state')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('keys_state').execute();
  await db.schema.dropTable('retired_master_keys').execute();
}
