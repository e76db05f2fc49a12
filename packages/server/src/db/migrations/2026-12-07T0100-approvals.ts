import type { Kysely } from 'kysely';

// Self-contained: never imports application code. Separation of duties: a change that could give one person the
// power to read conversations they are not in (an admission into a private room, an admin or compliance role, a
// DLP review rule that sees everything) waits here for a second person. `payload` holds what the change does
// (ids, a role, a rule definition), never what anyone wrote. `role_granted_by` remembers who alone gave a person
// their current role (no second admin approved it), so an account someone made an admin alone cannot approve that
// someone's own requests.

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
  await db.schema.alterTable('users').addColumn('role_granted_by', 'text').execute();
  // A person's own security log reads the audit entries about them and their sign-ins, newest first.
  await db.schema.createIndex('audit_log_about_target').on('audit_log').columns(['target_id', 'seq']).execute();
  await db.schema.createIndex('audit_log_by_actor').on('audit_log').columns(['actor_id', 'seq']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('audit_log_by_actor').execute();
  await db.schema.dropIndex('audit_log_about_target').execute();
  await db.schema.alterTable('users').dropColumn('role_granted_by').execute();
  await db.schema.dropTable('approvals').execute();
}
