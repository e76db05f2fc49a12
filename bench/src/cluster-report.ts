import { CAPACITY_ASSUMPTIONS, capacityTable, extraCostPerNode, messagesPerSecondCeiling, splitMessageCost, type CapacityRow, type MessageCost } from './cluster-capacity';
import { CLUSTER_ROOMS, laneName, type ClusterLane, type ClusterResult, type ClusterRoomName } from './cluster-phase';
import { medianOf } from './hours-report';

/** Issue 18: the nodes together spend at most this many times one node's CPU per delivery. */
export const CLUSTER_TARGETS = { overheadRatio: 1.3 } as const;

/** A lane's figures: the median of its turns, and every turn's CPU per delivery and p99 beside it. */
export function laneFigures(lane: ClusterLane) {
  const turns = lane.turns.filter((turn) => turn.delivered > 0 && turn.sent > 0);
  return {
    nodes: lane.nodes,
    room: lane.room,
    turns: lane.turns.length,
    rate: lane.turns[0]?.rate ?? null,
    fanout: round(medianOf(turns.map((turn) => turn.delivered / turn.sent)), 1),
    cpuMicrosPerDelivery: round(medianOf(turns.map((turn) => turn.serverCpuMicros / turn.delivered)), 2),
    cpuMicrosPerSend: round(medianOf(turns.map((turn) => turn.serverCpuMicros / turn.sent)), 1),
    p50Ms: round(medianOf(turns.map((turn) => turn.p50Ms)), 2),
    p99Ms: round(medianOf(turns.map((turn) => turn.p99Ms)), 2),
    deliveredPerSecond: Math.round(medianOf(turns.map((turn) => turn.deliveredPerSecond))),
    /** The nodes' CPU together, as a share of the one core they are pinned to. */
    serverCpu: round(medianOf(turns.map((turn) => turn.serverCpu)), 3),
    lossFree: lane.turns.every((turn) => turn.failure !== 'loss'),
    turnsCpuMicrosPerDelivery: turns.map((turn) => round(turn.serverCpuMicros / turn.delivered, 2)),
    turnsP99Ms: lane.turns.map((turn) => round(turn.p99Ms, 2)),
  };
}

/** The figures for `BENCH_CLUSTER`: latency added, overhead ratios (the verdict), the costs split, the capacity table. */
export function clusterJson(result: ClusterResult) {
  const { settings } = result;
  const lanes = result.lanes.map(laneFigures);
  const find = (nodes: number, room: ClusterRoomName) => lanes.find((lane) => lane.nodes === nodes && lane.room === room);
  const laneOf = (nodes: number, room: ClusterRoomName) => result.lanes.find((lane) => lane.nodes === nodes && lane.room === room);
  const [alone, ...linked] = settings.nodeCounts;
  const ratio = (numerator: number | undefined, denominator: number | undefined) => (numerator && denominator ? round(numerator / denominator, 3) : null);
  const perRoom = <T>(figure: (room: ClusterRoomName) => T) => Object.fromEntries(CLUSTER_ROOMS.map((room) => [room, figure(room)])) as Record<ClusterRoomName, T>;

  const compared = linked.map((nodes) => ({
    nodes,
    /** CPU per delivery of all the nodes together over one node's, in each room. */
    overhead: perRoom((room) => ratio(find(nodes, room)?.cpuMicrosPerDelivery, find(alone!, room)?.cpuMicrosPerDelivery)),
    /** The receivers are all on other nodes than the sender's: the p99 and p50 that crossing adds, in ms. */
    p99AddedMs: perRoom((room) => addedLatency(laneOf(nodes, room), laneOf(alone!, room), 'p99Ms')),
    p50AddedMs: perRoom((room) => addedLatency(laneOf(nodes, room), laneOf(alone!, room), 'p50Ms')),
  }));
  const costs = settings.nodeCounts
    .map((nodes) => {
      const wide = find(nodes, 'wide');
      const narrow = find(nodes, 'narrow');
      return wide && narrow ? splitMessageCost(nodes, wide, narrow) : undefined;
    })
    .filter((cost): cost is MessageCost => cost !== undefined);
  const complete = lanes.length === settings.nodeCounts.length * CLUSTER_ROOMS.length && lanes.every((lane) => lane.turns === settings.turns);
  const lossFree = lanes.every((lane) => lane.lossFree);
  const target = CLUSTER_TARGETS.overheadRatio;
  // The verdict reads the wide channel: a fan-out's cost per delivery, the figure every other fan-out verdict uses.
  const met = complete && lossFree && compared.every(({ overhead }) => overhead.wide !== null && overhead.wide <= target);
  const capacity = capacityTable(costs);
  const ceiling = messagesPerSecondCeiling(costs);
  return {
    nodeCounts: settings.nodeCounts,
    rooms: settings.rooms,
    senders: settings.senders,
    stepSeconds: settings.stepSeconds,
    turns: settings.turns,
    setupSeconds: Math.round(result.setupSeconds),
    nodesPinned: result.pinned,
    target,
    met,
    lossFree,
    complete,
    compared,
    costs: costs.map((cost) => ({ nodes: cost.nodes, perSendMicros: round(cost.perSend, 1), perDeliveryMicros: round(cost.perDelivery, 2) })),
    extraPerSendMicrosPerNode: nullableRound(extraCostPerNode(costs), 1),
    capacityAssumptions: CAPACITY_ASSUMPTIONS,
    capacity: capacity.map(roundRow),
    messagesPerSecondCeiling: nullableRound(ceiling, 0),
    lanes,
  };
}

export type ClusterJson = ReturnType<typeof clusterJson>;

