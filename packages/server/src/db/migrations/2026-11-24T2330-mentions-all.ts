import type { Kysely } from 'kysely';

// Self-contained: never imports application code. A flag rather than a mention row per member, so @all in a room
// of a thousand people is one write.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').addColumn('mentions_all', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').dropColumn('mentions_all').execute();
}
