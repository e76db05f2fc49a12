import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SweepStep } from '../src/fanout-sweep';
import { BENCH_HOURS_SETTINGS, HOURS_LANES, runHoursPhase, type HoursResult, type HoursTurn, type QuietCount } from '../src/hours-phase';
import { hoursJson, hoursRows, medianOf, quietProblems } from '../src/hours-report';
import { leaveCoveringToday } from '../src/off-work';

const SMALL = { ...BENCH_HOURS_SETTINGS, recipients: 20, offWork: 8, senders: 2, stepSeconds: 0.5, startRate: 20, maxSteps: 1, resolution: 2, fixedRateTurns: 2 };

test('the hours phase takes turns on one server and room with everyone at work and with members on leave', async () => {
  const result = await runHoursPhase(SMALL, { pin: false, log: () => {} });
  for (const lane of HOURS_LANES) {
    assert.ok(result.sweep[lane].steps.length >= 1, `${lane} ran its sweep step`);
    assert.equal(result.fixedRate[lane].length, SMALL.fixedRateTurns, `${lane} took every fixed-rate turn`);
    for (const step of [...result.sweep[lane].steps, ...result.fixedRate[lane]]) {
      assert.equal(step.exact, SMALL.recipients, `${lane}: every client got every message once, in order, off work or not`);
    }
    for (const turn of result.fixedRate[lane]) assert.equal(turn.quiet.offWorkReceived, turn.sent * SMALL.offWork, `${lane}: the off-work clients' messages are counted`);
  }
  assert.equal(new Set(HOURS_LANES.flatMap((lane) => result.fixedRate[lane].map((turn) => turn.rate))).size, 1, 'both lanes ran the same fixed rate');
  // Sweep: at-work, half-off (a switch); turns: at-work (a switch), half-off (a switch), half-off, at-work (a switch).
  assert.equal(result.switchSeconds.length, 4, 'the leave was switched whenever the lane changed, and only then');
  const quietTo = (lane: 'at-work' | 'half-off', who: 'offWorkClients' | 'atWorkClients') => result.fixedRate[lane].reduce((sum, turn) => sum + turn.quiet[who], 0);
  assert.equal(quietTo('half-off', 'atWorkClients'), 0, 'nobody at work gets a message marked quiet');
  assert.equal(quietTo('at-work', 'offWorkClients') + quietTo('at-work', 'atWorkClients'), 0, 'with everyone back from leave, nothing is quiet');
  assert.ok(hoursRows(hoursJson(result)).length >= 6);
});

const turn = (serverCpuMicros: number, quiet: QuietCount, deliveredPerSecond = 500): HoursTurn =>
  ({ rate: 10, sent: 10, delivered: 100, exact: 10, duplicates: 0, gaps: 0, disorder: 0, errors: 0, closed: 0, recipients: 10, expected: 100, deliveredPerSecond, p50Ms: 1, p99Ms: 2, maxMs: 3, serverCpu: 0.5, serverCpuMicros, elapsedMs: 1, loadGeneratorCpu: 0.5, passed: true, failure: undefined, quiet }) as HoursTurn;
const none: QuietCount = { offWorkClients: 0, atWorkClients: 0, offWorkReceived: 50 };
const marked: QuietCount = { offWorkClients: 50, atWorkClients: 0, offWorkReceived: 50 };

function resultOf(halfOffQuiet: QuietCount, halfOffCpu: [number, number, number]): HoursResult {
  const best: SweepStep = { ...turn(100, none, 1000), attempt: 1 };
  return {
    settings: { ...SMALL, fixedRateTurns: 3 },
    sweep: { 'at-work': { steps: [best], best }, 'half-off': { steps: [best], best } },
    sweepQuiet: { 'at-work': { ...none, offWorkReceived: 0 }, 'half-off': { ...none, offWorkReceived: 0 } },
    // At work: 1.8, 5 (one slow spell), 1.9 µs per delivery: a median of 1.9.
    fixedRate: { 'at-work': [turn(180, none), turn(500, none), turn(190, none)], 'half-off': halfOffCpu.map((cpu) => turn(cpu, halfOffQuiet)) },
    switchSeconds: [2, 1, 3],
  };
}

test('the verdict is CPU per delivery at the fixed rate, the median turn of each lane, at work over half off', () => {
  const json = hoursJson(resultOf(marked, [200, 210, 195]));
  assert.equal(json.cpuRatio, 0.95, 'medians 1.9 µs at work over 2.0 µs half off');
  assert.equal(json.deliveriesRatio, 1);
  assert.equal(json.met, true);
  assert.equal(json.switchSecondsMedian, 2);
  const costly = hoursJson(resultOf(marked, [250, 240, 260]));
  assert.equal(costly.cpuRatio, 0.76);
  assert.equal(costly.met, false, 'half off costing a quarter more per delivery misses the target');
});

test('a run whose off-work clients got nothing marked quiet fails the verdict and says why, however good the ratio', () => {
  const json = hoursJson(resultOf(none, [180, 190, 185]));
  assert.ok(json.cpuRatio! >= 1);
  assert.equal(json.met, false);
  assert.equal(json.quiet.passed, false);
  assert.match(hoursRows(json).map((row) => row.join(' ')).join('\n'), /Quiet check\s+FAILED the off-work clients got no message marked quiet/);

  assert.deepEqual(quietProblems({ 'at-work': none, 'half-off': marked }), []);
  assert.equal(quietProblems({ 'at-work': none, 'half-off': { ...marked, atWorkClients: 3 } }).length, 1, 'a quiet message to someone at work');
  assert.equal(quietProblems({ 'at-work': { ...none, offWorkClients: 1 }, 'half-off': marked }).length, 1, 'a quiet message in the at-work lane');
});

test('the median takes the lower middle of an even count, and leave covers today from the day before to the day after', () => {
  assert.equal(medianOf([3, 1, 2]), 2);
  assert.equal(medianOf([4, 1, 3, 2]), 2);
  assert.equal(medianOf([]), 0);
  assert.deepEqual(leaveCoveringToday(Date.parse('2026-12-31T23:59:00Z')), { from: '2026-12-30', to: '2027-01-01' });
});
