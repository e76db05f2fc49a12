import type { Kysely } from 'kysely';

// Self-contained: never imports application code. Flags are integers (0/1) so both dialects read them alike.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('disabled_at', 'bigint').execute();
  await db.schema.alterTable('users').addColumn('avatar', 'text').execute();
  await db.schema.alterTable('users').addColumn('locale', 'text').execute();
  await db.schema.alterTable('users').addColumn('time_zone', 'text').execute();
  await db.schema.alterTable('users').addColumn('totp_secret', 'text').execute();
  await db.schema.alterTable('users').addColumn('totp_enabled_at', 'bigint').execute();

  await db.schema
    .createTable('totp_recovery_codes')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addPrimaryKeyConstraint('totp_recovery_codes_pk', ['user_id', 'code_hash'])
    .execute();

  await db.schema
    .createTable('departments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text', (c) => c.references('departments.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('user_departments')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('department_id', 'text', (c) => c.notNull().references('departments.id'))
    .addPrimaryKeyConstraint('user_departments_pk', ['user_id', 'department_id'])
    .execute();
  await db.schema.createIndex('user_departments_department').on('user_departments').columns(['department_id']).execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await db.schema.alterTable('rooms').addColumn('topic', 'text').execute();
  await db.schema.alterTable('rooms').addColumn('department_id', 'text').execute();
  await db.schema.alterTable('rooms').addColumn('frozen_at', 'bigint').execute();
  await db.schema.alterTable('rooms').addColumn('frozen_by', 'text').execute();
  await db.schema.alterTable('rooms').addColumn('frozen_reason', 'text').execute();
  await db.schema.alterTable('rooms').addColumn('last_message_at', 'bigint').execute();

  await db.schema.alterTable('room_members').addColumn('muted', 'integer', (c) => c.notNull().defaultTo(0)).execute();

  await db.schema.alterTable('messages').addColumn('edited_at', 'bigint').execute();
  await db.schema.alterTable('messages').addColumn('deleted_at', 'bigint').execute();
  await db.schema.alterTable('messages').addColumn('reply_count', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('messages').addColumn('last_reply_at', 'bigint').execute();
  await db.schema.alterTable('messages').addColumn('pinned_at', 'bigint').execute();
  await db.schema.alterTable('messages').addColumn('pinned_by', 'text').execute();
  await db.schema.alterTable('messages').addColumn('also_in_room', 'integer', (c) => c.notNull().defaultTo(0)).execute();

  await db.schema
    .createTable('message_versions')
    .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('replaced_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('message_versions_pk', ['message_id', 'version'])
    .execute();

  await db.schema
    .createTable('reactions')
    .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('emoji', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('reactions_pk', ['message_id', 'user_id', 'emoji'])
    .execute();

  await db.schema
    .createTable('mentions')
    .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('room_id', 'text', (c) => c.notNull())
    .addColumn('position', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('mentions_pk', ['message_id', 'user_id'])
    .execute();
  await db.schema.createIndex('mentions_user_position').on('mentions').columns(['user_id', 'position']).execute();

  await db.schema
    .createTable('read_marks')
    .addColumn('room_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('position', 'bigint', (c) => c.notNull())
    .addColumn('read_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('read_marks_pk', ['room_id', 'user_id', 'position'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['read_marks', 'mentions', 'reactions', 'message_versions', 'settings', 'user_departments', 'departments', 'totp_recovery_codes']) {
    await db.schema.dropTable(table).execute();
  }
  const columns: Record<string, string[]> = {
    messages: ['also_in_room', 'pinned_by', 'pinned_at', 'last_reply_at', 'reply_count', 'deleted_at', 'edited_at'],
    room_members: ['muted'],
    rooms: ['last_message_at', 'frozen_reason', 'frozen_by', 'frozen_at', 'department_id', 'topic'],
    users: ['totp_enabled_at', 'totp_secret', 'time_zone', 'locale', 'avatar', 'disabled_at'],
  };
  for (const [table, names] of Object.entries(columns)) {
    for (const name of names) await db.schema.alterTable(table).dropColumn(name).execute();
  }
}
