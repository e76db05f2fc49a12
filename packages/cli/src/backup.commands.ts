import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  BackupError,
  createBackup,
  loadConfig,
  loadMasterKeys,
  loadMasterKeysFor,
  MasterKeyError,
  openDatabase,
  restoreBackup,
  verifyBackup,
  type BackupProgress,
  type Config,
  type ProgressListener,
} from '@enclave/server';
import type { Command } from './commands';
import type { Output } from './output';
import { createProgress } from './progress';

export const backupCommand: Command = {
  name: 'backup',
  summary:
    'Take a consistent backup of the database and stored files into an empty directory while the server keeps running, with a manifest of SHA-256 sums signed with the master key. The master key itself is never in the backup: keep it separately.',
  options: { out: { type: 'string', description: 'the directory to write the backup into (new or empty)' } },
  async run(values, out) {
    if (typeof values.out !== 'string' || values.out === '') return out.fail('VALIDATION_FAILED', '--out is required: the directory to write the backup into');
    const outDir = values.out;
    return reportingFailures(out, async () => {
      const config = loadConfig(process.env, { logLevel: 'silent' });
      // Opening the database would create an empty one; there is nothing to back up.
      if (!config.databaseUrl && !existsSync(path.join(config.dataDir, 'enclave.db'))) return out.fail('BACKUP_FAILED', `there is no Enclave installation in ${config.dataDir} (no enclave.db); check ENCLAVE_DATA_DIR`);
      const masters = await currentMasterKeys(config);
      const progress = createProgressDisplay(out.json);
      const summary = await createBackup(config, masters, outDir, progress.update);
      progress.finish();
      out.result({ ...summary, masterKeySource: masters.source }, [
        `Backup written to ${summary.dir}: ${summary.dialect} database (${formatBytes(summary.databaseBytes)}, schema ${summary.schemaMigration}), ${plural(summary.files, 'stored file')} (${formatBytes(summary.fileBytes)}).`,
        ...(summary.notCopied > 0 ? [`${plural(summary.notCopied, 'file')} deleted after the snapshot (their room was deleted) are not in the backup; the manifest lists them.`] : []),
        `The master key is NOT in the backup. This backup can only be read with master key ${summary.masterKeyId}, from ${masters.source}.`,
        'Keep a copy of that key somewhere other than the backups (a password manager or a safe); whoever has both can read everything in this backup.',
      ]);
      return 0;
    });
  },
};

export const backupVerifyCommand: Command = {
  name: 'backup verify',
  summary: 'Check a backup: the manifest signature (needs the master key of the backup\'s day) and every file\'s size and SHA-256; report missing, changed and extra files. Exits 1 when anything is wrong.',
  options: {},
  positional: { name: 'dir', description: 'the backup directory' },
  async run(values, out) {
    if (typeof values.dir !== 'string') return out.fail('VALIDATION_FAILED', 'give the backup directory: enclave backup verify <dir>');
    const dir = values.dir;
    return reportingFailures(out, async () => {
      const config = loadConfig(process.env, { logLevel: 'silent' });
      const progress = createProgressDisplay(out.json);
      const result = await verifyBackup(dir, givenMasterKeys(config), progress.update);
      progress.finish();
      const { manifest, ...rest } = result;
      const source = manifest ? { backupId: manifest.backupId, createdAt: manifest.createdAt, source: manifest.source, notCopied: manifest.notCopied.length } : {};
      out.result({ ...rest, ...source }, [
        result.ok ? `Backup ${result.dir} is intact: ${plural(result.files, 'file')} (${formatBytes(result.bytes)}), taken ${manifest!.createdAt}.` : `Backup ${result.dir} FAILED verification:`,
        ...result.problems.map((problem) => `  ${problem.kind}: ${problem.detail}`),
      ]);
      return result.ok ? 0 : 1;
    });
  },
};

export const restoreCommand: Command = {
  name: 'restore',
  summary:
    'Restore a backup into the configured data directory or DATABASE_URL. Verifies the whole backup first and writes nothing if anything is wrong; refuses while a server uses the target, and refuses to replace an existing installation unless --force.',
  options: {
    from: { type: 'string', description: 'the backup directory' },
    force: { type: 'boolean', description: 'replace an existing installation: its database (SQLite file, or everything in PostgreSQL\'s public schema) and its stored files' },
  },
  async run(values, out) {
    if (typeof values.from !== 'string' || values.from === '') return out.fail('VALIDATION_FAILED', '--from is required: the backup directory');
    const from = values.from;
    return reportingFailures(out, async () => {
      const config = loadConfig(process.env, { logLevel: 'silent' });
      const progress = createProgressDisplay(out.json);
      const summary = await restoreBackup(config, givenMasterKeys(config), from, { force: values.force === true }, progress.update);
      progress.finish();
      out.result(summary, [
        `Restored backup ${summary.backupId} (taken ${summary.createdAt}) into ${config.databaseUrl ? 'the PostgreSQL database' : config.dataDir}: ${plural(summary.files, 'file')} (${formatBytes(summary.bytes)})${summary.replaced ? ', replacing the installation that was there' : ''}.`,
        'Start the server with the same master key; `enclave audit verify` checks the audit log.',
      ]);
      return 0;
    });
  },
};

/** The master key the installation uses, checked against its stored data keys, to sign a backup with. */
async function currentMasterKeys(config: Config) {
  const database = openDatabase(config);
  try {
    return await loadMasterKeysFor(database.db, config);
  } finally {
    await database.close();
  }
}

/** The master keys the configuration names, if any: verifying and restoring say what to do when there are none. */
function givenMasterKeys(config: Config) {
  return loadMasterKeys(config, { createIfMissing: false });
}

async function reportingFailures(out: Output, task: () => Promise<number>): Promise<number> {
  try {
    return await task();
  } catch (error) {
    if (error instanceof BackupError) return out.fail(error.code, error.message);
    if (error instanceof MasterKeyError) return out.fail('MASTER_KEY_INVALID', error.message);
    throw error;
  }
}

/**
 * A backup phase's progress through the shared display (`progress.ts`: a bar on a terminal, plain lines in a log,
 * nothing with --json), counted in bytes; each phase gets its own line.
 */
function createProgressDisplay(json: boolean): { update: ProgressListener; finish(): void } {
  const progress = createProgress({ json });
  let phase: BackupProgress['phase'] | undefined;
  return {
    update(current) {
      if (current.phase !== phase) {
        if (phase !== undefined) progress.stop();
        phase = current.phase;
        progress.start(`${current.phase} (${plural(current.totalFiles, 'file')})`, current.totalBytes);
      }
      progress.update(current.doneBytes);
    },
    finish() {
      if (phase !== undefined) progress.stop();
      phase = undefined;
    },
  };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${(bytes / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}
