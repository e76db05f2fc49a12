import type { Kysely } from 'kysely';

// Self-contained: never imports application code. Uploaded files (the bytes live in the files directory under
// `storage_key`; the row holds what was learned from them) and the messages that carry them. A file's `room_id`
// is where it was uploaded and has no foreign key: a forward may carry the file on after that room is deleted.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('room_id', 'text', (c) => c.notNull())
    .addColumn('uploader_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull().unique())
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('has_thumbnail', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('extracted_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('attached_at', 'bigint')
    .addColumn('held_id', 'text')
    .execute();
  // The sweep of unattached uploads reads pending files by age.
  await db.schema.createIndex('files_pending').on('files').columns(['attached_at', 'created_at']).execute();

  await db.schema
    .createTable('message_files')
    .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id'))
    .addColumn('file_id', 'text', (c) => c.notNull().references('files.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('message_files_pk', ['message_id', 'file_id'])
    .execute();
  // Access to a file asks which messages carry it.
  await db.schema.createIndex('message_files_file').on('message_files').columns(['file_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('message_files').execute();
  await db.schema.dropTable('files').execute();
}
