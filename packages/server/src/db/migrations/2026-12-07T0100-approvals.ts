import type { Kysely } from 'kysely';

// Self-contained: never imports application code. Separation of duties: a change that could give one person the
// power to read conversations they are not in (an admission into a private room, an admin or compliance role, a
// DLP review rule that sees everything) waits here for a second person. `payload` holds what the change does
// (ids, a role, a rule definition), never what anyone wrote. A person's security log reads the audit log by actor
// and by target, through the indexes the audit viewer's migration (2026-12-07T0500) adds.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('approvals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('subject_id', 'text')
    .addColumn('target_id', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text', (c) => c.references('users.id'))
    .addColumn('requested_at', 'bigint', (c) => c.notNull())
    .addColumn('decided_at', 'bigint')
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('approvals_by_status').on('approvals').columns(['status', 'requested_at']).execute();
  await db.schema.createIndex('approvals_by_subject').on('approvals').columns(['kind', 'subject_id', 'target_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('approvals').execute();
}
