import type { Kysely } from 'kysely';

// Self-contained: never imports application code. Set when a person must choose a new password before doing
// anything else: their password no longer passes the policy (found at sign-in), or an administrator set it.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('password_change_required', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('password_change_required').execute();
}
