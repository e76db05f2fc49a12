import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Self-contained: never imports application code. The search index now holds words hashed with the installation's
// search key instead of the words themselves. An index built before holds plain words, so it is emptied here and
// the backfill mark is set above the newest message: the server rebuilds the index with hashed terms at its next
// start (search/search-index.ts `indexStoredMessages`, once the keyring is open, before it listens).
//
// SQLite: the FTS5 table is dropped and made again rather than emptied with DELETE, which on a contentless table
// only records the deletions and leaves the words in its segments until they are merged. PostgreSQL: TRUNCATE
// gives the table new files and unlinks the old ones, rather than leaving dead rows for VACUUM.

export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`TRUNCATE search_documents`.execute(db);
  } else {
    await sql`DROP TABLE search_fts`.execute(db);
    await sql`CREATE VIRTUAL TABLE search_fts USING fts5(words, content='', contentless_delete=1, tokenize='ascii')`.execute(db);
  }
  await sql`UPDATE search_backfill SET below_position = (SELECT coalesce(max(position), 0) + 1 FROM messages)`.execute(db);
}

/** Going back leaves an empty index for the older server to rebuild from the start, as when search was added. */
export async function down(db: Kysely<any>): Promise<void> {
  await up(db);
}
