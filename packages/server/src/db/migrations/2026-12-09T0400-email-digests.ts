import type { Kysely } from 'kysely';

// Self-contained: never imports application code. One row per person an e-mail digest can reach or who chose not
// to get them: the address an administrator set, the person's own choice, and the job's state, kept here so that a
// restart or another node carries on where the last run stopped. `notified_position` is the log position up to
// which everything was mailed or seen while connected; `pending_since` the job's time when it first found something
// newer still unread; `retry_at` and `failures` the back-off after the SMTP server refused or could not be reached.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('email_digests')
    .addColumn('user_id', 'varchar(64)', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('address', 'varchar(320)')
    .addColumn('opted_out', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('notified_position', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('pending_since', 'bigint')
    .addColumn('retry_at', 'bigint')
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('email_digests').execute();
}
