import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { migrations } from '../db/migrations/index';
import { FileStore } from '../files/file-store';
import type { MasterKeys } from '../keys/master-key';
import { copyHashed, ProgressCounter, type ProgressListener } from './backup-copy';
import { BackupError } from './backup-error';
import type { BackupEntry, BackupManifest } from './backup-manifest';
import type { InstallationStorage } from './backup.service';
import { verifyBackup } from './backup-verify';
import { postgresInstallationExists, postgresInUse, restorePostgres } from './postgres-backup';
import { removeSqliteSideFiles, SQLITE_FILE, sqliteInstallationExists, sqliteInUse } from './sqlite-backup';

export interface RestoreSummary {
  dir: string;
  backupId: string;
  createdAt: string;
  dialect: 'sqlite' | 'postgres';
  files: number;
  bytes: number;
  /** Whether an existing installation was replaced (--force). */
  replaced: boolean;
}

/**
 * Restores a backup into the configured storage. Nothing is written until the whole backup has verified (MAC and
 * every sum) and the target has been checked: no server using it, and no installation in it unless `force`.
 * Files are restored first and the database last, so an interrupted restore never leaves a database that names
 * files not yet there; the database arrives whole (a renamed copy, or pg_restore in one transaction).
 *
 * `force` replaces an existing installation: the SQLite database (and its WAL) or everything in PostgreSQL's
 * `public` schema, and the stored files, thumbnails and views in the files directory.
 */
export async function restoreBackup(
  storage: InstallationStorage,
  masters: MasterKeys | undefined,
  dir: string,
  options: { force: boolean },
  onProgress?: ProgressListener,
): Promise<RestoreSummary> {
  const verification = await verifyBackup(dir, masters, onProgress);
  if (!verification.ok || !verification.manifest) {
    const keyMissing = verification.problems.some((problem) => problem.kind === 'master-key');
    const listed = verification.problems.slice(0, 5).map((problem) => problem.detail);
    const more = verification.problems.length > 5 ? `; and ${verification.problems.length - 5} more` : '';
    throw new BackupError(
      keyMissing ? 'BACKUP_MASTER_KEY_MISSING' : 'BACKUP_INVALID',
      `Nothing was restored: ${listed.join('; ')}${more}.`,
      { problems: verification.problems },
    );
  }
  const manifest = verification.manifest;
  await checkTarget(storage, manifest, options.force);
  const store = new FileStore(storage.filesDir);
  const replaced = options.force && (await installationExists(storage));
  if (options.force) await clearFileStore(storage.filesDir);
  const progress = new ProgressCounter('restore', verification.bytes, verification.files, onProgress);
  await store.prepare();
  for (const entry of manifest.entries.filter((e) => e.kind !== 'database')) {
    const temp = store.newTempPath();
    await copyChecked(path.join(verification.dir, entry.path), temp, entry, progress);
    // The manifest's paths were checked against ENTRY_PATH, so this is a storage key.
    const storageKey = entry.path.replace(/^files\//, '').replace(/\.thumbnail$/, '');
    await store.place(temp, storageKey, { thumbnail: entry.kind === 'thumbnail' });
    progress.fileDone();
  }
  const database = manifest.entries.find((entry) => entry.kind === 'database')!;
  if (storage.databaseUrl) {
    await restorePostgres(storage.databaseUrl, path.join(verification.dir, database.path), options);
    progress.bytes(database.size);
  } else {
    await mkdir(storage.dataDir, { recursive: true, mode: 0o700 });
    const temp = path.join(storage.dataDir, `.${SQLITE_FILE}.restore-${manifest.backupId}`);
    await copyChecked(path.join(verification.dir, database.path), temp, database, progress);
    await removeSqliteSideFiles(storage.dataDir);
    await rename(temp, path.join(storage.dataDir, SQLITE_FILE));
  }
  progress.fileDone();
  return { dir: verification.dir, backupId: manifest.backupId, createdAt: manifest.createdAt, dialect: manifest.source.dialect, files: verification.files, bytes: verification.bytes, replaced };
}

async function checkTarget(storage: InstallationStorage, manifest: BackupManifest, force: boolean): Promise<void> {
  const dialect = storage.databaseUrl ? 'postgres' : 'sqlite';
  if (manifest.source.dialect !== dialect) {
    throw new BackupError(
      'RESTORE_WRONG_BACKEND',
      `This backup was taken on ${manifest.source.dialect} and the configured storage is ${dialect}; restore it into the same kind of database (DATABASE_URL set for PostgreSQL, unset for SQLite).`,
    );
  }
  if (!(manifest.source.schemaMigration in migrations)) {
    throw new BackupError('RESTORE_WRONG_BACKEND', `This backup was taken by a newer Enclave (${manifest.source.enclaveVersion}, schema ${manifest.source.schemaMigration}); restore it with that version or a later one.`);
  }
  const inUse = storage.databaseUrl ? await postgresInUse(storage.databaseUrl) : sqliteInUse(storage.dataDir);
  if (inUse) throw new BackupError('RESTORE_TARGET_IN_USE', `Another process is using ${storage.databaseUrl ? 'the database' : path.join(storage.dataDir, SQLITE_FILE)}; stop the Enclave server (every node) before restoring. Nothing was restored.`);
  if (!force && (await installationExists(storage))) {
    throw new BackupError(
      'RESTORE_TARGET_EXISTS',
      `${storage.databaseUrl ? 'The database' : storage.dataDir} already holds an Enclave installation (or files in ${storage.filesDir}). Restore into an empty one, or give --force to replace it. Nothing was restored.`,
    );
  }
}

async function installationExists(storage: InstallationStorage): Promise<boolean> {
  const database = storage.databaseUrl ? await postgresInstallationExists(storage.databaseUrl) : sqliteInstallationExists(storage.dataDir);
  return database || (await storedFileDirectories(storage.filesDir)).length > 0;
}

/**
 * The files directory's own entries (see file-store.ts): two-hex-digit directories and tmp/. Only these are
 * removed by --force, so a files directory set to a shared place loses nothing else.
 */
async function storedFileDirectories(filesDir: string): Promise<string[]> {
  const names = await readdir(filesDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return names.filter((name) => /^[0-9a-f]{2}$/.test(name));
}

async function clearFileStore(filesDir: string): Promise<void> {
  for (const name of [...(await storedFileDirectories(filesDir)), 'tmp']) await rm(path.join(filesDir, name), { recursive: true, force: true });
}

/** Copies one file of the backup and checks it again against the manifest, in case it changed since verification. */
async function copyChecked(from: string, to: string, entry: BackupEntry, progress: ProgressCounter): Promise<void> {
  const sum = await copyHashed(from, to, (count) => progress.bytes(count));
  if (sum.sha256 !== entry.sha256 || sum.size !== entry.size) {
    await rm(to, { force: true });
    throw new BackupError('BACKUP_INVALID', `${entry.path} changed while it was being restored; the restore stopped. Verify the backup and run the restore again.`);
  }
}
