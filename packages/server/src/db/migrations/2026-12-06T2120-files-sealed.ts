import type { Kysely } from 'kysely';

// Self-contained: never imports application code. Whether a file is sealed under its own data key: its bytes,
// thumbnail and rendered views on disk and its name and extracted text in this row (1), or still plain (0), as
// files stored before encryption are until the upgrade seals them in place.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('files').addColumn('sealed', 'integer', (column) => column.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('files').dropColumn('sealed').execute();
}
