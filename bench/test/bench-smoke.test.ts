import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createChannel, createSignedInUsers, signInAdmin } from '../src/enclave-setup';
import { FanoutClients } from '../src/fanout-clients';
import { sweepLanes } from '../src/fanout-sweep';
import { ServerProcess } from '../src/server-process';

const CLIENTS = 20;
const SENDERS = 2;

let dataDir: string;
let adminPassword: string;
let enclave: ServerProcess;
let baseline: ServerProcess;

before(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'enclave-bench-smoke-'));
  adminPassword = randomBytes(12).toString('hex');
  const env = { ENCLAVE_DATA_DIR: dataDir, ENCLAVE_ADMIN_PASSWORD: adminPassword, ENCLAVE_PASSWORD_HASH_COST: '10', ENCLAVE_LOG_LEVEL: 'silent' };
  [enclave, baseline] = await Promise.all([ServerProcess.start('enclave', { env, pin: false }), ServerProcess.start('baseline', { pin: false })]);
});

after(async () => {
  await Promise.all([enclave?.stop(), baseline?.stop()]);
  rmSync(dataDir, { recursive: true, force: true });
});

test('a fan-out step delivers every message exactly once to every client, on Enclave and on the baseline', async () => {
  const admin = await signInAdmin(enclave.url, adminPassword);
  const users = await createSignedInUsers(admin, CLIENTS);
  const channel = await createChannel(admin, 'smoke', users);
  let enclaveClients: FanoutClients | undefined;
  let baselineClients: FanoutClients | undefined;
  try {
    enclaveClients = await FanoutClients.open({ kind: 'enclave', baseUrl: enclave.url, users }, SENDERS);
    baselineClients = await FanoutClients.open({ kind: 'baseline', baseUrl: baseline.url, clients: CLIENTS }, SENDERS);
    const results = await sweepLanes(
      [
        { name: 'enclave', clients: enclaveClients, roomId: channel.id, serverCpuMicros: () => enclave.cpuMicros() },
        { name: 'baseline', clients: baselineClients, roomId: 'baseline', serverCpuMicros: () => baseline.cpuMicros() },
      ],
      { senders: SENDERS, seconds: 0.5, startRate: 20, maxSteps: 1, resolution: 2 },
    );
    for (const [lane, { steps }] of results) {
      assert.ok(steps.length >= 1, `${lane} ran a step`);
      for (const step of steps) {
        assert.equal(step.recipients, CLIENTS, lane);
        assert.equal(step.exact, CLIENTS, `${lane}: every client got every message once, in order`);
        assert.equal(step.delivered, step.sent * CLIENTS, lane);
        assert.deepEqual([step.duplicates, step.gaps, step.disorder, step.errors, step.closed], [0, 0, 0, 0, 0], lane);
        assert.ok(step.deliveredPerSecond > 0 && step.p50Ms > 0 && step.p99Ms >= step.p50Ms, lane);
      }
    }
    const sentToEnclave = results.get('enclave')!.steps.reduce((sum, step) => sum + step.sent, 0);
    assert.equal(await enclave.messageCount(), sentToEnclave, 'Enclave stored each sent message once');
    assert.ok((await enclave.memory()).rss > 0);
  } finally {
    await Promise.all([enclaveClients?.close(), baselineClients?.close()]);
  }
});
