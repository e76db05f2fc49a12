import type { Kysely } from 'kysely';

// Self-contained: never imports application code.

export async function up(db: Kysely<any>): Promise<void> {
  // The last TOTP time step accepted per user, so the same code cannot be used twice.
  await db.schema.alterTable('users').addColumn('totp_last_step', 'bigint').execute();

  // The second sign-in step's challenges: short-lived, single-use, kept only as a hash.
  await db.schema
    .createTable('login_challenges')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('login_challenges_user').on('login_challenges').columns(['user_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('login_challenges').execute();
  await db.schema.alterTable('users').dropColumn('totp_last_step').execute();
}
