import type { Kysely } from 'kysely';

// Self-contained: never imports application code. Work hours: the organisation's schedule (department id '') and
// departments' own, the holiday calendar (holidays and adjusted working days by date), and each person's own
// schedule (hours within the policy, leave as JSON periods, do-not-disturb, and the start of the working period
// whose "while you were off" summary was last released, so it is released once).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('work_schedules')
    .addColumn('department_id', 'text', (c) => c.primaryKey())
    .addColumn('days', 'text', (c) => c.notNull())
    .addColumn('start_time', 'text', (c) => c.notNull())
    .addColumn('end_time', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('personal_hours_allowed', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('holidays')
    .addColumn('day', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('personal_schedules')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('days', 'text')
    .addColumn('start_time', 'text')
    .addColumn('end_time', 'text')
    .addColumn('leave', 'text', (c) => c.notNull())
    .addColumn('dnd_until', 'bigint')
    .addColumn('summary_released_for', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('personal_schedules').execute();
  await db.schema.dropTable('holidays').execute();
  await db.schema.dropTable('work_schedules').execute();
}
