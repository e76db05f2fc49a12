import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Self-contained: never imports application code. The compliance records index: what people's search drops on
// purpose (earlier texts of edited messages, deleted and recalled messages, items DLP held) made findable for
// compliance search only. `records` holds one row per such text with what it is filtered by (no content); the
// hashed terms of its text sit in `records_fts` (SQLite, contentless FTS5) or `records_documents` (PostgreSQL,
// tsvector), keyed by the row's id, as people's index keys messages by position. People's search never reads these.
// `source` names the text once (`v:<message>:<n>`, `d:<message>`, `r:<message>`, `h:<held>`) so indexing it twice
// is refused. The partial index lets the indexer find deleted and recalled messages without scanning them all;
// `messages_sender_position` lets a search by custodian read that person's messages newest first instead of
// scanning everyone's.

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('records')
    .addColumn('id', postgres ? 'bigserial' : 'integer', (c) => (postgres ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('source', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('version', 'integer')
    .addColumn('held_id', 'text')
    .addColumn('room_id', 'text', (c) => c.notNull())
    .addColumn('sender_id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('rank', 'bigint', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('has_file', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('records_at_rank').on('records').columns(['at', 'rank']).execute();
  await db.schema.createIndex('records_room').on('records').columns(['room_id']).execute();
  await db.schema.createIndex('records_message').on('records').columns(['message_id']).execute();
  await db.schema.createIndex('records_held').on('records').columns(['held_id']).execute();
  await sql`CREATE INDEX messages_removed ON messages (position) WHERE deleted_at IS NOT NULL OR recalled_at IS NOT NULL`.execute(db);
  await db.schema.createIndex('messages_sender_position').on('messages').columns(['sender_id', 'position']).execute();
  if (postgres) {
    await db.schema
      .createTable('records_documents')
      .addColumn('record_id', 'bigint', (c) => c.primaryKey())
      .addColumn('words', sql`tsvector`, (c) => c.notNull())
      .execute();
    await sql`CREATE INDEX records_documents_words ON records_documents USING gin (words)`.execute(db);
  } else {
    await sql`CREATE VIRTUAL TABLE records_fts USING fts5(words, content='', contentless_delete=1, tokenize='ascii')`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) await db.schema.dropTable('records_documents').execute();
  else await sql`DROP TABLE records_fts`.execute(db);
  await sql`DROP INDEX messages_sender_position`.execute(db);
  await sql`DROP INDEX messages_removed`.execute(db);
  await db.schema.dropTable('records').execute();
}
