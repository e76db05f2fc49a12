/**
 * The capacity model of several nodes, computed from the cluster bench's measured costs. This machine has two cores,
 * so it cannot show throughput growing with nodes; what it can measure is what each message and each delivery costs
 * the nodes together, and from that the load one core carries. The assumptions are here, next to the arithmetic, so
 * that the table and what it assumes cannot drift apart; docs/admin-guide.md ("Several nodes") prints both.
 */
export const CAPACITY_ASSUMPTIONS = {
  /**
   * The share of each node's core planned for steady chat; the rest absorbs peaks, garbage collection, sign-ins,
   * history pages, search and uploads, none of which the bench's load has.
   */
  coreBudget: 0.5,
  /** Online people an average message reaches, channels, groups and direct messages together. */
  averageFanout: 20,
  /** Messages each online person sends per minute in the busiest hour: one every two minutes. */
  messagesPerPersonPerMinute: 0.5,
  /** Node counts the table extends to beyond the measured ones, marked as extrapolated. */
  extrapolatedNodes: [5, 10],
} as const;

/** What one message costs the nodes of an installation together, in CPU microseconds. */
export interface MessageCost {
  nodes: number;
  /** Once per message, whoever receives it: the send, its commit, and every other node reading it from the database. */
  perSend: number;
  /** Once per stream the message is written to. */
  perDelivery: number;
}

export interface CapacityRow {
  nodes: number;
  /** From this node count's own measured costs, or extended from the measured ones. */
  measured: boolean;
  /** CPU microseconds of one message at the assumed fan-out, all nodes together. */
  microsPerMessage: number;
  messagesPerSecondPerCore: number;
  peopleOnlinePerCore: number;
  /** With one core per node and the load spread evenly over them. */
  messagesPerSecondInAll: number;
  peopleOnlineInAll: number;
}

/**
 * Splits the cost per message into a part per send and a part per delivery, from two rooms measured on the same
 * installation: each room's CPU per message sent is `perSend + fanout × perDelivery`, two equations in two unknowns.
 * Undefined when the rooms' fan-outs are equal, or when the machine's noise makes either part come out negative.
 */
export function splitMessageCost(nodes: number, wide: { cpuMicrosPerSend: number; fanout: number }, narrow: { cpuMicrosPerSend: number; fanout: number }): MessageCost | undefined {
  if (wide.fanout === narrow.fanout) return undefined;
  const perDelivery = (wide.cpuMicrosPerSend - narrow.cpuMicrosPerSend) / (wide.fanout - narrow.fanout);
  const perSend = narrow.cpuMicrosPerSend - perDelivery * narrow.fanout;
  return perDelivery > 0 && perSend >= 0 ? { nodes, perSend, perDelivery } : undefined;
}

/**
 * The capacity table: a row per measured node count, then rows extended from them. Extending assumes what the
 * design says: every node reads every message from the database once whether or not it has a recipient online, so
 * the cost per send grows by the same step with each node (fitted from the first and last measured counts), while a
 * delivery costs the same wherever it happens (the last measured count's figure).
 */
export function capacityTable(costs: readonly MessageCost[], assumptions = CAPACITY_ASSUMPTIONS): CapacityRow[] {
  if (costs.length === 0) return [];
  const first = costs[0]!;
  const last = costs[costs.length - 1]!;
  const stepPerNode = extraCostPerNode(costs) ?? 0;
  const extended = assumptions.extrapolatedNodes
    .filter((nodes) => nodes > last.nodes)
    .map((nodes): MessageCost => ({ nodes, perSend: first.perSend + (nodes - first.nodes) * stepPerNode, perDelivery: last.perDelivery }));
  return [...costs.map((cost) => row(cost, true, assumptions)), ...extended.map((cost) => row(cost, false, assumptions))];
}

/** The cost per send each node adds, fitted from the first and last measured counts; undefined from one count. */
export function extraCostPerNode(costs: readonly MessageCost[]): number | undefined {
  const first = costs[0];
  const last = costs[costs.length - 1];
  if (!first || !last || last.nodes === first.nodes) return undefined;
  return Math.max(0, (last.perSend - first.perSend) / (last.nodes - first.nodes));
}

/**
 * Messages per second no number of nodes can pass, however many: each node reads every message, so adding nodes
 * adds that reading to every core. Undefined when no extra cost per node was measured.
 */
export function messagesPerSecondCeiling(costs: readonly MessageCost[], assumptions = CAPACITY_ASSUMPTIONS): number | undefined {
  const step = extraCostPerNode(costs);
  return step ? (assumptions.coreBudget * 1e6) / step : undefined;
}

function row(cost: MessageCost, measured: boolean, assumptions: typeof CAPACITY_ASSUMPTIONS): CapacityRow {
  const microsPerMessage = cost.perSend + assumptions.averageFanout * cost.perDelivery;
  const messagesPerSecondPerCore = (assumptions.coreBudget * 1e6) / microsPerMessage;
  const messagesPerPersonPerSecond = assumptions.messagesPerPersonPerMinute / 60;
  return {
    nodes: cost.nodes,
    measured,
    microsPerMessage,
    messagesPerSecondPerCore,
    peopleOnlinePerCore: messagesPerSecondPerCore / messagesPerPersonPerSecond,
    messagesPerSecondInAll: messagesPerSecondPerCore * cost.nodes,
    peopleOnlineInAll: (messagesPerSecondPerCore * cost.nodes) / messagesPerPersonPerSecond,
  };
}
