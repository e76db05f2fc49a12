import type { Kysely } from 'kysely';

// Self-contained: never imports application code. A recalled message keeps its text for compliance.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').addColumn('recalled_at', 'bigint').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').dropColumn('recalled_at').execute();
}
