import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { EnclaveClient } from '@enclave/sdk';
import { startTestServer, type TestServer } from '../../server/test/harness';

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
    for (const name of ['serve', 'admin create-user', 'admin reset-password', 'audit verify']) {
      assert.match(overview.stdout, new RegExp(name));
      const help = await enclave(undefined, [...name.split(' '), '--help']);
      assert.equal(help.code, 0, name);
      assert.match(help.stdout, new RegExp(`Usage: enclave ${name}`));
      assert.match(help.stdout, /--json/);
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

  test('a bad setting stops the command with a message naming the variable', async () => {
    const result = await enclave(server, ['audit', 'verify', '--json'], { DATABASE_URL: 'mysql://nope' });
    assert.equal(result.code, 1);
    const error = JSON.parse(result.stdout).error as { code: string; message: string };
    assert.equal(error.code, 'CONFIG_INVALID');
    assert.match(error.message, /DATABASE_URL: must start with postgres:\/\//);
  });
});
