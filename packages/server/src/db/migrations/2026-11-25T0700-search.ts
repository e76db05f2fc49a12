import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Self-contained: never imports application code. The search index holds the segmented words of each visible
// message, keyed by the message's log position (unique, and newest-first order for free). SQLite: an FTS5 table
// that keeps no copy of the text (contentless, with deletes). PostgreSQL: a tsvector per message with a GIN index.
// Messages stored before this migration are indexed by the server at start (search/search-index.ts).

export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await db.schema
      .createTable('search_documents')
      .addColumn('position', 'bigint', (c) => c.primaryKey())
      .addColumn('words', sql`tsvector`, (c) => c.notNull())
      .execute();
    await sql`CREATE INDEX search_documents_words ON search_documents USING gin (words)`.execute(db);
  } else {
    await sql`CREATE VIRTUAL TABLE search_fts USING fts5(words, content='', contentless_delete=1, tokenize='ascii')`.execute(db);
  }
  await db.schema.createTable('search_backfill').addColumn('below_position', 'bigint', (c) => c.notNull()).execute();
  await sql`INSERT INTO search_backfill (below_position) SELECT coalesce(max(position), 0) + 1 FROM messages`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('search_backfill').execute();
  if (db.getExecutor().adapter instanceof PostgresAdapter) await db.schema.dropTable('search_documents').execute();
  else await sql`DROP TABLE search_fts`.execute(db);
}
