import type { Kysely } from 'kysely';

// Self-contained: never imports application code. Forward, copy and download policies per label and per room,
// per-message restrictions and provenance, guests counted per room, DLP rules and the messages they hold back.

const labelPolicies = [
  { id: 'internal', forwarding: 'internal', copy_allowed: 1, download_allowed: 1 },
  { id: 'confidential', forwarding: 'internal', copy_allowed: 1, download_allowed: 1 },
  { id: 'secret', forwarding: 'never', copy_allowed: 0, download_allowed: 0 },
];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('labels').addColumn('forwarding', 'text', (c) => c.notNull().defaultTo('anywhere')).execute();
  await db.schema.alterTable('labels').addColumn('copy_allowed', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('labels').addColumn('download_allowed', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  for (const { id, ...policy } of labelPolicies) await db.updateTable('labels').set(policy).where('id', '=', id).execute();

  await db.schema.alterTable('rooms').addColumn('guest_count', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('rooms').addColumn('forwarding', 'text', (c) => c.notNull().defaultTo('anywhere')).execute();
  await db.schema.alterTable('rooms').addColumn('copy_allowed', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('rooms').addColumn('download_allowed', 'integer', (c) => c.notNull().defaultTo(1)).execute();

  await db.schema.alterTable('messages').addColumn('restrictions', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('messages').addColumn('forwarded_from', 'text').execute();

  await db.schema.alterTable('users').addColumn('undo_send_seconds', 'integer', (c) => c.notNull().defaultTo(0)).execute();

  await db.schema
    .createTable('dlp_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('detector', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('held_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('room_id', 'text', (c) => c.notNull())
    .addColumn('sender_id', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('rules', 'text', (c) => c.notNull())
    .addColumn('held_at', 'bigint', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'bigint')
    .addColumn('note', 'text')
    .addColumn('message_id', 'text')
    .execute();
  await db.schema.createIndex('held_messages_by_status').on('held_messages').columns(['status', 'held_at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('held_messages').execute();
  await db.schema.dropTable('dlp_rules').execute();
  await db.schema.alterTable('users').dropColumn('undo_send_seconds').execute();
  for (const column of ['forwarded_from', 'restrictions']) await db.schema.alterTable('messages').dropColumn(column).execute();
  for (const column of ['download_allowed', 'copy_allowed', 'forwarding', 'guest_count']) await db.schema.alterTable('rooms').dropColumn(column).execute();
  for (const column of ['download_allowed', 'copy_allowed', 'forwarding']) await db.schema.alterTable('labels').dropColumn(column).execute();
}
