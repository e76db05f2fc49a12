import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { BenchDlpRules, benchDlpRules } from '../src/dlp-rules';
import { createChannel, createSignedInUsers, signInAdmin } from '../src/enclave-setup';
import { FanoutClients } from '../src/fanout-clients';
import { sweepLanes } from '../src/fanout-sweep';
import { measureRealtimeCosts } from '../src/realtime-costs';
import { costRows, costsJson } from '../src/report';
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

test('a fan-out step delivers every message exactly once to every client, on Enclave without and with DLP rules and on the baseline', async () => {
  const admin = await signInAdmin(enclave.url, adminPassword);
  const users = await createSignedInUsers(admin, CLIENTS);
  const channel = await createChannel(admin, 'smoke', users);
  // A fresh installation has rules of its own (the seeded label rules): the bench's come and go beside them.
  const installedRules = (await admin.endpoint('listDlpRules')()).rules.length;
  const dlpRules = await BenchDlpRules.create(admin, benchDlpRules(channel), { roomId: channel.id, serverCpuMicros: () => enclave.cpuMicros() });
  let enclaveClients: FanoutClients | undefined;
  let baselineClients: FanoutClients | undefined;
  try {
    enclaveClients = await FanoutClients.open({ kind: 'enclave', baseUrl: enclave.url, users }, SENDERS);
    baselineClients = await FanoutClients.open({ kind: 'baseline', baseUrl: baseline.url, clients: CLIENTS }, SENDERS);
    const onEnclave = { clients: enclaveClients, roomId: channel.id, serverCpuMicros: () => enclave.cpuMicros() };
    const results = await sweepLanes(
      [
        { name: 'enclave', ...onEnclave, prepare: () => dlpRules.disable() },
        { name: 'enclave+dlp', ...onEnclave, prepare: () => dlpRules.enable() },
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
    const sentToEnclave = [...results.get('enclave')!.steps, ...results.get('enclave+dlp')!.steps].reduce((sum, step) => sum + step.sent, 0);
    assert.equal(await enclave.messageCount(), sentToEnclave, 'Enclave stored each sent message once, with the rules on too');
    assert.ok(dlpRules.reloadCpuMicros.length >= 1, 'the rules were switched on, proved to block and loaded');
    assert.ok((await enclave.memory()).rss > 0);
  } finally {
    await Promise.all([enclaveClients?.close(), baselineClients?.close()]);
    await dlpRules.remove();
  }
  assert.equal((await admin.endpoint('listDlpRules')()).rules.length, installedRules, 'the rules were deleted');
});

test('the cost steps deliver typing, presence and read frames, refuse nothing with the DLP rules on, and measure the server CPU they add', async () => {
  const admin = await signInAdmin(enclave.url, adminPassword);
  const users = await createSignedInUsers(admin, CLIENTS, CLIENTS);
  const channel = await createChannel(admin, 'smoke-costs', users);
  const dlpRules = await BenchDlpRules.create(admin, benchDlpRules(channel), { roomId: channel.id, serverCpuMicros: () => enclave.cpuMicros() });
  const costs = await measureRealtimeCosts(
    { server: enclave, users, channelId: channel.id, dlpRules },
    {
      rate: 20,
      seconds: 1.5,
      senders: SENDERS,
      rounds: 1,
      typists: 4,
      typingIntervalMs: 500,
      watchesPerClient: 5,
      churners: 4,
      readIntervalMs: 300,
      groupMembers: 10,
    },
  );
  await dlpRules.remove();
  assert.equal(costs.steps.length, 7, 'plain, DLP rules, typing, churn and read in the channel; plain and read in the group');
  for (const step of costs.steps) {
    const label = `${step.room} ${step.kind}`;
    assert.equal(step.exact, step.recipients, `${label}: every client got every message once, in order`);
    assert.deepEqual([step.duplicates, step.gaps, step.disorder, step.errors, step.closed], [0, 0, 0, 0, 0], label);
    assert.ok(step.serverCpuMicros > 0 && step.p99Ms > 0, label);
  }
  assert.deepEqual(costs.watchSetupFrames, { expected: CLIENTS * 5, received: CLIENTS * 5 }, 'every watch answered with the current status');
  const { channel: inChannel, group } = costs;
  assert.equal(inChannel.dlp.steps, 1);
  assert.ok(costs.steps.every((step) => step.frames.error === 0), 'no send was refused, with the rules on or off');
  assert.ok(inChannel.typing.typingSentPerStep > 0);
  const typingFrames = inChannel.typing.framesPerStep.typing ?? 0;
  assert.ok(typingFrames > 0, 'typing frames reached the other members');
  assert.ok(typingFrames <= 4 * (CLIENTS - 1) * costs.typingAllowedPerTypistPerRecipient, 'the server dropped typing frames closer than 2 s');
  assert.ok(typingFrames < inChannel.typing.typingSentPerStep * (CLIENTS - 1), 'fewer typing frames went out than a broadcast of every one');
  assert.equal(inChannel.churn.reconnectsPerStep, 4);
  assert.equal(inChannel.churn.reconnectFailures, 0);
  assert.ok((inChannel.churn.framesPerStep.presence ?? 0) > 0, 'watchers heard the churn');
  assert.ok(inChannel.read.readMarksPerStep > 0 && inChannel.read.readErrors === 0);
  assert.ok((inChannel.read.framesPerStep['room.read'] ?? 0) > 0, "readers' own streams heard their read marks");
  assert.equal(costs.groupMembers, 10);
  assert.ok(group.read.readMarksPerStep > 0 && group.read.readErrors === 0);
  assert.ok((group.read.framesPerStep['room.read_by'] ?? 0) > 0, 'a small room hears who read what');
  const json = costsJson(costs);
  for (const ratio of [json.dlp.cpuRatio, json.typing.cpuRatio, json.presence.cpuRatio, json.readReceiptsChannel.cpuRatio, json.readReceiptsGroup.cpuRatio]) assert.ok(ratio !== null && ratio > 0);
  assert.equal(costRows(json, { rules: dlpRules.size, reloadCpuMicrosMedian: dlpRules.reloadCpuMicros[0]! }).length, 6);
});
