/**
 * What a backup needs to know of a database snapshot: the last migration it had applied, and the stored files it
 * names. These read the snapshot (a SQLite copy, or PostgreSQL inside the exported snapshot's transaction), not the
 * live installation, so they go through a plain query function rather than the services; they read only file
 * storage keys, never content.
 */
export interface SnapshotContents {
  schemaMigration: string;
  storedFiles: { storageKey: string; thumbnail: boolean }[];
}

export type RawQuery = (query: string) => Record<string, unknown>[] | Promise<Record<string, unknown>[]>;

export async function readSnapshotContentsAsync(query: RawQuery): Promise<SnapshotContents> {
  return contentsOf(await query(MIGRATION_QUERY), await query(FILES_QUERY));
}

export function readSnapshotContents(query: (query: string) => Record<string, unknown>[]): SnapshotContents {
  return contentsOf(query(MIGRATION_QUERY), query(FILES_QUERY));
}

const MIGRATION_QUERY = 'SELECT name FROM kysely_migration ORDER BY name DESC LIMIT 1';
const FILES_QUERY = 'SELECT storage_key, has_thumbnail FROM files ORDER BY storage_key';

function contentsOf(migrations: Record<string, unknown>[], files: Record<string, unknown>[]): SnapshotContents {
  return {
    schemaMigration: String(migrations[0]?.name ?? ''),
    storedFiles: files.map((row) => ({ storageKey: String(row.storage_key), thumbnail: Number(row.has_thumbnail) === 1 })),
  };
}
