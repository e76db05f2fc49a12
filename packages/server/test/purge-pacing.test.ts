import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EventLoopUtilization } from 'node:perf_hooks';
import { MAX_BATCH, PurgePacer, purgeShare, TARGET_BATCH_MS, type PacingClock } from '../src/retention/purge-pacing';

/** A clock whose event loop is `busy` (0 to 1) with other work during every wait, and that records the waits. */
function steadyLoad(busy: number): PacingClock & { pauses: number[] } {
  const pauses: number[] = [];
  let waited = 0;
  const at = (): EventLoopUtilization => ({ active: waited * busy, idle: waited * (1 - busy), utilization: busy });
  return {
    pauses,
    utilisationSince: (start) => (start === undefined ? at() : { active: at().active - start.active, idle: at().idle - start.idle, utilization: busy }),
    yieldTurn: async () => {
      waited += 0.1;
    },
    sleep: async (ms) => {
      pauses.push(ms);
      waited += ms;
    },
  };
}

async function paceFor(pacer: PurgePacer, batches: number, msPerMessage: number): Promise<void> {
  for (let i = 0; i < batches; i++) await pacer.standAside(pacer.batchSize() * msPerMessage, pacer.batchSize());
}

describe('purge pacing', () => {
  test('the purge takes most of an idle loop and a twentieth of a saturated one', () => {
    assert.equal(purgeShare(0), 0.8);
    assert.equal(purgeShare(1), 0.05);
    assert.ok(purgeShare(0.5) < 0.8 && purgeShare(0.5) > 0.05);
  });

  test('batches grow or shrink towards the target time, within bounds', async () => {
    const cheap = new PurgePacer(steadyLoad(0));
    await paceFor(cheap, 30, 0.001);
    assert.equal(cheap.batchSize(), MAX_BATCH);
    const costly = new PurgePacer(steadyLoad(0));
    await paceFor(costly, 30, 0.5);
    assert.equal(costly.batchSize(), TARGET_BATCH_MS / 0.5);
  });

  test('on a busy loop it stands aside nineteen times as long as it worked; on a quiet one, a quarter', async () => {
    const busy = steadyLoad(1);
    await paceFor(new PurgePacer(busy), 20, 0.2);
    const quiet = steadyLoad(0);
    await paceFor(new PurgePacer(quiet), 20, 0.2);
    const lastRatio = (clock: { pauses: number[] }) => clock.pauses.at(-1)! / TARGET_BATCH_MS;
    assert.ok(Math.abs(lastRatio(busy) - 19) < 0.01, `busy: ${lastRatio(busy)}`);
    assert.ok(Math.abs(lastRatio(quiet) - 0.25) < 0.01, `quiet: ${lastRatio(quiet)}`);
    assert.ok(Math.abs(busy.pauses[0]! / quiet.pauses[0]! - 1) < 0.01, 'before any wait, the loop counts as quiet');
  });
});
