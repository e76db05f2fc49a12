import type { ClientFrame, Room } from '@enclave/protocol';
import type WebSocket from 'ws';
import { mapWithLimit, sleep, waitUntil } from './concurrency';
import { createOwnGroups, type BenchUser } from './enclave-setup';
import { LatencyHistogram } from './latency-histogram';
import { readStamp, stampText } from './message-stamp';
import type { ServerProcess } from './server-process';
import { closeSockets, enclaveStreamUrl, openSocket, type ReceivedFrame } from './stream-socket';

export interface PersistOptions {
  seconds: number;
  /** Sends each sender keeps unacknowledged, so its next frame is already waiting when one is stored. */
  window: number;
}

export interface PersistResult {
  senders: number;
  seconds: number;
  acked: number;
  errors: number;
  /** Rows the messages table gained, read from the server's database. */
  stored: number;
  persistedPerSecond: number;
  ackP50Ms: number;
  ackP99Ms: number;
  serverCpu: number;
}

const OPEN_CONCURRENCY = 50;
const DRAIN_TIMEOUT_MS = 30_000;

/**
 * Sends as fast as the server acknowledges: every sender streams into its own private group, keeping `window`
 * sends in flight, for a fixed time. The figure is rows stored per second, counted in the database.
 */
export async function measurePersistedSends(server: ServerProcess, users: readonly BenchUser[], options: PersistOptions): Promise<PersistResult> {
  const load = await PersistedSendLoad.open(server, users);
  try {
    return await load.round(options);
  } finally {
    await load.close();
  }
}

/**
 * The persisted-sends workload, set up once (a private group and a synced stream per sender) so that it can run
 * several timed rounds on one server, taking turns with another server's rounds.
 */
export class PersistedSendLoad {
  private sending = false;
  private acked = 0;
  private errors = 0;
  private inFlight = 0;
  private lastAckAt = 0;
  private latency = new LatencyHistogram();
  private readonly nextSeq: number[];
  private readonly sockets: WebSocket[] = [];

  private constructor(
    private readonly server: ServerProcess,
    readonly groups: readonly Room[],
  ) {
    this.nextSeq = groups.map(() => 0);
  }

  static async open(server: ServerProcess, users: readonly BenchUser[]): Promise<PersistedSendLoad> {
    const load = new PersistedSendLoad(server, await createOwnGroups(server.url, users));
    try {
      await mapWithLimit(users, OPEN_CONCURRENCY, async (user, sender) => {
        load.sockets[sender] = await openSocket(enclaveStreamUrl(server.url, user.token), {
          localAddress: user.address,
          readyOn: 'synced',
          onFrame: (frame) => load.onFrame(sender, frame),
        });
      });
    } catch (error) {
      await load.close();
      throw error;
    }
    return load;
  }

  /** One timed round: every sender keeps `window` sends in flight for `seconds`, then the sends in flight drain. */
  async round(options: PersistOptions): Promise<PersistResult> {
    this.acked = 0;
    this.errors = 0;
    this.lastAckAt = 0;
    this.latency = new LatencyHistogram();
    const storedBefore = await this.server.messageCount();
    const cpuBefore = await this.server.cpuMicros();
    const startedAt = performance.now();
    this.sending = true;
    for (let sender = 0; sender < this.groups.length; sender++) for (let k = 0; k < options.window; k++) this.send(sender);
    await sleep(options.seconds * 1000);
    this.sending = false;
    await waitUntil(() => this.inFlight === 0, DRAIN_TIMEOUT_MS);
    const seconds = (this.lastAckAt - startedAt) / 1000;
    const serverCpu = ((await this.server.cpuMicros()) - cpuBefore) / ((performance.now() - startedAt) * 1000);
    const stored = (await this.server.messageCount()) - storedBefore;
    return {
      senders: this.groups.length,
      seconds,
      acked: this.acked,
      errors: this.errors,
      stored,
      persistedPerSecond: stored / seconds,
      ackP50Ms: this.latency.quantile(0.5),
      ackP99Ms: this.latency.quantile(0.99),
      serverCpu,
    };
  }

  async close(): Promise<void> {
    await closeSockets(this.sockets.filter(Boolean));
  }

  private send(sender: number): void {
    const seq = this.nextSeq[sender]!++;
    const frame: ClientFrame = { type: 'message.send', roomId: this.groups[sender]!.id, text: stampText({ sender, seq, sentAt: performance.now() }), clientId: `p-${seq}` };
    this.inFlight += 1;
    this.sockets[sender]!.send(JSON.stringify(frame));
  }

  private onFrame(sender: number, frame: ReceivedFrame): void {
    if (frame.type !== 'message.ack' && frame.type !== 'error') return;
    this.inFlight -= 1;
    if (frame.type === 'error') this.errors += 1;
    else {
      this.acked += 1;
      this.lastAckAt = performance.now();
      const stamp = readStamp(frame.message.text);
      if (stamp) this.latency.record(this.lastAckAt - stamp.sentAt);
    }
    if (this.sending) this.send(sender);
  }
}
