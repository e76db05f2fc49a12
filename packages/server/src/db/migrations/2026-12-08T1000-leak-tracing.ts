import type { Kysely } from 'kysely';

// Self-contained: never imports application code. Leak tracing: a marking flag per label (on for `confidential`
// and every label ranked above it, as a fresh install should mark them), a marking setting per room, and the
// trace codes issued to viewers. Trace records have no foreign keys on purpose: they hold no content and must
// outlive the messages, files, rooms and even the usernames they name.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('labels').addColumn('marked', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  const confidential = await db.selectFrom('labels').select('rank').where('id', '=', 'confidential').executeTakeFirst();
  if (confidential) await db.updateTable('labels').set({ marked: 1 }).where('rank', '>=', Number(confidential.rank)).execute();
  await db.schema.alterTable('rooms').addColumn('marking', 'text', (c) => c.notNull().defaultTo('by-label')).execute();
  await db.schema
    .createTable('trace_marks')
    .addColumn('code', 'varchar(9)', (c) => c.primaryKey())
    .addColumn('viewer_id', 'text', (c) => c.notNull())
    .addColumn('viewer_username', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('room_id', 'text')
    .addColumn('issued_at', 'bigint', (c) => c.notNull())
    .addColumn('stamped_sha256', 'text')
    .addColumn('details', 'text')
    .execute();
  // A viewer's recent code for the same item is reused, so a reload does not add a row.
  await db.schema.createIndex('trace_marks_by_viewer_item').on('trace_marks').columns(['viewer_id', 'kind', 'item_id', 'issued_at']).execute();
  // An upload is checked against the stamped copies handed out: a stamped copy uploaded again is a copy of its file.
  await db.schema.createIndex('trace_marks_by_stamped_copy').on('trace_marks').column('stamped_sha256').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('trace_marks').execute();
  await db.schema.alterTable('rooms').dropColumn('marking').execute();
  await db.schema.alterTable('labels').dropColumn('marked').execute();
}
