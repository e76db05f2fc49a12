import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Message, User } from '@enclave/protocol';
import { EnclaveClient } from '@enclave/sdk';
import { buildRoomOfTwo, sendConfirmed } from '@enclave/testkit';
import pg from 'pg';
import { createBackup, loadConfig, loadMasterKeys, startServer, verifyBackup } from '@enclave/server';
import { sql } from 'kysely';
import { describeEachBackend, postgresAdminUrl, type Backend } from '../../server/test/harness';
import { pngImage, upload } from '../../server/test/upload-helpers';
import { main } from '../src/main';

const enclaveBin = fileURLToPath(new URL('../bin/enclave.mjs', import.meta.url));
const run = promisify(execFile);

/**
 * Runs the real `enclave` binary in a child process with exactly this environment. The backup under load runs this
 * way, so the server and the backup are separate processes as in production.
 */
async function enclaveProcess(env: Record<string, string>, args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [enclaveBin, ...args], { env: { PATH: process.env.PATH ?? '', ENCLAVE_PASSWORD_HASH_COST: '10', ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/**
 * Runs the CLI's `main` in this process with exactly this environment (Enclave's variables replaced for the call):
 * the same code as the binary without a second or more of start-up per call, which a file of some twenty calls
 * per backend cannot afford within its time limit.
 */
async function enclave(env: Record<string, string>, args: string[]): Promise<{ code: number; stdout: string }> {
  const saved = { ...process.env };
  for (const key of Object.keys(process.env)) if (key.startsWith('ENCLAVE_') || key === 'DATABASE_URL') delete process.env[key];
  Object.assign(process.env, { ENCLAVE_PASSWORD_HASH_COST: '10' }, env);
  let stdout = '';
  try {
    const code = await main(args, (text) => {
      stdout += text;
    });
    return { code, stdout };
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

/** A place to restore into, as on another machine: an empty data directory holding only the kept master key, and on PostgreSQL a new empty database. */
interface RestoreTarget {
  env: Record<string, string>;
  dataDir: string;
  databaseUrl?: string;
  /** Everything that exists in the target now: the data directory's files and PostgreSQL's tables. */
  contents(): Promise<string[]>;
  /** Resolves once a closed server's database sessions have left (pg's pool.end() resolves before they have). */
  serverGone(): Promise<void>;
  drop(): Promise<void>;
}

async function restoreTarget(backend: Backend, masterKeyFile: string): Promise<RestoreTarget> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'enclave-restore-'));
  copyFileSync(masterKeyFile, path.join(dataDir, 'master.key'));
  let databaseUrl: string | undefined;
  const name = `enclave_restore_${randomBytes(6).toString('hex')}`;
  if (backend === 'postgres') {
    await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
    const url = new URL(postgresAdminUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
  }
  return {
    env: { ENCLAVE_DATA_DIR: dataDir, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) },
    dataDir,
    ...(databaseUrl ? { databaseUrl } : {}),
    async contents() {
      const files = readdirSync(dataDir, { recursive: true, withFileTypes: true })
        .filter((entry) => !entry.isDirectory())
        .map((entry) => path.relative(dataDir, path.join(entry.parentPath, entry.name)))
        .sort();
      if (!databaseUrl) return files;
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        const { rows } = await client.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1");
        return [...files, ...rows.map((row) => `table ${row.table_name}`)];
      } finally {
        await client.end();
      }
    },
    async serverGone() {
      if (!databaseUrl) return;
      await withAdmin(async (client) => {
        for (let i = 0; i < 100; i += 1) {
          const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend'", [name]);
          if (Number(rows[0]?.n) === 0) return;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      });
    },
    async drop() {
      rmSync(dataDir, { recursive: true, force: true });
      if (backend === 'postgres') await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

async function withAdmin<T>(task: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresAdminUrl });
  await client.connect();
  try {
    return await task(client);
  } finally {
    await client.end();
  }
}

/** Every file under a directory, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** A room's whole history, page by page (the load above sends more than one page). */
async function wholeHistory(client: EnclaveClient, roomId: string): Promise<Message[]> {
  const messages: Message[] = [];
  for (;;) {
    const before = messages.at(-1)?.id;
    const page = await client.endpoint('listMessages')({ params: { roomId }, query: { limit: 200, ...(before ? { before } : {}) } });
    messages.push(...page.messages);
    if (!page.hasMore) return messages;
  }
}

function flipOneByte(file: string): void {
  const bytes = readFileSync(file);
  const at = Math.floor(bytes.length / 2);
  bytes[at] = bytes[at]! ^ 0x01;
  writeFileSync(file, bytes);
}

describeEachBackend('enclave backup, verify and restore', (server) => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'enclave-backups-'));
  const backupDir = path.join(scratch, 'backup');
  let masterKeyFile: string;
  let alice: { user: User; username: string; password: string; client: EnclaveClient };
  let roomId: string;
  let acknowledgedBefore: { id: string; text: string }[];
  const fileBytes = Buffer.from(`minutes of the board\n${randomBytes(16).toString('hex')}\n`);
  let fileId: string;
  let imageId: string;
  let imageBytes: Buffer;
  let thumbnailBytes: Buffer;

  before(() => {
    masterKeyFile = path.join(server().storageConfig.dataDir, 'master.key');
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  test('a backup taken while messages are being sent verifies, and says the master key is not in it', async () => {
    const two = await buildRoomOfTwo(server());
    alice = two.alice;
    roomId = two.room.id;
    const file = await upload(alice.client, roomId, fileBytes, 'board minutes.txt');
    fileId = file.id;
    imageBytes = await pngImage(400, 240);
    const image = await upload(alice.client, roomId, imageBytes, 'chart.png');
    assert.equal(image.hasThumbnail, true);
    imageId = image.id;
    thumbnailBytes = Buffer.from(await alice.client.endpoint('fileThumbnail')({ params: { fileId: image.id } }));
    const carrier = await sendConfirmed(alice.client, roomId, { text: 'the minutes', fileIds: [file.id, image.id] });
    const acknowledged: { id: string; text: string }[] = [{ id: carrier.id, text: carrier.text }];
    let stop = false;
    const load = (async () => {
      for (let i = 0; !stop; i += 1) {
        const message = await sendConfirmed(alice.client, roomId, { text: `load ${i} ${randomBytes(4).toString('hex')}` });
        acknowledged.push({ id: message.id, text: message.text });
      }
    })();
    while (acknowledged.length < 20) await new Promise((resolve) => setTimeout(resolve, 10));
    acknowledgedBefore = [...acknowledged];
    const backup = await enclaveProcess(server().storageEnv, ['backup', '--out', backupDir, '--json']);
    const sentDuring = acknowledged.length - acknowledgedBefore.length;
    stop = true;
    await load;
    assert.equal(backup.code, 0, backup.stderr + backup.stdout);
    // The server kept acknowledging sends while the backup ran (it takes the CLI a second to start at all).
    assert.ok(sentDuring > 0, 'sends went on during the backup');
    const summary = JSON.parse(backup.stdout) as { dialect: string; files: number; masterKeyId: string; masterKeySource: string };
    assert.equal(summary.dialect, server().backend);
    assert.equal(summary.files, 3, 'the text file, the image and its thumbnail');
    assert.equal(summary.masterKeySource, masterKeyFile);
    assert.deepEqual(readdirSync(backupDir).sort(), ['database', 'files', 'manifest.json']);
    const human = await enclaveProcess(server().storageEnv, ['backup', 'verify', backupDir]);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /is intact/);
  });

  test('the backup holds no master key, in base64 or as raw bytes', () => {
    const keys = readFileSync(masterKeyFile, 'utf8').split('\n').filter(Boolean);
    assert.ok(keys.length >= 1);
    const forms = keys.flatMap((key) => [Buffer.from(key), Buffer.from(key, 'base64'), Buffer.from(Buffer.from(key, 'base64').toString('hex')), Buffer.from(Buffer.from(key, 'base64').toString('base64url'))]);
    for (const file of filesUnder(backupDir)) {
      const bytes = readFileSync(path.join(backupDir, file));
      for (const form of forms) assert.equal(bytes.indexOf(form), -1, `${file} holds the master key`);
    }
  });

  test('a restore into a fresh place brings back every message acknowledged before the backup, and the file; the audit log verifies and the server starts', async () => {
    const target = await restoreTarget(server().backend, masterKeyFile);
    try {
      const verified = await enclave(target.env, ['backup', 'verify', backupDir, '--json']);
      assert.equal(verified.code, 0, verified.stdout);
      assert.equal(JSON.parse(verified.stdout).ok, true);
      const restored = await enclave(target.env, ['restore', '--from', backupDir, '--json']);
      assert.equal(restored.code, 0, restored.stdout);
      assert.equal(JSON.parse(restored.stdout).replaced, false);
      const audit = await enclave(target.env, ['audit', 'verify', '--json']);
      assert.equal(audit.code, 0, audit.stdout);
      assert.equal(JSON.parse(audit.stdout).ok, true);

      const running = await startServer(loadConfig({}, { port: 0, host: '127.0.0.1', dataDir: target.dataDir, databaseUrl: target.databaseUrl, logLevel: 'silent' }));
      try {
        const client = new EnclaveClient({ baseUrl: running.url });
        await client.login(alice.username, alice.password);
        const stored = new Map((await wholeHistory(client, roomId)).map((message) => [message.id, message.text]));
        for (const sent of acknowledgedBefore) assert.equal(stored.get(sent.id), sent.text, `message ${sent.id} came back`);
        const bytes = await client.endpoint('fileContent')({ params: { fileId }, query: { disposition: 'attachment' } });
        assert.deepEqual(Buffer.from(bytes), fileBytes);
        assert.deepEqual(Buffer.from(await client.endpoint('fileContent')({ params: { fileId: imageId }, query: { disposition: 'attachment' } })), imageBytes);
        assert.deepEqual(Buffer.from(await client.endpoint('fileThumbnail')({ params: { fileId: imageId } })), thumbnailBytes);

        const whileRunning = await enclave(target.env, ['restore', '--from', backupDir, '--force', '--json']);
        assert.equal(whileRunning.code, 1);
        assert.equal(JSON.parse(whileRunning.stdout).error.code, 'RESTORE_TARGET_IN_USE');
      } finally {
        await running.close();
      }
      await target.serverGone();
      const again = await enclave(target.env, ['restore', '--from', backupDir, '--json']);
      assert.equal(again.code, 1);
      assert.equal(JSON.parse(again.stdout).error.code, 'RESTORE_TARGET_EXISTS');
      const forced = await enclave(target.env, ['restore', '--from', backupDir, '--force', '--json']);
      assert.equal(forced.code, 0, forced.stdout);
      assert.equal(JSON.parse(forced.stdout).replaced, true);
      assert.equal((await enclave(target.env, ['audit', 'verify', '--json'])).code, 0);
    } finally {
      await target.drop();
    }
  });

  test('a one-byte change to the database, a stored file or the manifest is refused by verify and by restore, which writes nothing', async () => {
    const target = await restoreTarget(server().backend, masterKeyFile);
    try {
      const untouched = await target.contents();
      const manifest = JSON.parse(readFileSync(path.join(backupDir, 'manifest.json'), 'utf8')) as { entries: { path: string; kind: string }[] };
      const victims = [manifest.entries.find((e) => e.kind === 'database')!.path, manifest.entries.find((e) => e.kind === 'file')!.path, 'manifest.json'];
      for (const victim of victims) {
        const copy = path.join(scratch, `tampered-${path.basename(victim)}`);
        cpSync(backupDir, copy, { recursive: true });
        flipOneByte(path.join(copy, victim));
        const verified = await enclave(target.env, ['backup', 'verify', copy, '--json']);
        assert.equal(verified.code, 1, victim);
        const report = JSON.parse(verified.stdout) as { ok: boolean; problems: { kind: string; path: string }[] };
        assert.equal(report.ok, false);
        assert.deepEqual(report.problems.map((p) => p.path), [victim]);
        assert.equal(report.problems[0]!.kind, victim === 'manifest.json' ? 'manifest' : 'changed');
        const restored = await enclave(target.env, ['restore', '--from', copy, '--json']);
        assert.equal(restored.code, 1, victim);
        const error = JSON.parse(restored.stdout).error as { code: string; message: string };
        assert.equal(error.code, 'BACKUP_INVALID');
        assert.match(error.message, /Nothing was restored/);
        assert.deepEqual(await target.contents(), untouched, `nothing written for a changed ${victim}`);
        rmSync(copy, { recursive: true });
      }
    } finally {
      await target.drop();
    }
  });

  test('a missing or an extra file is named, and restore refuses a backup missing one', async () => {
    const target = await restoreTarget(server().backend, masterKeyFile);
    try {
      const untouched = await target.contents();
      const copy = path.join(scratch, 'incomplete');
      cpSync(backupDir, copy, { recursive: true });
      const stored = filesUnder(path.join(copy, 'files'))[0]!;
      unlinkSync(path.join(copy, 'files', stored));
      writeFileSync(path.join(copy, 'files', 'notes.txt'), 'not from the backup');
      const verified = await enclave(target.env, ['backup', 'verify', copy, '--json']);
      assert.equal(verified.code, 1);
      const problems = (JSON.parse(verified.stdout) as { problems: { kind: string; path: string }[] }).problems;
      assert.deepEqual(problems.map((p) => [p.kind, p.path]).sort(), [['extra', 'files/notes.txt'], ['missing', `files/${stored}`]]);
      const restored = await enclave(target.env, ['restore', '--from', copy, '--json']);
      assert.equal(restored.code, 1);
      assert.match(JSON.parse(restored.stdout).error.message, new RegExp(`files/${stored} is missing`));
      assert.deepEqual(await target.contents(), untouched);
      const noManifest = path.join(scratch, 'unfinished');
      cpSync(backupDir, noManifest, { recursive: true });
      unlinkSync(path.join(noManifest, 'manifest.json'));
      const unfinished = await enclave(target.env, ['restore', '--from', noManifest, '--json']);
      assert.equal(JSON.parse(unfinished.stdout).error.code, 'BACKUP_INVALID');
      assert.deepEqual(await target.contents(), untouched);
    } finally {
      await target.drop();
    }
  });

  test('verify and restore need the master key of the backup, and say so when it is missing or another', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'enclave-nokey-'));
    try {
      const missing = await enclave({ ENCLAVE_DATA_DIR: empty }, ['backup', 'verify', backupDir, '--json']);
      assert.equal(missing.code, 1);
      const problem = (JSON.parse(missing.stdout) as { problems: { kind: string; detail: string }[] }).problems[0]!;
      assert.equal(problem.kind, 'master-key');
      assert.match(problem.detail, /needs the master key/);
      const other = await enclave({ ENCLAVE_DATA_DIR: empty, ENCLAVE_MASTER_KEY: randomBytes(32).toString('base64') }, ['restore', '--from', backupDir, '--json']);
      assert.equal(other.code, 1);
      const error = JSON.parse(other.stdout).error as { code: string; message: string };
      assert.equal(error.code, 'BACKUP_MASTER_KEY_MISSING');
      assert.match(error.message, /master key of the backup's day/);
      assert.deepEqual(readdirSync(empty), []);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  test('a file deleted between the snapshot and its copy is listed as not copied, and the backup still verifies', async () => {
    const doomed = await upload(alice.client, roomId, `draft ${randomBytes(8).toString('hex')}`, 'draft.txt');
    await sendConfirmed(alice.client, roomId, { text: 'a draft', fileIds: [doomed.id] });
    const { rows } = await sql<{ storage_key: string }>`SELECT storage_key FROM files WHERE id = ${doomed.id}`.execute(server().running.database.db);
    const key = rows[0]!.storage_key;
    const masters = loadMasterKeys({ dataDir: server().storageConfig.dataDir }, { createIfMissing: false })!;
    const config = loadConfig({}, { ...server().storageConfig });
    const dir = path.join(scratch, 'racing');
    let deleted = false;
    // The room's deletion removes the bytes after the snapshot was taken and before the files are copied.
    const summary = await createBackup(config, masters, dir, (progress) => {
      if (progress.phase === 'files' && !deleted) {
        deleted = true;
        unlinkSync(path.join(config.filesDir, key.slice(0, 2), key.slice(2, 4), key));
      }
    });
    assert.equal(summary.notCopied, 1);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { notCopied: { path: string; reason: string }[] };
    assert.deepEqual(manifest.notCopied, [{ path: `files/${key}`, reason: 'deleted-after-snapshot' }]);
    assert.equal(existsSync(path.join(dir, 'files', key)), false);
    const verified = await verifyBackup(dir, masters);
    assert.deepEqual(verified.problems, []);
    assert.equal(verified.ok, true);
  });

  test('each command has --help, and a missing directory argument is refused with a clear message', async () => {
    for (const [name, usage] of [['backup', /Usage: enclave backup \[options\]/], ['backup verify', /Usage: enclave backup verify <dir> \[options\]/], ['restore', /Usage: enclave restore \[options\]/]] as const) {
      const help = await enclave({}, [...name.split(' '), '--help']);
      assert.equal(help.code, 0);
      assert.match(help.stdout, usage);
      assert.match(help.stdout, /--json/);
      const bare = await enclave({}, [...name.split(' '), '--json']);
      assert.equal(bare.code, 1);
      assert.equal(JSON.parse(bare.stdout).error.code, 'VALIDATION_FAILED');
    }
    const overview = await enclave({}, ['--help']);
    assert.match(overview.stdout, /backup verify/);
  });

  test('a backup never writes into a directory that is not empty', async () => {
    const result = await enclave(server().storageEnv, ['backup', '--out', backupDir, '--json']);
    assert.equal(result.code, 1);
    assert.equal(JSON.parse(result.stdout).error.code, 'BACKUP_OUT_NOT_EMPTY');
    assert.ok(existsSync(path.join(backupDir, 'manifest.json')));
  });
});
