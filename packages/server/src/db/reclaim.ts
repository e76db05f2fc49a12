import { sql } from 'kysely';
import type { DatabaseHandle } from './database';

/** The tables a room's deletion erases rows from (room-lifecycle.repository.ts `eraseRoom`); the retention purge erases from some of them. */
const ROOM_TABLES = [
  'messages',
  'message_versions',
  'reactions',
  'mentions',
  'message_files',
  'files',
  'held_messages',
  'fingerprints',
  'fingerprint_bands',
  'read_marks',
  'events',
  'room_members',
  'room_member_periods',
  'rooms',
  'search_documents',
  'records',
  'records_documents',
  'data_keys',
] as const;

/**
 * After a deletion has committed, lets the database give up what it still holds of the deleted rows, outside
 * the deletion's transaction (neither step may run inside one).
 *
 * SQLite runs with `secure_delete` on (database.ts), so the freed pages of the main file are zeroed as the rows
 * go; the write-ahead log, however, still holds the pages as they were before. A TRUNCATE checkpoint copies the
 * log into the main file and empties it to zero bytes (wal-checkpoints.ts, on its thread, while the server's
 * queries wait). A reader of an older snapshot in another process (a backup, a command-line tool) can keep the
 * checkpoint from finishing; it is then tried again every fraction of a second until it does, and what the log
 * holds meanwhile is sealed with keys that no longer exist.
 *
 * PostgreSQL keeps deleted rows as dead tuples until vacuum, and its WAL until checkpoints recycle the segments;
 * neither can be forced from here. A plain VACUUM of the touched tables marks the dead tuples' space for reuse
 * sooner, so new rows overwrite it; it does not zero it. What remains is unreadable in any case: it is sealed with
 * the room's key, destroyed in the deletion's transaction (see "Deletion" in docs/admin-guide.md).
 */
export async function reclaimAfterDeletion(database: Pick<DatabaseHandle, 'db' | 'dialect' | 'wal'>): Promise<void> {
  const { db, dialect, wal } = database;
  if (dialect === 'sqlite') {
    await wal?.empty();
    return;
  }
  // Only the tables this installation has (the search index's tables differ between versions).
  const present = await sql<{ tablename: string }>`select tablename from pg_tables where schemaname = current_schema() and tablename in (${sql.join([...ROOM_TABLES])})`.execute(db);
  if (present.rows.length === 0) return;
  await sql`vacuum ${sql.join(present.rows.map((row) => sql.table(row.tablename)))}`.execute(db);
}
