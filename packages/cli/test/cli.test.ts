import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { EnclaveClient } from '@enclave/sdk';
import { withRewrittenLog } from '../../server/test/audit-rewrite';
import { startTestServer, type TestServer } from '../../server/test/harness';
import { main } from '../src/main';

const enclaveBin = fileURLToPath(new URL('../bin/enclave.mjs', import.meta.url));
const run = promisify(execFile);

/** Runs the real `enclave` binary against the test server's storage and returns its exit code and output. */
async function enclave(server: TestServer | undefined, args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [enclaveBin, ...args], {
      env: { PATH: process.env.PATH ?? '', ...(server?.storageEnv ?? {}), ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('enclave CLI', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ backend: 'sqlite' });
  });
  after(async () => {
    await server.close();
  });

  test('lists its commands, and every command has --help', async () => {
    const overview = await enclave(undefined, ['--help']);
    assert.equal(overview.code, 0);
    for (const name of ['serve', 'admin create-user', 'admin reset-password', 'audit verify', 'keys status', 'keys rotate', 'keys encrypt']) {
      assert.match(overview.stdout, new RegExp(name));
      // In-process: each start of the binary costs seconds, and the help text is the same either way.
      let help = '';
      assert.equal(await main([...name.split(' '), '--help'], (text) => (help += text)), 0, name);
      assert.match(help, new RegExp(`Usage: enclave ${name}`));
      assert.match(help, /--json/);
    }
  });

  test('an unknown command or option fails with a clear message and exit code 1', async () => {
    const unknown = await enclave(undefined, ['frobnicate', '--json']);
    assert.equal(unknown.code, 1);
    assert.equal(JSON.parse(unknown.stdout).error.code, 'UNKNOWN_COMMAND');
    const badOption = await enclave(undefined, ['audit', 'verify', '--colour']);
    assert.equal(badOption.code, 1);
    assert.match(badOption.stderr, /Unknown option '--colour'/);
  });

  test('admin create-user makes an account that can sign in to the running server', async () => {
    const result = await enclave(server, ['admin', 'create-user', '--username', 'cli.user', '--display-name', '王芳', '--clearance', 'confidential', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const output = JSON.parse(result.stdout) as { user: { username: string; displayName: string; clearance: string }; password: string };
    assert.equal(output.user.displayName, '王芳');
    assert.equal(output.user.clearance, 'confidential');
    const client = new EnclaveClient({ baseUrl: server.url });
    assert.equal((await client.login('cli.user', output.password)).user.username, 'cli.user');
    const again = await enclave(server, ['admin', 'create-user', '--username', 'cli.user', '--json']);
    assert.equal(again.code, 1);
    assert.equal(JSON.parse(again.stdout).error.code, 'USERNAME_TAKEN');
  });

  test('admin reset-password sets a new password and ends the old sessions', async () => {
    const client = new EnclaveClient({ baseUrl: server.url });
    await client.login(server.admin.username, server.admin.password);
    const result = await enclave(server, ['admin', 'reset-password', '--username', server.admin.username, '--password', 'a fresh admin password']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /sessions were ended/);
    await assert.rejects(client.endpoint('me')(), /sign in/i);
    const login = await client.login(server.admin.username, 'a fresh admin password');
    assert.equal(login.passwordChangeRequired, true, 'the operator knows the password, so its owner must choose a new one');
  });

  test('admin create-user and admin reset-password refuse every weak password, saying why', async () => {
    const weak = [
      { password: '1234567890', message: /at least 12 characters/ },
      { password: 'aaaaaaaaaa', message: /at least 12 characters/ },
      { password: 'password12', message: /at least 12 characters/ },
      { password: ' '.repeat(10), message: /only spaces/ },
      { password: '123456789012', message: /most common passwords/ },
      { password: 'aaaaaaaaaaaa', message: /too easy to guess/ },
    ];
    for (const { password, message } of weak) {
      const created = await enclave(server, ['admin', 'create-user', '--username', 'cli.weak', '--password', password, '--json']);
      assert.equal(created.code, 1, JSON.stringify(password));
      const error = JSON.parse(created.stdout).error as { code: string; message: string };
      assert.equal(error.code, 'PASSWORD_TOO_WEAK');
      assert.match(error.message, message);
      const reset = await enclave(server, ['admin', 'reset-password', '--username', server.admin.username, '--password', password]);
      assert.equal(reset.code, 1);
      assert.match(reset.stderr, message);
    }
    const stored = await server.running.database.db.selectFrom('users').select('id').where('username', '=', 'cli.weak').executeTakeFirst();
    assert.equal(stored, undefined);
  });

  test('audit verify reports an intact chain, and names the entry after tampering', async () => {
    const intact = await enclave(server, ['audit', 'verify', '--json']);
    assert.equal(intact.code, 0, intact.stderr);
    assert.equal(JSON.parse(intact.stdout).ok, true);
    const db = server.running.database.db;
    const victim = await db.selectFrom('audit_log').select(['seq', 'action']).orderBy('seq').limit(1).executeTakeFirstOrThrow();
    await db.updateTable('audit_log').set({ action: 'auth.logout' }).where('seq', '=', victim.seq).execute();
    const broken = await enclave(server, ['audit', 'verify']);
    assert.equal(broken.code, 1);
    assert.match(broken.stdout, new RegExp(`BROKEN at entry ${victim.seq} \\(hash-mismatch\\)`));
    await db.updateTable('audit_log').set({ action: victim.action }).where('seq', '=', victim.seq).execute();
  });

  test('audit verify --checkpoints passes an untouched log and catches a consistent rewrite and a forged line', async () => {
    const { auditCheckpoints } = server.running.services;
    await auditCheckpoints.checkpointIfDue(Date.now() + 24 * 3_600_000);
    const [anchored] = await auditCheckpoints.latest(1);
    assert.ok(anchored, 'a checkpoint exists');
    const dir = mkdtempSync(path.join(tmpdir(), 'enclave-checkpoints-'));
    const copy = path.join(dir, 'checkpoints.jsonl');
    copyFileSync(auditCheckpoints.file, copy);
    const publicKey = path.join(dir, 'audit-public.pem');
    writeFileSync(publicKey, auditCheckpoints.publicKeyPem);

    const intact = await enclave(server, ['audit', 'verify', '--checkpoints', copy, '--public-key', publicKey, '--json']);
    assert.equal(intact.code, 0, intact.stdout + intact.stderr);
    assert.equal(JSON.parse(intact.stdout).ok, true);
    const withDataDirKey = await enclave(server, ['audit', 'verify', '--checkpoints', copy]);
    assert.equal(withDataDirKey.code, 0, withDataDirKey.stdout + withDataDirKey.stderr);
    assert.match(withDataDirKey.stdout, /checkpoints match the log/);

    await withRewrittenLog(server, (rows) => rows.map((row) => (row.seq === anchored.seq ? { ...row, ip: '192.0.2.1' } : row)), async () => {
      assert.equal((await enclave(server, ['audit', 'verify'])).code, 0, 'the chain alone cannot tell');
      const caught = await enclave(server, ['audit', 'verify', '--checkpoints', copy]);
      assert.equal(caught.code, 1);
      assert.match(caught.stdout, new RegExp(`\\(entry ${anchored.seq}\\) anchors an entry whose hash is now different \\(rewritten\\)`));
    });

    appendFileSync(copy, `${JSON.stringify({ ...anchored, headHash: '0'.repeat(64) })}\n`);
    const forged = await enclave(server, ['audit', 'verify', '--checkpoints', copy, '--public-key', publicKey]);
    assert.equal(forged.code, 1);
    assert.match(forged.stdout, /has a signature that does not match it/);

    const keyAlone = await enclave(server, ['audit', 'verify', '--public-key', publicKey, '--json']);
    assert.equal(keyAlone.code, 1);
    assert.equal(JSON.parse(keyAlone.stdout).error.code, 'VALIDATION_FAILED');
    const missing = await enclave(server, ['audit', 'verify', '--checkpoints', path.join(dir, 'nope.jsonl'), '--json']);
    assert.equal(JSON.parse(missing.stdout).error.code, 'CHECKPOINTS_UNREADABLE');
  });

  test('a bad setting stops the command with a message naming the variable', async () => {
    const result = await enclave(server, ['audit', 'verify', '--json'], { DATABASE_URL: 'mysql://nope' });
    assert.equal(result.code, 1);
    const error = JSON.parse(result.stdout).error as { code: string; message: string };
    assert.equal(error.code, 'CONFIG_INVALID');
    assert.match(error.message, /DATABASE_URL: must start with postgres:\/\//);
  });
});
