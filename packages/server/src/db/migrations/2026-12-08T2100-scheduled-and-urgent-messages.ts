import type { Kysely } from 'kysely';

// Self-contained: never imports application code. An urgent message keeps its sender's reason on the message row
// (null for every ordinary message). A scheduled message waits in `scheduled_messages` until the server sends it:
// its text sealed like a message's (`body`), `status` pending → sending (claimed by one node until
// `claimed_until`) → gone once sent, or failed with `error` (an ErrorBody as JSON) for its sender to restore.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').addColumn('urgent_reason', 'text').execute();
  await db.schema
    .createTable('scheduled_messages')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('room_id', 'varchar(64)', (c) => c.notNull().references('rooms.id').onDelete('cascade'))
    .addColumn('sender_id', 'varchar(64)', (c) => c.notNull().references('users.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('send_at', 'bigint', (c) => c.notNull())
    .addColumn('thread_root_id', 'varchar(64)')
    .addColumn('label', 'varchar(64)')
    .addColumn('restrictions', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('urgent_reason', 'text')
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('claimed_until', 'bigint')
    .addColumn('error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('scheduled_messages_due').on('scheduled_messages').columns(['status', 'send_at']).execute();
  await db.schema.createIndex('scheduled_messages_sender').on('scheduled_messages').columns(['sender_id', 'send_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('scheduled_messages').execute();
  await db.schema.alterTable('messages').dropColumn('urgent_reason').execute();
}
