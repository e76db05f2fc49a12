import type { Kysely } from 'kysely';

// Self-contained: never imports application code. How many pages a PDF's rendered view has, counted at upload so
// that a viewer can offer page navigation without opening the document. Files uploaded before this column existed
// have none until their first page is rendered.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('files').addColumn('page_count', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('files').dropColumn('page_count').execute();
}
