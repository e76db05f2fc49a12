import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BENCH_CUSTODY_SETTINGS, runCustodyPhase, type CustodyResult } from '../src/custody-phase';
import { custodyJson, custodyRows } from '../src/custody-report';
import type { SweepStep } from '../src/fanout-sweep';
import type { PersistResult } from '../src/persisted-sends';

const SMALL = {
  ...BENCH_CUSTODY_SETTINGS,
  fanoutRecipients: 20,
  fanoutSenders: 2,
  stepSeconds: 0.5,
  startRate: 20,
  maxSteps: 1,
  resolution: 2,
  fixedRateRounds: 2,
  persistSenders: 10,
  persistSeconds: 0.5,
  persistRounds: 2,
  deletions: 4,
  seal: { textBytes: 200, pairs: 1_000, batches: 2, warmup: 100 },
};

test('the custody phase runs the same workloads on a server with encryption on and one with it off, and deletes rooms with secure_delete on and off', async () => {
  const result = await runCustodyPhase(SMALL, { pin: false, log: () => {} });
  assert.deepEqual(
    [result.storage.plain.encrypting, result.storage.encrypted.encrypting],
    [false, true],
    'each server says it encrypts as its lane is named: ENCLAVE_ENCRYPTION reached it',
  );
  for (const lane of ['plain', 'encrypted'] as const) {
    const { steps } = result.fanout[lane];
    assert.ok(steps.length >= 1, `${lane} ran its fan-out step (twice when the first missed the latency bound)`);
    for (const step of steps) {
      assert.equal(step.exact, SMALL.fanoutRecipients, `${lane}: every client got every message once, in order`);
      assert.deepEqual([step.duplicates, step.gaps, step.disorder, step.errors, step.closed], [0, 0, 0, 0, 0], lane);
    }
    assert.equal(result.persisted[lane].length, SMALL.persistRounds, `${lane} ran every round of sends`);
    for (const round of result.persisted[lane]) {
      assert.equal(round.errors, 0, lane);
      assert.ok(round.stored > 0 && round.stored === round.acked, `${lane}: every acknowledged send is a stored row`);
    }
    assert.equal(result.fixedRate[lane].length, SMALL.fixedRateRounds, `${lane} took every turn at the fixed rate`);
    for (const step of result.fixedRate[lane]) assert.equal(step.exact, SMALL.fanoutRecipients, `${lane}: every client got every fixed-rate message once, in order`);
    assert.equal(new Set([...result.fixedRate.plain, ...result.fixedRate.encrypted].map((step) => step.rate)).size, 1, 'both lanes ran the same fixed rate');
    const sentInFanout = [...result.fanout[lane].steps, ...result.fixedRate[lane]].reduce((sum, step) => sum + step.sent, 0);
    const stored = result.persisted[lane].reduce((sum, round) => sum + round.stored, 0);
    assert.equal(result.sealedBodies[lane].total, sentInFanout + stored, `${lane}: the sealed count read every stored body`);
  }
  assert.equal(result.sealedBodies.plain.sealed, 0, 'with encryption off the server stores bodies plain');

  assert.equal(result.deletions.length, SMALL.deletions);
  assert.deepEqual(
    result.deletions.map((deletion) => deletion.secureDelete),
    [true, false, true, false],
    'secure_delete switched for every other room (the phase checks the server took each switch)',
  );
  for (const deletion of result.deletions) assert.ok(deletion.ms > 0 && deletion.messages > 0, 'each deleted room held messages the certificate counts');

  assert.equal(result.seal.textBytes, 200);
  assert.ok(result.seal.sealMicros > 0 && result.seal.openMicros > 0);
  assert.ok(result.seal.storedBytes > 200 + 28, 'the stored form carries the IV and the tag besides the text');

  const json = custodyJson(result);
  assert.equal(json.secureDelete.roomsEach, 2);
  assert.equal(custodyRows(json).length, 4);
});

test('an encryption ratio is met only when the encrypted server sealed every body and the plain one none', () => {
  const step = (deliveredPerSecond: number, serverCpuMicros = 1): SweepStep =>
    ({ rate: 10, attempt: 1, sent: 10, delivered: 100, exact: 10, duplicates: 0, gaps: 0, disorder: 0, errors: 0, closed: 0, recipients: 10, expected: 100, deliveredPerSecond, p50Ms: 1, p99Ms: 2, maxMs: 3, serverCpu: 0.5, serverCpuMicros, elapsedMs: 1, loadGeneratorCpu: 0.5, passed: true }) as SweepStep;
  const round = (persistedPerSecond: number): PersistResult => ({ senders: 1, seconds: 1, acked: 10, errors: 0, stored: 10, persistedPerSecond, ackP50Ms: 1, ackP99Ms: 2, serverCpu: 0.5 });
  const result = (sealed: number, plainSealed = 0): CustodyResult => ({
    settings: SMALL,
    storage: { plain: { encrypting: false, secureDelete: 'on' }, encrypted: { encrypting: true, secureDelete: 'on' } },
    fanout: { plain: { steps: [step(1000)], best: step(1000) }, encrypted: { steps: [step(950)], best: step(950) } },
    // CPU per delivery: plain 1.9 (median of 1.8, 1.9, 5: one slow spell), encrypted 2.0: a ratio of 0.95.
    fixedRate: { plain: [step(500, 180), step(500, 500), step(500, 190)], encrypted: [step(500, 200), step(500, 210), step(500, 195)] },
    persisted: { plain: [round(100), round(120), round(90)], encrypted: [round(96), round(80), round(99)] },
    sealedBodies: { plain: { sealed: plainSealed, total: 50 }, encrypted: { sealed, total: 50 } },
    deletions: [
      { secureDelete: true, ms: 12, messages: 5 },
      { secureDelete: false, ms: 10, messages: 5 },
    ],
    seal: { textBytes: 200, pairs: 10, batches: 1, sealMicros: 5, openMicros: 3, storedBytes: 300 },
  });
  const sealed = custodyJson(result(50));
  assert.equal(sealed.fanout.ratio, 0.95, 'server CPU per delivery at the fixed rate, medians: 1.9 µs plain over 2.0 µs encrypted');
  assert.equal(sealed.fanout.sweepRatio, 0.95, "the sweep's best rates, shown beside it");
  assert.equal(sealed.persistedSends.ratio, 0.96, 'the medians of the rounds: 96 of 100');
  assert.deepEqual([sealed.sealedAsConfigured, sealed.fanout.met, sealed.persistedSends.met], [true, true, true]);
  assert.equal(sealed.secureDelete.ratio, 1.2);
  for (const unsealed of [custodyJson(result(49)), custodyJson(result(50, 1))]) {
    assert.deepEqual([unsealed.sealedAsConfigured, unsealed.fanout.met, unsealed.persistedSends.met], [false, false, false]);
    assert.match(custodyRows(unsealed)[1]![2], /NOT a figure of encryption/);
  }
});
