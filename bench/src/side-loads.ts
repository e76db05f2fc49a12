// What clients do besides sending and receiving messages, as side loads for a fan-out step: members typing,
// members dropping off and coming back (presence churn), members marking what they read. Each runs only while
// the step sends, from the step's ticks, and `settle` waits (boundedly) for what is still under way.
import http from 'node:http';
import { waitUntil } from './concurrency';
import type { BenchUser } from './enclave-setup';
import type { FanoutClients } from './fanout-clients';
import type { SideLoad } from './fanout-step';
import { LatencyHistogram } from './latency-histogram';

const SETTLE_TIMEOUT_MS = 15_000;

/** `typists` clients each send a typing frame every `intervalMs`, as an editor does while someone types. */
export class TypingLoad implements SideLoad {
  sent = 0;
  private readonly nextAt: number[];

  constructor(
    private readonly clients: FanoutClients,
    private readonly typists: readonly number[],
    private readonly roomId: string,
    private readonly intervalMs: number,
  ) {
    // Spread over the first interval so the typists do not all start on the same tick.
    this.nextAt = typists.map((_, k) => (k * intervalMs) / typists.length);
  }

  tick(elapsedMs: number): void {
    for (let k = 0; k < this.typists.length; k++) {
      if (elapsedMs < this.nextAt[k]!) continue;
      this.nextAt[k]! += this.intervalMs;
      this.clients.sendFrame(this.typists[k]!, { type: 'typing', roomId: this.roomId });
      this.sent += 1;
    }
  }

  async settle(): Promise<void> {}
}

/**
 * Each of `churners` closes its stream and opens a new one resuming where it left off, once, spread over
 * `spreadMs`; once back it asks again for the presence it watches (`watchOf`), as a reconnecting client does.
 */
export class ChurnLoad implements SideLoad {
  reconnected = 0;
  failed = 0;
  private started = 0;
  private readonly pending: Promise<void>[] = [];

  constructor(
    private readonly clients: FanoutClients,
    private readonly churners: readonly number[],
    private readonly spreadMs: number,
    private readonly watchOf: (index: number) => string[],
  ) {}

  tick(elapsedMs: number): void {
    const due = Math.min(this.churners.length, Math.floor((elapsedMs / this.spreadMs) * this.churners.length) + 1);
    for (; this.started < due; this.started++) {
      const index = this.churners[this.started]!;
      this.pending.push(
        this.clients.reconnect(index).then(
          () => {
            this.reconnected += 1;
            this.clients.sendFrame(index, { type: 'presence.watch', userIds: this.watchOf(index) });
          },
          () => {
            this.failed += 1;
          },
        ),
      );
    }
  }

  /** Starts any churner not started yet; every reconnect is bounded by the socket's close and open timeouts. */
  async settle(): Promise<void> {
    this.tick(Infinity);
    await Promise.all(this.pending);
  }
}

/**
 * Every client marks the newest message it has as read over REST, at most once per `intervalMs` and only when
 * it has something new, with one request in flight at most: a member with the room open.
 */
export class ReadLoad implements SideLoad {
  marked = 0;
  errors = 0;
  /** Request-to-answer time of the read marks. */
  latency = new LatencyHistogram();
  private stopped = false;
  private inFlight = 0;
  private readonly busy: boolean[];
  private readonly nextAt: number[];
  private readonly lastMarked: (string | undefined)[];
  private readonly agent = new http.Agent({ keepAlive: true });

  constructor(
    private readonly clients: FanoutClients,
    private readonly users: readonly BenchUser[],
    private readonly baseUrl: string,
    private readonly roomId: string,
    private readonly intervalMs: number,
  ) {
    this.busy = users.map(() => false);
    this.lastMarked = users.map(() => undefined);
    this.nextAt = users.map((_, index) => (index * intervalMs) / users.length);
  }

  tick(elapsedMs: number): void {
    if (this.stopped) return;
    for (let index = 0; index < this.users.length; index++) {
      if (this.busy[index] || elapsedMs < this.nextAt[index]!) continue;
      const messageId = this.clients.newestMessageId(index);
      if (messageId === undefined || messageId === this.lastMarked[index]) continue;
      this.nextAt[index] = elapsedMs + this.intervalMs;
      this.lastMarked[index] = messageId;
      this.mark(index, messageId);
    }
  }

  async settle(): Promise<void> {
    this.stopped = true;
    await waitUntil(() => this.inFlight === 0, SETTLE_TIMEOUT_MS);
  }

  close(): void {
    this.agent.destroy();
  }

  private mark(index: number, messageId: string): void {
    const user = this.users[index]!;
    const body = JSON.stringify({ messageId });
    const startedAt = performance.now();
    this.busy[index] = true;
    this.inFlight += 1;
    let finished = false;
    const done = (ok: boolean) => {
      if (finished) return;
      finished = true;
      this.busy[index] = false;
      this.inFlight -= 1;
      if (ok) {
        this.marked += 1;
        this.latency.record(performance.now() - startedAt);
      } else this.errors += 1;
    };
    const request = http.request(
      `${this.baseUrl}/api/v1/rooms/${encodeURIComponent(this.roomId)}/read`,
      {
        method: 'POST',
        agent: this.agent,
        localAddress: user.address,
        timeout: SETTLE_TIMEOUT_MS,
        headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        response.resume();
        response.on('end', () => done(response.statusCode === 200));
        response.on('error', () => done(false));
      },
    );
    request.on('timeout', () => request.destroy(new Error('read mark timed out')));
    request.on('error', () => done(false));
    request.end(body);
  }
}
