import type { Kysely } from 'kysely';

// Self-contained: never imports application code. How many pages a PDF's rendered view has, learnt when its first
// page is drawn, so that viewers can offer page navigation; null until then.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('files').addColumn('page_count', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('files').dropColumn('page_count').execute();
}
