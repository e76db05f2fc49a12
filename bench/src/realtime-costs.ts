// What typing, presence, read receipts and DLP rules cost the server, as ratios against plain messaging at the same
// rate in the same run: short fan-out steps at a fixed rate, plain and with one side load (or the rules switched on)
// each, in the big channel and (for read receipts, which fan out only in rooms of up to 200 members) in a
// 200-member group.
import { sleep, waitUntil } from './concurrency';
import type { BenchDlpRules } from './dlp-rules';
import { createGroup, type BenchUser } from './enclave-setup';
import { FanoutClients } from './fanout-clients';
import { runStep, type SideLoad, type StepResult } from './fanout-step';
import { ChurnLoad, ReadLoad, TypingLoad } from './side-loads';
import type { ServerProcess } from './server-process';

/** The server drops typing announcements closer together than this, per connection and room. */
export const SERVER_TYPING_DROP_MS = 2_000;
const WATCH_SETUP_TIMEOUT_MS = 15_000;
const PAUSE_BETWEEN_STEPS_MS = 300;

export type CostKind = 'plain' | 'dlp' | 'typing' | 'churn' | 'read';
export type CostRoom = 'channel' | 'group';

export interface CostOptions {
  /** Messages per second, all senders together, in every step. */
  rate: number;
  seconds: number;
  senders: number;
  /** Each round runs every kind of step once (plain first); figures are taken over all rounds. */
  rounds: number;
  typists: number;
  typingIntervalMs: number;
  /** How many other members each client watches the presence of. */
  watchesPerClient: number;
  churners: number;
  readIntervalMs: number;
  /** Members of the group for read receipts that fan out (the bench's first users). */
  groupMembers: number;
  onStep?: (room: CostRoom, step: CostStep) => void;
}

export interface CostStep extends StepResult {
  room: CostRoom;
  kind: CostKind;
  round: number;
  /** Frames other than messages the clients received, by type; `error` counts sends the server refused. */
  frames: Record<string, number>;
  typingSent: number;
  reconnects: number;
  reconnectFailures: number;
  readMarks: number;
  readErrors: number;
  readP99Ms: number;
}

/** One kind of step in one room, over all its rounds. */
export interface CostSummary {
  steps: number;
  delivered: number;
  /** Every step delivered every message exactly once, in order, to every client. */
  exact: boolean;
  /** Server CPU microseconds per delivered message, over all the steps together. */
  serverCpuMicrosPerDelivery: number;
  /** Mean share of its core the server used. */
  serverCpu: number;
  /** Mean of the steps' p99 send-to-receive latency. */
  p99Ms: number;
  /** Frames other than messages per step (mean), by type. */
  framesPerStep: Record<string, number>;
  typingSentPerStep: number;
  reconnectsPerStep: number;
  reconnectFailures: number;
  readMarksPerStep: number;
  readErrors: number;
  readP99Ms: number;
}

export interface RealtimeCostsResult {
  rate: number;
  seconds: number;
  rounds: number;
  recipients: number;
  senders: number;
  typists: number;
  typingIntervalMs: number;
  /** Typing frames a typist's announcements can reach each other member with in one step, given the server's drop. */
  typingAllowedPerTypistPerRecipient: number;
  watchesPerClient: number;
  watchSetupFrames: { expected: number; received: number };
  churners: number;
  /** Presence frames one churn step should bring at most: offline and online to each watcher, and the re-watch. */
  churnPresenceExpected: number;
  readIntervalMs: number;
  groupMembers: number;
  channel: Record<CostKind, CostSummary>;
  group: { plain: CostSummary; read: CostSummary };
  steps: CostStep[];
}

/**
 * Runs the cost steps against a running Enclave server whose `users` are all members of `channelId`: in each
 * round a plain step, one with the DLP rules switched on, one with typing, one with presence churn and one with
 * read marks, all with every user's client connected; then, in a group of the first `groupMembers` users, plain
 * and read-mark steps. The rules are off outside their steps.
 */
