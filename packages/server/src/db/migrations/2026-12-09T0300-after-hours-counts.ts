import type { Kysely } from 'kysely';

// Self-contained: never imports application code. How many messages were sent off work, per ISO week (its Monday,
// YYYY-MM-DD, on the organisation's clock) and per department of the sender ('' for people in none, '*' for every
// message once: the week's total, which counts someone in two departments once). Counts only:
// no user id, no message id, no text, so the report can never lead back to a person or what they wrote.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('after_hours_counts')
    .addColumn('week_start', 'varchar(10)', (c) => c.notNull())
    .addColumn('department_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('messages', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('after_hours_counts_pk', ['week_start', 'department_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('after_hours_counts').execute();
}
