import { spawn } from 'node:child_process';
import pg from 'pg';
import { BackupError } from './backup-error';
import { readSnapshotContentsAsync, type SnapshotContents } from './backup-snapshot.repository';

export const PG_DUMP_FILE = 'enclave.pgdump';

/**
 * A consistent dump of a live PostgreSQL database: a repeatable-read transaction exports its snapshot, pg_dump
 * dumps exactly that snapshot (`--snapshot`), and the list of stored files is read in the same snapshot, so the
 * files copied are the ones the dump names. Writers go on meanwhile; nothing is locked but against schema changes.
 */
export async function dumpPostgres(databaseUrl: string, target: string): Promise<SnapshotContents> {
  await requireTool('pg_dump');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows } = await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
    const contents = await readSnapshotContentsAsync(async (query) => (await client.query(query)).rows as Record<string, unknown>[]);
    await runTool('pg_dump', ['--format=custom', `--snapshot=${rows[0]!.id}`, `--file=${target}`], databaseUrl);
    await client.query('COMMIT');
    return contents;
  } finally {
    await client.end();
  }
}

/** Whether the database already holds tables (an installation, or anything else a restore must not mix with). */
export async function postgresInstallationExists(databaseUrl: string): Promise<boolean> {
  return withClient(databaseUrl, async (client) => {
    const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'");
    return Number(rows[0]!.n) > 0;
  });
}

/** Whether another client (a running server) is connected to the database. */
export async function postgresInUse(databaseUrl: string): Promise<boolean> {
  return withClient(databaseUrl, async (client) => {
    const { rows } = await client.query<{ n: string }>(
      "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'",
    );
    return Number(rows[0]!.n) > 0;
  });
}

/**
 * Restores a dump into the database in one transaction (`--single-transaction --exit-on-error`): it ends either
 * fully restored or unchanged. `force` first drops the `public` schema with everything in it.
 */
export async function restorePostgres(databaseUrl: string, dumpFile: string, options: { force: boolean }): Promise<void> {
  await requireTool('pg_restore');
  if (options.force) {
    await withClient(databaseUrl, async (client) => {
      await client.query('DROP SCHEMA IF EXISTS public CASCADE');
      await client.query('CREATE SCHEMA public');
    });
  }
  await runTool('pg_restore', ['--single-transaction', '--exit-on-error', '--no-owner', '--no-privileges', dumpFile], databaseUrl);
}

async function withClient<T>(databaseUrl: string, task: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await task(client);
  } finally {
    await client.end();
  }
}

/** Fails with BACKUP_TOOL_MISSING, naming the package to install, when the tool is not on PATH. */
async function requireTool(tool: 'pg_dump' | 'pg_restore'): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn(tool, ['--version'], { stdio: 'ignore' });
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new BackupError('BACKUP_TOOL_MISSING', `${tool} was not found on PATH; install the PostgreSQL client tools (Debian/Ubuntu: postgresql-client) of your server's major version or newer`)
          : error,
      ),
    );
    child.on('exit', () => resolve());
  });
}

/**
 * Runs pg_dump or pg_restore against the URL. The password goes in PGPASSWORD, not on the command line, where
 * any user of the machine could read it in the process list.
 */
async function runTool(tool: 'pg_dump' | 'pg_restore', args: string[], databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  const env = { ...process.env, ...(password ? { PGPASSWORD: password } : {}) };
  await new Promise<void>((resolve, reject) => {
    const child = spawn(tool, [`--dbname=${url.toString()}`, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      if (stderr.length < 4000) stderr += text;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else reject(new BackupError('BACKUP_FAILED', `${tool} failed (exit ${code}): ${stderr.trim() || 'no message'}`));
    });
  });
}
