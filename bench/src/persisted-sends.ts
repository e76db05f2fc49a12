import type { ClientFrame } from '@enclave/protocol';
import type WebSocket from 'ws';
import { mapWithLimit, sleep, waitUntil } from './concurrency';
import { createOwnGroups, type BenchUser } from './enclave-setup';
import { LatencyHistogram } from './latency-histogram';
import { readStamp, stampText } from './message-stamp';
import type { ServerProcess } from './server-process';
import { closeSockets, enclaveStreamUrl, openSocket } from './stream-socket';

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
  const groups = await createOwnGroups(server.url, users);
  const latency = new LatencyHistogram();
  let sending = false;
  let acked = 0;
  let errors = 0;
  let inFlight = 0;
  let lastAckAt = 0;
  const nextSeq = users.map(() => 0);
  const sockets: WebSocket[] = [];
  const send = (sender: number) => {
    const seq = nextSeq[sender]!++;
    const frame: ClientFrame = { type: 'message.send', roomId: groups[sender]!.id, text: stampText({ sender, seq, sentAt: performance.now() }), clientId: `p-${seq}` };
    inFlight += 1;
    sockets[sender]!.send(JSON.stringify(frame));
  };
  try {
    await mapWithLimit(users, OPEN_CONCURRENCY, async (user, sender) => {
      sockets[sender] = await openSocket(enclaveStreamUrl(server.url, user.token), {
        localAddress: user.address,
        readyOn: 'synced',
        onFrame: (frame) => {
          if (frame.type !== 'message.ack' && frame.type !== 'error') return;
          inFlight -= 1;
          if (frame.type === 'error') errors += 1;
          else {
            acked += 1;
            lastAckAt = performance.now();
            const stamp = readStamp(frame.message.text);
            if (stamp) latency.record(lastAckAt - stamp.sentAt);
          }
          if (sending) send(sender);
        },
      });
    });
    const storedBefore = await server.messageCount();
    const cpuBefore = await server.cpuMicros();
    const startedAt = performance.now();
    sending = true;
    for (let sender = 0; sender < users.length; sender++) for (let k = 0; k < options.window; k++) send(sender);
    await sleep(options.seconds * 1000);
    sending = false;
    await waitUntil(() => inFlight === 0, DRAIN_TIMEOUT_MS);
    const seconds = (lastAckAt - startedAt) / 1000;
    const serverCpu = ((await server.cpuMicros()) - cpuBefore) / ((performance.now() - startedAt) * 1000);
    const stored = (await server.messageCount()) - storedBefore;
    return {
      senders: users.length,
      seconds,
      acked,
      errors,
      stored,
      persistedPerSecond: stored / seconds,
      ackP50Ms: latency.quantile(0.5),
      ackP99Ms: latency.quantile(0.99),
      serverCpu,
    };
  } finally {
    await closeSockets(sockets.filter(Boolean));
  }
}
