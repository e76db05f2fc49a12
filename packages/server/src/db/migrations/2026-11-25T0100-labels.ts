import type { Kysely } from 'kysely';

// Self-contained: never imports application code. The default labels are data, not code, so they are written
// here once; after that administrators rename, recolour and add labels.

const defaults = [
  { id: 'public', rank: 0, name_en: 'Public', name_zh: '公开', colour: '#15803d' },
  { id: 'internal', rank: 1, name_en: 'Internal', name_zh: '内部', colour: '#2563eb' },
  { id: 'confidential', rank: 2, name_en: 'Confidential', name_zh: '机密', colour: '#d97706' },
  { id: 'secret', rank: 3, name_en: 'Secret', name_zh: '绝密', colour: '#dc2626' },
];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('labels')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rank', 'integer', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('colour', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  const now = Date.now();
  await db.insertInto('labels').values(defaults.map((label) => ({ ...label, created_at: now }))).execute();
  await db.schema.alterTable('rooms').addColumn('ceiling', 'text', (c) => c.notNull().defaultTo('internal')).execute();
  await db.schema.alterTable('rooms').addColumn('default_label', 'text', (c) => c.notNull().defaultTo('internal')).execute();
  await db.schema.alterTable('users').addColumn('clearance', 'text', (c) => c.notNull().defaultTo('internal')).execute();
  await db.schema.alterTable('messages').addColumn('label', 'text', (c) => c.notNull().defaultTo('internal')).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').dropColumn('label').execute();
  await db.schema.alterTable('users').dropColumn('clearance').execute();
  await db.schema.alterTable('rooms').dropColumn('default_label').execute();
  await db.schema.alterTable('rooms').dropColumn('ceiling').execute();
  await db.schema.dropTable('labels').execute();
}
