import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { readSnapshotContents, type SnapshotContents } from './backup-snapshot.repository';

export const SQLITE_FILE = 'enclave.db';

/**
 * One consistent snapshot of a live SQLite database with `VACUUM INTO`: it reads inside one read transaction, so
 * it holds everything committed before it started, including what is still only in the WAL, while the server goes
 * on writing (WAL readers and the writer do not block each other). The copy is written compacted, without free
 * pages, so nothing of deleted rows is carried into the backup.
 */
export function snapshotSqlite(dataDir: string, target: string): SnapshotContents {
  const source = new SqliteDatabase(path.join(dataDir, SQLITE_FILE), { fileMustExist: true, timeout: 5000 });
  try {
    source.prepare('VACUUM INTO ?').run(target);
  } finally {
    source.close();
  }
  const snapshot = new SqliteDatabase(target, { readonly: true, fileMustExist: true });
  try {
    return readSnapshotContents((query) => snapshot.prepare(query).all() as Record<string, unknown>[]);
  } finally {
    snapshot.close();
  }
}

export function sqliteInstallationExists(dataDir: string): boolean {
  return existsSync(path.join(dataDir, SQLITE_FILE));
}

/**
 * Whether another process has the database open. A running server keeps its connection open in WAL mode; this
 * asks SQLite for an exclusive lock without waiting, which no one gets while another connection exists. A
 * crashed server leaves no lock behind, so this never refuses a database that nobody uses.
 */
export function sqliteInUse(dataDir: string): boolean {
  if (!sqliteInstallationExists(dataDir)) return false;
  const probe = new SqliteDatabase(path.join(dataDir, SQLITE_FILE), { fileMustExist: true, timeout: 0 });
  try {
    probe.pragma('locking_mode = EXCLUSIVE');
    probe.exec('BEGIN EXCLUSIVE');
    probe.exec('ROLLBACK');
    return false;
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return true;
    throw error;
  } finally {
    probe.close();
  }
}

/** Removes the database's WAL and shared-memory files, which belong to the database being replaced. */
export async function removeSqliteSideFiles(dataDir: string): Promise<void> {
  for (const suffix of ['-wal', '-shm', '-journal']) await rm(path.join(dataDir, `${SQLITE_FILE}${suffix}`), { force: true });
}
