import assert from 'node:assert/strict';
import { test } from 'node:test';
import { capacityTable, messagesPerSecondCeiling, splitMessageCost, CAPACITY_ASSUMPTIONS } from '../src/cluster-capacity';
import { BENCH_CLUSTER_SETTINGS, nodeOfClient, runClusterPhase } from '../src/cluster-phase';
import { clusterJson, clusterRows } from '../src/cluster-report';

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