/** The summary rows: measure, value, detail. */
export function clusterRows(json: ClusterJson): [string, string, string][] {
  const one = (room: ClusterRoomName) => json.lanes.find((lane) => lane.nodes === json.nodeCounts[0] && lane.room === room);
  const lane = (nodes: number, room: ClusterRoomName) => json.lanes.find((entry) => entry.nodes === nodes && entry.room === room);
  const verdict = (value: number | null) => (value === null ? 'n/a' : `${value.toFixed(2)}${value <= json.target ? '' : ' (over)'}`);
  const rows: [string, string, string][] = [];
  for (const { nodes, overhead, p99AddedMs, p50AddedMs } of json.compared) {
    for (const room of CLUSTER_ROOMS) {
      const many = lane(nodes, room);
      const alone = one(room);
      rows.push([
        `CPU per delivery, ${nodes} nodes / 1, ${room}`,
        verdict(overhead[room]),
        `${many?.cpuMicrosPerDelivery ?? 'n/a'} vs ${alone?.cpuMicrosPerDelivery ?? 'n/a'} µs per delivery; ${many?.cpuMicrosPerSend ?? 'n/a'} vs ${alone?.cpuMicrosPerSend ?? 'n/a'} µs per send` +
          (room === 'wide' ? `; target <= ${json.target}${json.met ? ' (met)' : ' (MISSED)'}` : '; shown, not judged'),
      ]);
      rows.push([`Cross-node p99 added, ${nodes} nodes, ${room}`, `${formatMs(p99AddedMs[room])}`, `median of the turns' differences; p50 ${formatMs(p50AddedMs[room])}; medians p99 ${many?.p99Ms ?? 'n/a'} vs ${alone?.p99Ms ?? 'n/a'} ms, p50 ${many?.p50Ms ?? 'n/a'} vs ${alone?.p50Ms ?? 'n/a'} ms`]);
    }
  }
  for (const cost of json.costs) rows.push([`Cost split, ${cost.nodes} node${cost.nodes === 1 ? '' : 's'}`, `${cost.perSendMicros} µs`, `per send, plus ${cost.perDeliveryMicros} µs per delivery (all nodes' CPU)`]);
  if (json.costs.length < json.nodeCounts.length) rows.push(['Cost split', 'FAILED', 'a node count gave a negative part: the machine was too noisy to split its cost']);
  for (const row of json.capacity) {
    rows.push([
      `Capacity, ${row.nodes} node${row.nodes === 1 ? '' : 's'}${row.measured ? '' : ' (extrapolated)'}`,
      `${thousands(row.peopleOnlinePerCore)}`,
      `people online per core; ${thousands(row.messagesPerSecondPerCore)} msg/s per core, ${thousands(row.peopleOnlineInAll)} people and ${thousands(row.messagesPerSecondInAll)} msg/s in all`,
    ]);
  }
  if (json.messagesPerSecondCeiling !== null) rows.push(['Ceiling of any number of nodes', `${thousands(json.messagesPerSecondCeiling)} msg/s`, `every node reads every message: ${json.extraPerSendMicrosPerNode} µs more per send for each node`]);
  if (!json.lossFree) rows.push(['Delivery', 'FAILED', 'some turn LOST, duplicated or reordered messages']);
  if (!json.complete) rows.push(['Turns', 'INCOMPLETE', 'some lane did not run every turn']);
  return rows;
}

/** A lane's turn line. */
export function formatClusterTurn(lane: Pick<ClusterLane, 'nodes' | 'room'>, step: { rate: number; delivered: number; sent: number; serverCpuMicros: number; p50Ms: number; p99Ms: number; serverCpu: number; failure?: string | undefined }): string {
  const perDelivery = step.delivered > 0 ? (step.serverCpuMicros / step.delivered).toFixed(2) : 'n/a';
  return `${laneName(lane).padEnd(16)} ${String(step.rate).padStart(4)} msg/s  ${thousands(step.delivered).padStart(7)} delivered  p50 ${step.p50Ms.toFixed(1)} p99 ${step.p99Ms.toFixed(1)} ms  ${perDelivery} µs/delivery  nodes' CPU ${Math.round(step.serverCpu * 100)}%${step.failure ? `  ${step.failure.toUpperCase()}` : ''}`;
}

function roundRow(row: CapacityRow) {
  return {
    nodes: row.nodes,
    measured: row.measured,
    microsPerMessage: round(row.microsPerMessage, 1),
    messagesPerSecondPerCore: Math.round(row.messagesPerSecondPerCore),
    peopleOnlinePerCore: Math.round(row.peopleOnlinePerCore),
    messagesPerSecondInAll: Math.round(row.messagesPerSecondInAll),
    peopleOnlineInAll: Math.round(row.peopleOnlineInAll),
  };
}

/**
 * The latency a lane adds over the baseline lane, as the median of the differences turn by turn: the lanes of a turn
 * run one after the other, so a slow spell of the shared machine mostly hits both sides of a difference, where it
 * would move one lane's median alone.
 */
function addedLatency(lane: ClusterLane | undefined, baseline: ClusterLane | undefined, quantile: 'p50Ms' | 'p99Ms'): number | null {
  if (!lane || !baseline) return null;
  const turns = Math.min(lane.turns.length, baseline.turns.length);
  if (turns === 0) return null;
  return round(medianOf(Array.from({ length: turns }, (_, turn) => lane.turns[turn]![quantile] - baseline.turns[turn]![quantile])), 2);
}

function formatMs(value: number | null): string {
  return value === null ? 'n/a' : `${value >= 0 ? '+' : ''}${value.toFixed(2)} ms`;
}

function nullableRound(value: number | undefined, digits: number): number | null {
  return value === undefined ? null : round(value, digits);
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

function thousands(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
