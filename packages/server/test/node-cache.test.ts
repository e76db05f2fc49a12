import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { NodeCache } from '../src/node-cache';

/** A source whose reads are counted, and a probe answering its current version. */
function source() {
  const state = { version: 1, loads: 0, probes: 0 };
  return {
    state,
    load: async () => {
      state.loads += 1;
      return `value ${state.version}`;
    },
    probe: async () => {
      state.probes += 1;
      return String(state.version);
    },
  };
}

/** A promise settled from outside, to hold a build in flight. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('NodeCache', () => {
  beforeEach(() => mock.timers.enable({ apis: ['Date'], now: 1_000_000 }));
  afterEach(() => mock.timers.reset());

  test('keeps the value for its lifetime, then builds it again', async () => {
    const { state, load } = source();
    const cache = new NodeCache(10_000, load);
    assert.equal(await cache.get(), 'value 1');
    state.version = 2;
    mock.timers.tick(9_999);
    assert.equal(await cache.get(), 'value 1');
    mock.timers.tick(1);
    assert.equal(await cache.get(), 'value 2');
    assert.equal(state.loads, 2);
  });

  test('with a probe, builds again only when the probe answers differently', async () => {
    const { state, load, probe } = source();
    const cache = new NodeCache(10_000, load, probe);
    assert.equal(await cache.get(), 'value 1');
    mock.timers.tick(10_000);
    assert.equal(await cache.get(), 'value 1');
    assert.deepEqual([state.probes, state.loads], [2, 1], 'an unchanged answer keeps the value');
    mock.timers.tick(5_000);
    await cache.get();
    assert.equal(state.probes, 2, 'and restarts its lifetime');
    state.version = 2;
    mock.timers.tick(5_000);
    assert.equal(await cache.get(), 'value 2');
    assert.deepEqual([state.probes, state.loads], [3, 2]);
  });

  test('uses at the same moment share one build', async () => {
    const { state, probe } = source();
    const building = gate();
    const cache = new NodeCache(
      10_000,
      async () => {
        state.loads += 1;
        await building.opened;
        return 'built';
      },
      probe,
    );
    const uses = [cache.get(), cache.get(), cache.get()];
    building.open();
    assert.deepEqual(await Promise.all(uses), ['built', 'built', 'built']);
    assert.deepEqual([state.probes, state.loads], [1, 1]);
  });

  test('after a clear, the next use builds from the new state even while an older build is still running', async () => {
    let version = 1;
    const builds: { version: number; release: () => void }[] = [];
    const cache = new NodeCache(10_000, async () => {
      const read = version;
      const held = gate();
      builds.push({ version: read, release: held.open });
      await held.opened;
      return `value ${read}`;
    });
    const early = cache.get();
    await Promise.resolve();
    version = 2;
    cache.clear();
    const late = cache.get();
    await Promise.resolve();
    builds.forEach((build) => build.release());
    assert.equal(await early, 'value 1', 'a use from before the change may see the old value');
    assert.equal(await late, 'value 2');
    assert.equal(await cache.get(), 'value 2', 'the older build is not kept');
    assert.equal(builds.length, 2);
  });
});
