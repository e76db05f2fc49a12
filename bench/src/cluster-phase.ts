import { randomBytes } from 'node:crypto';
import { NatsProcess } from '../../packages/server/test/nats-process';
import { BenchInstallation } from './cluster-installation';
import { sleep } from './concurrency';
import { createChannel, createSignedInUsers, signInAdmin } from './enclave-setup';
import { FanoutClients } from './fanout-clients';
import { runStep, type StepResult } from './fanout-step';

/**
 * Issue 18's figures: what linking nodes costs per delivery and per send, and what it adds to latency. Three
 * installations run side by side on the same PostgreSQL server: one node alone (no broker), two nodes and three nodes
 * linked by one NATS broker, every node process pinned to the server core. Each has a wide channel and a narrow one
 * with their own clients; the senders connect to the first node and every other client to the other nodes in turn,
 * so in the linked installations every message reaches its receivers on a node it was not sent on. The lanes
 * (installation × room) take turns at one fixed rate per room, so a slow spell of the shared machine hits them alike.
 */
export interface ClusterSettings {
  /** Node counts, one installation each; the first is the baseline and should be 1. */
  nodeCounts: readonly number[];
  rooms: Record<ClusterRoomName, { members: number; rate: number }>;
  /** Clients that send, the first of every room's members; they connect to the first node. */
  senders: number;
  stepSeconds: number;
  turns: number;
}

/** The wide channel measures the cost per delivery of a fan-out; the narrow room, with it, the cost per send. */
export type ClusterRoomName = 'wide' | 'narrow';
export const CLUSTER_ROOMS: readonly ClusterRoomName[] = ['wide', 'narrow'];

export const BENCH_CLUSTER_SETTINGS = {
  nodeCounts: [1, 2, 3],
  rooms: { wide: { members: 200, rate: 40 }, narrow: { members: 10, rate: 100 } },
  senders: 5,
  stepSeconds: 3,
  turns: 5,
} as const satisfies ClusterSettings;

export interface ClusterLane {
  nodes: number;
  room: ClusterRoomName;
  /** The fixed-rate turns in the order run; fewer than the settings' turns after a loss. */
  turns: StepResult[];
}

export interface ClusterResult {
  settings: ClusterSettings;
  lanes: ClusterLane[];
  /** Every installation's nodes were pinned to the server core. */
  pinned: boolean;
  setupSeconds: number;
}

const PAUSE_BETWEEN_STEPS_MS = 300;

export async function runClusterPhase(settings: ClusterSettings, options: { pin: boolean; log: (line: string) => void; onStep?: (lane: ClusterLane, step: StepResult) => void }): Promise<ClusterResult> {
  const { log } = options;
  const setupStarted = performance.now();
  const nats = await NatsProcess.start();
  const installations: BenchInstallation[] = [];
  const opened: FanoutClients[] = [];
  try {
    const adminPassword = randomBytes(12).toString('hex');
    for (const nodes of settings.nodeCounts) installations.push(await BenchInstallation.start({ nodes, natsUrl: nats.url, adminPassword, pin: options.pin }));
    log(`cluster: installations of ${settings.nodeCounts.join(', ')} nodes on PostgreSQL, the linked ones through nats-server on ${nats.url}`);
    const prepared = await Promise.all(
      installations.map(async (installation) => {
        const admin = await signInAdmin(installation.firstUrl, adminPassword);
        let firstIndex = 0;
        const rooms: { name: ClusterRoomName; clients: FanoutClients; roomId: string }[] = [];
        for (const name of CLUSTER_ROOMS) {
          const users = await createSignedInUsers(admin, settings.rooms[name].members, firstIndex);
          firstIndex += users.length;
          const room = await createChannel(admin, `cluster-${name}`, users);
          const clients = await FanoutClients.open({ kind: 'enclave', baseUrl: installation.firstUrl, users, nodeOf: nodeOfClient(installation, settings.senders) }, settings.senders);
          opened.push(clients);
          rooms.push({ name, clients, roomId: room.id });
        }
        return { installation, rooms };
      }),
    );
    const setupSeconds = (performance.now() - setupStarted) / 1000;
    log(`cluster: set up in ${setupSeconds.toFixed(0)} s; ${settings.turns} turns of ${settings.stepSeconds} s per lane, the order alternating`);

    const lanes = prepared.flatMap(({ installation, rooms }) =>
      rooms.map((room) => ({ lane: { nodes: installation.nodes.length, room: room.name, turns: [] } as ClusterLane, installation, ...room, lost: false })),
    );
    for (let turn = 0; turn < settings.turns; turn++) {
      const order = turn % 2 === 0 ? lanes : [...lanes].reverse();
      for (const entry of order) {
        // A loss leaves the clients' sequence state behind the server's: the lane's later turns would only repeat it.
        if (entry.lost) continue;
        const { rate } = settings.rooms[entry.name];
        const step = await runStep(entry.clients, { seconds: settings.stepSeconds, senders: settings.senders, roomId: entry.roomId, serverCpuMicros: () => entry.installation.cpuMicros(), rate, stepTag: `turn-${turn}` });
        entry.lane.turns.push(step);
        entry.lost = step.failure === 'loss';
        options.onStep?.(entry.lane, step);
        await sleep(PAUSE_BETWEEN_STEPS_MS);
      }
    }
    return { settings, lanes: lanes.map((entry) => entry.lane), pinned: installations.every((installation) => installation.pinned), setupSeconds };
  } finally {
    await Promise.all(opened.map((clients) => clients.close()));
    for (const installation of installations) await installation.stop();
    await nats.stop();
  }
}

/** The senders on the first node; every other client on the other nodes in turn (on the only node when alone). */
export function nodeOfClient(installation: { nodes: readonly { url: string }[] }, senders: number): (index: number) => string {
  const { nodes } = installation;
  return (index) => (index < senders || nodes.length === 1 ? nodes[0]!.url : nodes[1 + ((index - senders) % (nodes.length - 1))]!.url);
}

/** A lane's name in the output: "2 nodes, wide". */
export function laneName(lane: Pick<ClusterLane, 'nodes' | 'room'>): string {
  return `${lane.nodes} node${lane.nodes === 1 ? '' : 's'}, ${lane.room}`;
}
