import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { VERSION } from '../app';
import { FileStore } from '../files/file-store';
import type { MasterKeys } from '../keys/master-key';
import { copyHashed, hashFile, ProgressCounter, type ProgressListener } from './backup-copy';
import { BackupError } from './backup-error';
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, MANIFEST_FILE, serialiseManifest, signManifest, type BackupEntry, type BackupManifest } from './backup-manifest';
import type { SnapshotContents } from './backup-snapshot.repository';
import { dumpPostgres, PG_DUMP_FILE } from './postgres-backup';
import { snapshotSqlite, SQLITE_FILE } from './sqlite-backup';

/** Where an installation keeps its data: the configuration's storage settings. */
export interface InstallationStorage {
  dataDir: string;
  filesDir: string;
  databaseUrl?: string | undefined;
}

export interface BackupSummary {
  dir: string;
  backupId: string;
  createdAt: string;
  dialect: 'sqlite' | 'postgres';
  schemaMigration: string;
  databaseBytes: number;
  files: number;
  fileBytes: number;
  /** Files the snapshot names that were deleted before they could be copied (see the manifest's `notCopied`). */
  notCopied: number;
  masterKeyId: string;
}

/**
 * Takes a backup of a running (or stopped) installation into an empty directory:
 *
 *     database/enclave.db | database/enclave.pgdump   the snapshot (wrapped data keys included)
 *     files/<storage key>[.thumbnail]                  every stored file and thumbnail the snapshot names
 *     manifest.json                                    sizes, SHA-256 sums, source, MAC; written last
 *
 * Invariant: the master key is never written into a backup. Only the data keys are, wrapped by it, so a backup
 * is readable only by whoever also holds the master key of its day. Rendered views (a cache), temp files and
 * uploads placed after the snapshot are not copied. Stored files never change once placed, so copying them
 * after the snapshot gives the bytes the snapshot refers to; one deleted in between (its room was deleted) is
 * listed in `notCopied` and the backup still verifies.
 */
export async function createBackup(storage: InstallationStorage, masters: MasterKeys, outDir: string, onProgress?: ProgressListener): Promise<BackupSummary> {
  const dir = path.resolve(outDir);
  await prepareEmptyDirectory(dir);
  const dialect = storage.databaseUrl ? 'postgres' : 'sqlite';
  const databaseEntry = `database/${dialect === 'postgres' ? PG_DUMP_FILE : SQLITE_FILE}`;
  const databaseFile = path.join(dir, databaseEntry);
  const database = new ProgressCounter('database', 0, 1, onProgress);
  const contents: SnapshotContents = storage.databaseUrl ? await dumpPostgres(storage.databaseUrl, databaseFile) : snapshotSqlite(storage.dataDir, databaseFile);
  const databaseSum = await hashFile(databaseFile, (count) => database.bytes(count));
  database.fileDone();
  const entries: BackupEntry[] = [{ path: databaseEntry, kind: 'database', ...databaseSum }];
  const { copied, notCopied } = await copyStoredFiles(new FileStore(storage.filesDir), contents, dir, onProgress);
  entries.push(...copied);
  const manifest = await signManifest(
    {
      format: BACKUP_FORMAT,
      formatVersion: BACKUP_FORMAT_VERSION,
      backupId: randomBytes(16).toString('hex'),
      createdAt: new Date().toISOString(),
      source: { dialect, enclaveVersion: VERSION, schemaMigration: contents.schemaMigration },
      entries,
      notCopied,
    },
    masters,
  );
  // Written under a temporary name and renamed, so a directory with a manifest is a finished backup.
  const temp = path.join(dir, `.${MANIFEST_FILE}.part`);
  await writeFile(temp, serialiseManifest(manifest), { mode: 0o600 });
  await rename(temp, path.join(dir, MANIFEST_FILE));
  return summaryOf(dir, manifest);
}

async function copyStoredFiles(store: FileStore, contents: SnapshotContents, dir: string, onProgress?: ProgressListener) {
  const wanted = contents.storedFiles.flatMap(({ storageKey, thumbnail }) => [
    { storageKey, thumbnail: false },
    ...(thumbnail ? [{ storageKey, thumbnail: true }] : []),
  ]);
  const progress = new ProgressCounter('files', 0, wanted.length, onProgress);
  const copied: BackupEntry[] = [];
  const notCopied: BackupManifest['notCopied'] = [];
  for (const { storageKey, thumbnail } of wanted) {
    const entryPath = `files/${storageKey}${thumbnail ? '.thumbnail' : ''}`;
    const target = path.join(dir, entryPath);
    try {
      const sum = await copyHashed(store.openStored(storageKey, { thumbnail }), target, (count) => progress.bytes(count));
      copied.push({ path: entryPath, kind: thumbnail ? 'thumbnail' : 'file', ...sum });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await rm(target, { force: true });
      notCopied.push({ path: entryPath, reason: 'deleted-after-snapshot' });
    }
    progress.fileDone();
  }
  return { copied, notCopied };
}

async function prepareEmptyDirectory(dir: string): Promise<void> {
  const present = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  if (present.length > 0) throw new BackupError('BACKUP_OUT_NOT_EMPTY', `${dir} is not empty; give a new or empty directory for each backup`);
  await mkdir(path.join(dir, 'database'), { recursive: true, mode: 0o700 });
  await mkdir(path.join(dir, 'files'), { recursive: true, mode: 0o700 });
}

function summaryOf(dir: string, manifest: BackupManifest): BackupSummary {
  const files = manifest.entries.filter((entry) => entry.kind !== 'database');
  return {
    dir,
    backupId: manifest.backupId,
    createdAt: manifest.createdAt,
    dialect: manifest.source.dialect,
    schemaMigration: manifest.source.schemaMigration,
    databaseBytes: manifest.entries.find((entry) => entry.kind === 'database')?.size ?? 0,
    files: files.length,
    fileBytes: files.reduce((sum, entry) => sum + entry.size, 0),
    notCopied: manifest.notCopied.length,
    masterKeyId: manifest.mac.masterKeyId,
  };
}
