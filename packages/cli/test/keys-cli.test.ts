import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildRoom, buildUser } from '@enclave/testkit';
import { LocalMasterKey, readKeyFile } from '../../server/src/keys/master-key';
import { startTestServer, type TestServer } from '../../server/test/harness';

const enclaveBin = fileURLToPath(new URL('../bin/enclave.mjs', import.meta.url));
const run = promisify(execFile);

async function enclave(server: TestServer, args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [enclaveBin, ...args], { env: { PATH: process.env.PATH ?? '', ...server.storageEnv, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('enclave keys', () => {
  let server: TestServer;
  const keyFile = () => path.join(server.storageConfig.dataDir, 'master.key');
  before(async () => {
    server = await startTestServer({ backend: 'sqlite' });
    await server.running.encryptionUpgrade?.done;
  });
  after(async () => {
    await server.close();
  });

  test('keys status tells where the master key comes from, what it wraps, and that encryption is complete', async () => {
    const json = await enclave(server, ['keys', 'status', '--json']);
    assert.equal(json.code, 0, json.stderr);
    const status = JSON.parse(json.stdout);
    assert.equal(status.masterKey.source, keyFile());
    assert.match(status.masterKey.id, /^[0-9a-f]{16}$/);
    assert.equal(status.masterKey.rotationInProgress, false);
    assert.ok(status.dataKeys.installation >= 2, 'the search and records keys');
    assert.deepEqual(status.dataKeys.byMasterKey, [{ masterKeyId: status.masterKey.id, count: status.dataKeys.total, state: 'current' }]);
    assert.deepEqual([status.encryption.on, status.encryption.complete], [true, true]);
    assert.deepEqual(
      status.encryption.steps.map((step: { step: string; remaining: number }) => [step.step, step.remaining]),
      ['message text', 'message versions', 'held messages', 'files', 'room names and topics', 'room events'].map((step) => [step, 0]),
    );
    assert.deepEqual(status.retired, []);
    const text = await enclave(server, ['keys', 'status']);
    assert.match(text.stdout, new RegExp(`Master key: ${status.masterKey.id} from ${keyFile().replace(/[.]/g, '\\.')}`));
    assert.match(text.stdout, /Encryption: complete/);
    assert.doesNotMatch(text.stdout + text.stderr, /[A-Za-z0-9+/]{43}=/, 'never prints a key');
  });

  test('keys rotate moves every data key to a new master key while the server keeps serving, and retires the old one', async () => {
    const oldId = new LocalMasterKey(readKeyFile(keyFile())[0]!).id;
    const keyCount = (await server.running.database.db.selectFrom('data_keys').select('owner').execute()).length;
    const alice = await buildUser(server);
    const room = await buildRoom(server, { owner: alice.client });
    const rotated = await enclave(server, ['keys', 'rotate', '--json']);
    assert.equal(rotated.code, 0, rotated.stderr);
    const report = JSON.parse(rotated.stdout);
    assert.equal(report.finished, true);
    assert.deepEqual(report.previous, [oldId]);
    assert.ok(report.rewrapped >= keyCount);
    assert.equal(statSync(keyFile()).mode & 0o777, 0o600);
    assert.deepEqual(readKeyFile(keyFile()).map((key) => new LocalMasterKey(key).id), [report.masterKeyId]);
    const sent = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'after the rotation' } });
    assert.ok(sent.message.id, 'the running server kept serving');
    const status = await enclave(server, ['keys', 'status']);
    assert.match(status.stdout, new RegExp(`Master key: ${report.masterKeyId} from`));
    assert.match(status.stdout, new RegExp(`\\d+ wrapped by ${report.masterKeyId} \\(current\\)`));
    assert.doesNotMatch(status.stdout, /\(previous\)|\(unknown\)/);
    assert.match(status.stdout, new RegExp(`${oldId} retired \\d{4}-`));
  });

  test('keys rotate with the key in ENCLAVE_MASTER_KEY says what to do instead', async () => {
    const masterKey = readFileSync(keyFile(), 'utf8').trim();
    const result = await enclave(server, ['keys', 'rotate'], { ENCLAVE_MASTER_KEY: masterKey });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /--new-key-file PATH/);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  });

  test('keys encrypt reports that nothing from before encryption is left', async () => {
    const result = await enclave(server, ['keys', 'encrypt']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Encryption complete: 0 items sealed/);
  });

  test('a wrong master key stops every command and the server with the fix named, exit code 1 and no stack trace', async () => {
    const wrong = randomBytes(32).toString('base64');
    for (const args of [['audit', 'verify'], ['serve']]) {
      const result = await enclave(server, args, { ENCLAVE_MASTER_KEY: wrong, PORT: '0', HOST: '127.0.0.1' });
      assert.equal(result.code, 1, args.join(' '));
      assert.match(result.stderr, /^error: The master key from ENCLAVE_MASTER_KEY is not the key this installation's data was encrypted with\. Nothing was written\./, args.join(' '));
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    }
    const json = await enclave(server, ['keys', 'status', '--json'], { ENCLAVE_MASTER_KEY: wrong });
    assert.equal(JSON.parse(json.stdout).error.code, 'MASTER_KEY_REFUSED');
  });
});
