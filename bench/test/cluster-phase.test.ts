import assert from 'node:assert/strict';
import { test } from 'node:test';
import { capacityTable, messagesPerSecondCeiling, splitMessageCost, CAPACITY_ASSUMPTIONS } from '../src/cluster-capacity';
import { BENCH_CLUSTER_SETTINGS, nodeOfClient, runClusterPhase, type ClusterLane, type ClusterResult } from '../src/cluster-phase';
import { clusterJson, clusterRows } from '../src/cluster-report';
import type { StepResult } from '../src/fanout-step';

const SMALL = { ...BENCH_CLUSTER_SETTINGS, nodeCounts: [1, 2, 3], rooms: { wide: { members: 12, rate: 20 }, narrow: { members: 4, rate: 20 } }, senders: 2, stepSeconds: 0.5, turns: 2 };

test('one node alone and two and three linked nodes each deliver every message once, in order, to receivers on other nodes', async () => {
  const result = await runClusterPhase(SMALL, { pin: false, log: () => {} });
  assert.equal(result.lanes.length, 6, 'a lane per installation and room');
  for (const lane of result.lanes) {
    assert.equal(lane.turns.length, SMALL.turns, `${lane.nodes} nodes, ${lane.room}: every turn ran`);
    for (const turn of lane.turns) {
      assert.equal(turn.exact, SMALL.rooms[lane.room].members, `${lane.nodes} nodes, ${lane.room}: every client got every message once, in order`);
      assert.ok(turn.serverCpuMicros > 0, 'the nodes’ CPU was read');
    }
  }
  const json = clusterJson(result);
  assert.equal(json.complete, true);
  assert.equal(json.lossFree, true);
  assert.deepEqual(json.compared.map((entry) => entry.nodes), [2, 3]);
  assert.ok(clusterRows(json).length >= 8);
});

test('the senders connect to the first node and everyone else to the other nodes in turn', () => {
  const nodes = [{ url: 'a' }, { url: 'b' }, { url: 'c' }];
  const nodeOf = nodeOfClient({ nodes }, 2);
  assert.deepEqual([0, 1, 2, 3, 4, 5].map(nodeOf), ['a', 'a', 'b', 'c', 'b', 'c']);
  assert.deepEqual([0, 5].map(nodeOfClient({ nodes: [{ url: 'a' }] }, 2)), ['a', 'a'], 'a node alone has everyone');
});

test('two rooms of different fan-out split the cost per message into a part per send and a part per delivery', () => {
  // 100 µs per send plus 10 µs per delivery: 2,100 µs a message to 200, 200 µs to 10.
  assert.deepEqual(splitMessageCost(1, { cpuMicrosPerSend: 2100, fanout: 200 }, { cpuMicrosPerSend: 200, fanout: 10 }), { nodes: 1, perSend: 100, perDelivery: 10 });
  assert.equal(splitMessageCost(1, { cpuMicrosPerSend: 2100, fanout: 10 }, { cpuMicrosPerSend: 200, fanout: 10 }), undefined, 'one fan-out cannot be split');
  assert.equal(splitMessageCost(1, { cpuMicrosPerSend: 150, fanout: 200 }, { cpuMicrosPerSend: 200, fanout: 10 }), undefined, 'noise that makes a delivery cost nothing is no figure');
});

test('the capacity table follows the measured costs and extends them by the reading each node adds', () => {
  const costs = [
    { nodes: 1, perSend: 100, perDelivery: 10 },
    { nodes: 3, perSend: 160, perDelivery: 10 },
  ];
  const rows = capacityTable(costs);
  assert.deepEqual(rows.map((row) => [row.nodes, row.measured]), [[1, true], [3, true], [5, false], [10, false]]);
  const { coreBudget, averageFanout, messagesPerPersonPerMinute } = CAPACITY_ASSUMPTIONS;
  assert.equal(rows[0]!.microsPerMessage, 100 + averageFanout * 10);
  assert.equal(rows[0]!.messagesPerSecondPerCore, (coreBudget * 1e6) / (100 + averageFanout * 10));
  assert.equal(rows[0]!.peopleOnlinePerCore, rows[0]!.messagesPerSecondPerCore / (messagesPerPersonPerMinute / 60));
  assert.equal(rows[1]!.messagesPerSecondInAll, rows[1]!.messagesPerSecondPerCore * 3);
  assert.equal(rows[2]!.microsPerMessage, 100 + 4 * 30 + averageFanout * 10, 'each node past the first adds 30 µs per send');
  assert.equal(messagesPerSecondCeiling(costs), (coreBudget * 1e6) / 30);
});

const turn = (serverCpuMicros: number, p99Ms: number, delivered = 100): StepResult =>
  ({ rate: 10, sent: 10, delivered, exact: 10, duplicates: 0, gaps: 0, disorder: 0, errors: 0, closed: 0, recipients: 10, expected: delivered, deliveredPerSecond: 500, p50Ms: p99Ms / 2, p99Ms, maxMs: p99Ms, serverCpu: 0.5, serverCpuMicros, elapsedMs: 1, loadGeneratorCpu: 0.5, passed: true, failure: undefined }) as StepResult;

function resultWith(wideTwoNodeCpu: number): ClusterResult {
  const settings = { ...SMALL, nodeCounts: [1, 2], turns: 3 };
  const lane = (nodes: number, room: 'wide' | 'narrow', cpu: number, p99s: number[]): ClusterLane => ({ nodes, room, turns: p99s.map((p99) => turn(cpu, p99, room === 'wide' ? 100 : 10)) });
  // One node: 10 µs per delivery in the wide room; its p99 swings with the machine. The two nodes' turns, run right
  // after, swing alike 5 ms above, but a slow spell hits their last turn alone.
  const alone = [10, 200, 30];
  const linked = [15, 205, 400];
  return { settings, pinned: true, setupSeconds: 1, lanes: [lane(1, 'wide', 1000, alone), lane(1, 'narrow', 400, alone), lane(2, 'wide', wideTwoNodeCpu, linked), lane(2, 'narrow', 500, linked)] };
}

test('the verdict is all nodes’ CPU per delivery in the wide room over one node’s, and latency is added turn by turn', () => {
  const json = clusterJson(resultWith(1200));
  assert.equal(json.compared[0]!.overhead.wide, 1.2);
  assert.equal(json.compared[0]!.overhead.narrow, 1.25);
  assert.equal(json.met, true);
  assert.equal(json.compared[0]!.p99AddedMs.wide, 5, 'the median of the turns’ differences, not the difference of the medians (205 − 30)');
  assert.equal(clusterJson(resultWith(1400)).met, false, 'two nodes spending 1.4 times one node’s CPU per delivery miss the target');
});