export async function measureRealtimeCosts(
  target: { server: ServerProcess; users: readonly BenchUser[]; channelId: string; dlpRules: BenchDlpRules },
  options: CostOptions,
): Promise<RealtimeCostsResult> {
  const { server, users, channelId, dlpRules } = target;
  const count = users.length;
  if (options.senders + options.typists > count || options.senders + options.churners > count || options.groupMembers > count) {
    throw new Error('not enough users for the cost steps');
  }
  const watchOf = (index: number) => Array.from({ length: options.watchesPerClient }, (_, k) => users[(index + 1 + k) % count]!.user.id);
  // Typists right after the senders; churners spread over the non-senders, so a churner's watchers are mostly
  // not churning at the same moment.
  const typists = Array.from({ length: options.typists }, (_, k) => options.senders + k);
  const churners = Array.from({ length: options.churners }, (_, k) => options.senders + Math.floor((k * (count - options.senders)) / options.churners));
  const steps: CostStep[] = [];
  const serverCpuMicros = () => server.cpuMicros();

  const runCostStep = async (clients: FanoutClients, room: CostRoom, roomId: string, roomUsers: readonly BenchUser[], kind: CostKind, round: number) => {
    let typing: TypingLoad | undefined;
    let churn: ChurnLoad | undefined;
    let read: ReadLoad | undefined;
    let sideLoad: SideLoad | undefined;
    if (kind === 'typing') sideLoad = typing = new TypingLoad(clients, typists, roomId, options.typingIntervalMs);
    if (kind === 'churn') sideLoad = churn = new ChurnLoad(clients, churners, Math.max(1, options.seconds * 1000 - 500), watchOf);
    if (kind === 'read') sideLoad = read = new ReadLoad(clients, roomUsers, server.url, roomId, options.readIntervalMs);
    try {
      // Every channel step follows the same admin requests: the rules switched on for the DLP step, off for the rest.
      if (room === 'channel') await (kind === 'dlp' ? dlpRules.enable() : dlpRules.disable());
      const result = await runStep(clients, {
        rate: options.rate,
        seconds: options.seconds,
        senders: options.senders,
        roomId,
        stepTag: `cost-${room}-${round}-${kind}`,
        serverCpuMicros,
        sideLoad,
      });
      const step: CostStep = {
        ...result,
        room,
        kind,
        round,
        frames: Object.fromEntries(['typing', 'presence', 'room.read', 'room.read_by', 'error'].map((type) => [type, clients.framesOf(type)])),
        typingSent: typing?.sent ?? 0,
        reconnects: churn?.reconnected ?? 0,
        reconnectFailures: churn?.failed ?? 0,
        readMarks: read?.marked ?? 0,
        readErrors: read?.errors ?? 0,
        readP99Ms: read?.latency.quantile(0.99) ?? 0,
      };
      steps.push(step);
      options.onStep?.(room, step);
      await sleep(PAUSE_BETWEEN_STEPS_MS);
    } finally {
      read?.close();
    }
  };

  let watchSetupFrames: RealtimeCostsResult['watchSetupFrames'];
  let clients = await FanoutClients.open({ kind: 'enclave', baseUrl: server.url, users }, options.senders);
  try {
    clients.beginStep();
    for (let index = 0; index < count; index++) clients.sendFrame(index, { type: 'presence.watch', userIds: watchOf(index) });
    const expected = count * options.watchesPerClient;
    await waitUntil(() => clients.framesOf('presence') >= expected, WATCH_SETUP_TIMEOUT_MS);
    watchSetupFrames = { expected, received: clients.framesOf('presence') };
    for (let round = 1; round <= options.rounds; round++) {
      for (const kind of ['plain', 'dlp', 'typing', 'churn', 'read'] as const) await runCostStep(clients, 'channel', channelId, users, kind, round);
    }
  } finally {
    await dlpRules.disable();
    await clients.close();
  }

  const groupUsers = users.slice(0, options.groupMembers);
  const group = await createGroup(server.url, groupUsers[0]!, 'read-receipts', groupUsers.slice(1));
  clients = await FanoutClients.open({ kind: 'enclave', baseUrl: server.url, users: groupUsers }, options.senders);
  try {
    for (let round = 1; round <= options.rounds; round++) {
      for (const kind of ['plain', 'read'] as const) await runCostStep(clients, 'group', group.id, groupUsers, kind, round);
    }
  } finally {
    await clients.close();
  }

  const summary = (room: CostRoom, kind: CostKind) => summarise(steps.filter((step) => step.room === room && step.kind === kind));
  return {
    rate: options.rate,
    seconds: options.seconds,
    rounds: options.rounds,
    recipients: count,
    senders: options.senders,
    typists: options.typists,
    typingIntervalMs: options.typingIntervalMs,
    typingAllowedPerTypistPerRecipient: Math.floor((options.seconds * 1000 - 1) / SERVER_TYPING_DROP_MS) + 1,
    watchesPerClient: options.watchesPerClient,
    watchSetupFrames,
    churners: options.churners,
    // On the ring of watches each person has as many watchers as each client watches.
    churnPresenceExpected: options.churners * (2 * options.watchesPerClient + options.watchesPerClient),
    readIntervalMs: options.readIntervalMs,
    groupMembers: group.memberCount,
    channel: { plain: summary('channel', 'plain'), dlp: summary('channel', 'dlp'), typing: summary('channel', 'typing'), churn: summary('channel', 'churn'), read: summary('channel', 'read') },
    group: { plain: summary('group', 'plain'), read: summary('group', 'read') },
    steps,
  };
}

function summarise(steps: readonly CostStep[]): CostSummary {
  const n = Math.max(1, steps.length);
  const sum = (value: (step: CostStep) => number) => steps.reduce((total, step) => total + value(step), 0);
  const delivered = sum((step) => step.delivered);
  const types = [...new Set(steps.flatMap((step) => Object.keys(step.frames)))];
  return {
    steps: steps.length,
    delivered,
    exact: steps.every((step) => step.exact === step.recipients && step.delivered === step.expected),
    serverCpuMicrosPerDelivery: delivered > 0 ? sum((step) => step.serverCpuMicros) / delivered : 0,
    serverCpu: sum((step) => step.serverCpu) / n,
    p99Ms: sum((step) => step.p99Ms) / n,
    framesPerStep: Object.fromEntries(types.map((type) => [type, sum((step) => step.frames[type] ?? 0) / n])),
    typingSentPerStep: sum((step) => step.typingSent) / n,
    reconnectsPerStep: sum((step) => step.reconnects) / n,
    reconnectFailures: sum((step) => step.reconnectFailures),
    readMarksPerStep: sum((step) => step.readMarks) / n,
    readErrors: sum((step) => step.readErrors),
    readP99Ms: Math.max(0, ...steps.map((step) => step.readP99Ms)),
  };
}
