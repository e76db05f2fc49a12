import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { EnclaveClient } from '@enclave/sdk';

const enclaveBin = fileURLToPath(new URL('../bin/enclave.mjs', import.meta.url));

interface Started {
  child: ChildProcess;
  /** Everything written so far, standard output and error apart (one stream under a terminal). */
  stdout: string;
  stderr: string;
}

/** Starts `enclave serve` on fresh storage in its own process group, and waits until `ready` holds of its output. */
async function startServe(command: string, args: string[], dataDir: string, ready: (started: Started) => boolean): Promise<Started> {
  const child = spawn(command, args, {
    detached: true,
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', ENCLAVE_DATA_DIR: dataDir, ENCLAVE_PASSWORD_HASH_COST: '10', TERM: 'dumb' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const started: Started = { child, stdout: '', stderr: '' };
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (ready(started)) resolve();
    };
    child.stdout!.on('data', (chunk: Buffer) => {
      started.stdout += String(chunk);
      check();
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      started.stderr += String(chunk);
      check();
    });
    child.once('exit', (code) => reject(new Error(`enclave serve exited with ${code}: ${started.stdout}${started.stderr}`)));
  });
  return started;
}

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split(/\r?\n/)
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const firstAdminRecord = (text: string) => jsonLines(text).find((record) => record.firstAdmin !== undefined);

describe('the first start of `enclave serve`', () => {
  let dataDir: string;
  let running: Started | undefined;
  afterEach(async () => {
    const child = running?.child;
    if (child?.pid !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-child.pid, 'SIGTERM');
      await exited;
    }
    running = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('without a terminal, logs a record of the new admin and shows the one-time password once on standard error, outside the JSON log', async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'enclave-serve-'));
    running = await startServe(process.execPath, [enclaveBin, 'serve'], dataDir, (started) => firstAdminRecord(started.stdout) !== undefined && /password: \S+\n/.test(started.stderr));
    const lines = running.stdout.split('\n').filter((line) => line !== '');
    assert.deepEqual(
      lines.filter((line) => !line.startsWith('{')),
      [],
      'standard output is the JSON log and nothing else',
    );
    const record = firstAdminRecord(running.stdout)!;
    assert.deepEqual(record.firstAdmin, { username: 'admin', passwordSource: 'generated', passwordShown: 'stderr' });
    const password = /password: (\S+)\n/.exec(running.stderr)![1]!;
    assert.equal((running.stdout + running.stderr).split(password).length - 1, 1, 'shown once, and in no log record');
    const url = String(jsonLines(running.stdout).find((entry) => typeof entry.url === 'string' && String(entry.msg).startsWith('Enclave is running'))!.url);
    const admin = new EnclaveClient({ baseUrl: url });
    assert.equal((await admin.login('admin', password)).passwordChangeRequired, true, 'it works once, to choose a new one');
  });

  test('on a terminal, shows the password once there, outside every log record, and it signs in', async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'enclave-serve-'));
    // script(1) gives the server a terminal of its own, as a person's shell would.
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(enclaveBin)} serve`;
    running = await startServe('script', ['-qfec', command, '/dev/null'], dataDir, (started) => /password: \S+\r?\n/.test(started.stdout) && firstAdminRecord(started.stdout) !== undefined);
    const password = /password: (\S+)\r?\n/.exec(running.stdout)![1]!;
    assert.equal(running.stdout.split(password).length - 1, 1, 'shown once');
    const records = jsonLines(running.stdout);
    assert.ok(records.length > 0);
    for (const record of records) assert.ok(!JSON.stringify(record).includes(password), 'no log record holds the password');
    assert.deepEqual(firstAdminRecord(running.stdout)!.firstAdmin, { username: 'admin', passwordSource: 'generated', passwordShown: 'terminal' });
    const url = String(records.find((record) => typeof record.url === 'string' && String(record.msg).startsWith('Enclave is running'))!.url);
    const login = await new EnclaveClient({ baseUrl: url }).login('admin', password);
    assert.equal(login.user.username, 'admin');
  });
});
