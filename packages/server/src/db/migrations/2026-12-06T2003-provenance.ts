import type { Kysely } from 'kysely';

// Self-contained: never imports application code. Provenance that follows the bytes: every stored message and
// file keeps a fingerprint (hashes only, never content), and the bands of its perceptual and text hashes as rows
// with an index, so that finding look-alikes is a lookup, not a table scan. A copy keeps its origin as JSON on its
// own row, like a forward's `forwarded_from`.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('fingerprints')
    .addColumn('item_id', 'text', (c) => c.primaryKey())
    .addColumn('item_kind', 'text', (c) => c.notNull())
    .addColumn('room_id', 'text', (c) => c.notNull())
    .addColumn('sender_id', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sha256', 'text')
    .addColumn('image_hash', 'text')
    .addColumn('text_signature', 'text')
    .addColumn('origin_id', 'text')
    .addColumn('match', 'text')
    .execute();
  await db.schema.createIndex('fingerprints_sha256').on('fingerprints').column('sha256').execute();
  await db.schema.createIndex('fingerprints_origin').on('fingerprints').column('origin_id').execute();
  await db.schema
    .createTable('fingerprint_bands')
    .addColumn('band', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('fingerprint_bands_pk', ['band', 'item_id'])
    .execute();
  await db.schema.alterTable('messages').addColumn('copied_from', 'text').execute();
  await db.schema.alterTable('files').addColumn('copied_from', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('files').dropColumn('copied_from').execute();
  await db.schema.alterTable('messages').dropColumn('copied_from').execute();
  await db.schema.dropTable('fingerprint_bands').execute();
  await db.schema.dropTable('fingerprints').execute();
}
