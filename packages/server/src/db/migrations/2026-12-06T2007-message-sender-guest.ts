import type { Kysely } from 'kysely';

// Self-contained: never imports application code. Whether a message's sender was a guest when they sent it, so
// every reader sees "External" on the author line without a lookup per message. Messages already stored take
// their sender's role as it is now.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('messages')
    .addColumn('sender_guest', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db
    .updateTable('messages')
    .set({ sender_guest: 1 })
    .where('sender_id', 'in', (eb: any) => eb.selectFrom('users').select('id').where('role', '=', 'guest'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').dropColumn('sender_guest').execute();
}
