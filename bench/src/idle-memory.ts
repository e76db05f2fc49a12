import type WebSocket from 'ws';
import type { MemoryFigures } from './bench-ipc';
import { mapWithLimit, sleep } from './concurrency';
import type { BenchUser } from './enclave-setup';
import type { ServerProcess } from './server-process';
import { closeSockets, enclaveStreamUrl, openSocket } from './stream-socket';

export interface IdleMemoryResult {
  connections: number;
  before: MemoryFigures;
  after: MemoryFigures;
  rssPerConnection: number;
  /** heapUsed + external: the JavaScript side alone, unaffected by pages the allocator keeps. */
  heapPerConnection: number;
  openSeconds: number;
}

const OPEN_CONCURRENCY = 100;
/** Streams opened and closed before the first reading, so the code for a connection is compiled by then. */
const WARM_UP_STREAMS = 50;
const SETTLE_MS = 1_000;

/**
 * Memory a server needs per idle signed-in stream: its memory (after forced collection) before and after
 * opening one stream for each user, every one of them past `synced`, divided by the number of streams.
 */
export async function measureIdleMemory(server: ServerProcess, users: readonly BenchUser[]): Promise<IdleMemoryResult> {
  const open = (user: BenchUser) => openSocket(enclaveStreamUrl(server.url, user.token), { localAddress: user.address, readyOn: 'synced' });
  await closeSockets(await mapWithLimit(users.slice(0, WARM_UP_STREAMS), OPEN_CONCURRENCY, open));
  await sleep(SETTLE_MS);
  const before = await server.memory();
  const startedAt = performance.now();
  const sockets: WebSocket[] = [];
  try {
    await mapWithLimit(users, OPEN_CONCURRENCY, async (user) => sockets.push(await open(user)));
    const openSeconds = (performance.now() - startedAt) / 1000;
    await sleep(SETTLE_MS);
    const after = await server.memory();
    const connections = sockets.length;
    return {
      connections,
      before,
      after,
      rssPerConnection: (after.rss - before.rss) / connections,
      heapPerConnection: (after.heapUsed + after.external - before.heapUsed - before.external) / connections,
      openSeconds,
    };
  } finally {
    await closeSockets(sockets);
  }
}
