import type { Kysely } from 'kysely';

// Self-contained: never imports application code. Signed anchors of the audit chain (audit/audit-checkpointer.ts):
// the sequence number is the key, so when several servers race to anchor the same entry only one row is written.
// The audit viewer filters by who acted and what on, newest first: indexes for those two.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audit_checkpoints')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('head_hash', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_actor').on('audit_log').columns(['actor_id', 'seq']).execute();
  await db.schema.createIndex('audit_log_target').on('audit_log').columns(['target_id', 'seq']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('audit_log_target').execute();
  await db.schema.dropIndex('audit_log_actor').execute();
  await db.schema.dropTable('audit_checkpoints').execute();
}
