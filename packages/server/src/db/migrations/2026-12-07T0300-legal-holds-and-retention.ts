import type { Kysely } from 'kysely';

// Self-contained: never imports application code. Legal hold matters (their name and description sealed with the
// records key, what they cover as JSON id lists and a time range) and retention policies, one per organisation,
// room or label (the organisation default's target is the empty string, so the pair stays a primary key). And an
// index of fingerprint bands by item: the purge (and a room's deletion) erase an item's bands, which the band-first
// primary key cannot find without reading the whole table.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('legal_holds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('custodian_ids', 'text', (c) => c.notNull())
    .addColumn('room_ids', 'text', (c) => c.notNull())
    .addColumn('from_at', 'bigint')
    .addColumn('to_at', 'bigint')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('released_at', 'bigint')
    .addColumn('released_by', 'text')
    .execute();
  await db.schema
    .createTable('retention_policies')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('delete_after_days', 'integer')
    .addColumn('keep_at_least_days', 'integer')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('retention_policies_pk', ['scope', 'target_id'])
    .execute();
  await db.schema.createIndex('fingerprint_bands_item').on('fingerprint_bands').column('item_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('fingerprint_bands_item').execute();
  await db.schema.dropTable('retention_policies').execute();
  await db.schema.dropTable('legal_holds').execute();
}
