import type { ClientFrame } from '@enclave/protocol';
import type WebSocket from 'ws';
import { mapWithLimit } from './concurrency';
import type { BenchUser } from './enclave-setup';
import { LatencyHistogram } from './latency-histogram';
import { readStamp, stampText } from './message-stamp';
import { closeSockets, enclaveStreamUrl, openSocket, type ReceivedFrame } from './stream-socket';

/**
 * Who the clients connect to: Enclave's stream as real users, or the baseline broadcast server. Enclave clients may
 * spread over the nodes of an installation: `nodeOf` gives the node client `index` connects to (`baseUrl` without it).
 */
export type FanoutTarget =
  | { kind: 'enclave'; baseUrl: string; users: readonly BenchUser[]; nodeOf?: (index: number) => string }
  | { kind: 'baseline'; baseUrl: string; clients: number };

/** What one receiving client saw during the current step; any count but `received` above zero is a failure. */
interface Tally {
  received: number;
  /** A sender's sequence number seen again or going back. */
  duplicates: number;
  /** A sender's sequence number skipped: a lost message. */
  gaps: number;
  /** A log position not above the previous one (Enclave only). */
  disorder: number;
  /** Error frames and frames that break the protocol. */
  errors: number;
  /** Messages the server marked `quiet: true`: delivered while this recipient is off work (issue 17). */
  quiet: number;
}

interface Receiver {
  tally: Tally;
  /** Per sender, the last sequence number received; kept across steps. */
  lastSeq: Int32Array;
  /** The log position of the last message received, for the order check. */
  lastPosition: number;
  /** The last log position seen in any frame: where a reconnect resumes. */
  cursor: number;
  /** The id of the newest message received, for read marks. */
  newestMessageId: string | undefined;
  closed: boolean;
  /** Closing on purpose to reconnect: the close does not count. */
  reconnecting: boolean;
  /** Resumed and not yet `synced`: messages are the missed backlog, counted but not timed. */
  replaying: boolean;
}

/** The outcome of a step for all receivers together. */
export interface DeliveryCheck {
  delivered: number;
  /** Receivers that got every message of the step exactly once, in order. */
  exact: number;
  duplicates: number;
  gaps: number;
  disorder: number;
  errors: number;
  closed: number;
}

const OPEN_CONCURRENCY = 50;
const emptyTally = (): Tally => ({ received: 0, duplicates: 0, gaps: 0, disorder: 0, errors: 0, quiet: 0 });

/**
 * The fan-out workload's clients: every client receives, and the first `senders` of them also send. Each
 * delivered message is checked against its sender's sequence (and, on Enclave, the log position) and its
 * latency recorded.
 */
export class FanoutClients {
  latency = new LatencyHistogram();
  delivered = 0;
  lastReceivedAt = 0;
  /** Frames other than messages received since the step began, by type (typing, presence, room.read, …). */
  otherFrames = new Map<string, number>();
  private readonly receivers: Receiver[] = [];
  private readonly sockets: WebSocket[] = [];
  private readonly nextSeq: number[];

  private constructor(
    private readonly target: FanoutTarget,
    private readonly senders: number,
  ) {
    this.nextSeq = new Array<number>(senders).fill(0);
  }

  static async open(target: FanoutTarget, senders: number): Promise<FanoutClients> {
    const count = target.kind === 'enclave' ? target.users.length : target.clients;
    if (senders > count) throw new Error(`${senders} senders but only ${count} clients`);
    const clients = new FanoutClients(target, senders);
    const indexes = Array.from({ length: count }, (_, index) => index);
    const opening = mapWithLimit(indexes, OPEN_CONCURRENCY, async (index) => {
      const receiver: Receiver = {
        tally: emptyTally(),
        lastSeq: new Int32Array(senders).fill(-1),
        lastPosition: -1,
        cursor: -1,
        newestMessageId: undefined,
        closed: false,
        reconnecting: false,
        replaying: false,
      };
      clients.receivers[index] = receiver;
      clients.sockets[index] = await clients.connect(index, undefined);
    });
    await opening.catch(async (error: unknown) => {
      await closeSockets(clients.sockets.filter(Boolean));
      throw error;
    });
    return clients;
  }

  get size(): number {
    return this.receivers.length;
  }

  beginStep(): void {
    this.latency = new LatencyHistogram();
    this.delivered = 0;
    this.otherFrames = new Map();
    for (const receiver of this.receivers) receiver.tally = emptyTally();
  }

  /** How many frames of a type other than messages arrived since the step began. */
  framesOf(type: string): number {
    return this.otherFrames.get(type) ?? 0;
  }

  /** Messages marked quiet that clients `from` to `to` (exclusive) received since the step began. */
  quietFrames(from: number, to: number): number {
    let quiet = 0;
    for (let index = from; index < to; index++) quiet += this.receivers[index]!.tally.quiet;
    return quiet;
  }

  /** Messages clients `from` to `to` (exclusive) received since the step began. */
  receivedBy(from: number, to: number): number {
    let received = 0;
    for (let index = from; index < to; index++) received += this.receivers[index]!.tally.received;
    return received;
  }

  /** The newest message client `index` has received, if any. */
  newestMessageId(index: number): string | undefined {
    return this.receivers[index]!.newestMessageId;
  }

  /** Sends any client frame (typing, presence) over client `index`'s socket. */
  sendFrame(index: number, frame: ClientFrame): void {
    this.sockets[index]!.send(JSON.stringify(frame));
  }

  /**
   * Closes client `index`'s stream and opens a new one resuming after the last position it saw, as a client
   * coming back does: the server replays what it missed, so the step's exactly-once check still holds. Enclave
   * only. Resolves once the new stream is `synced`.
   */
  async reconnect(index: number): Promise<void> {
    if (this.target.kind !== 'enclave') throw new Error('only Enclave clients resume');
    const receiver = this.receivers[index]!;
    receiver.reconnecting = true;
    try {
      await closeSockets([this.sockets[index]!]);
      receiver.replaying = true;
      this.sockets[index] = await this.connect(index, receiver.cursor);
    } catch (error) {
      receiver.closed = true;
      throw error;
    } finally {
      receiver.reconnecting = false;
      receiver.replaying = false;
    }
  }

  /** Sends the next stamped message of `sender` over its own socket. */
  send(sender: number, roomId: string, stepTag: string): void {
    const seq = this.nextSeq[sender]!;
    this.nextSeq[sender] = seq + 1;
    const frame: ClientFrame = {
      type: 'message.send',
      roomId,
      text: stampText({ sender, seq, sentAt: performance.now() }),
      clientId: `${stepTag}-${sender}-${seq}`,
    };
    this.sockets[sender]!.send(JSON.stringify(frame));
  }

  /** Sums the tallies: a receiver is exact when it received `sent` messages and nothing went wrong. */
  check(sent: number): DeliveryCheck {
    const check: DeliveryCheck = { delivered: 0, exact: 0, duplicates: 0, gaps: 0, disorder: 0, errors: 0, closed: 0 };
    for (const { tally, closed } of this.receivers) {
      check.delivered += tally.received;
      check.duplicates += tally.duplicates;
      check.gaps += tally.gaps;
      check.disorder += tally.disorder;
      check.errors += tally.errors;
      if (closed) check.closed += 1;
      const clean = tally.duplicates + tally.gaps + tally.disorder + tally.errors === 0 && !closed;
      if (clean && tally.received === sent) check.exact += 1;
    }
    return check;
  }

  close(): Promise<void> {
    return closeSockets(this.sockets);
  }

  private connect(index: number, after: number | undefined): Promise<WebSocket> {
    const { target } = this;
    const receiver = this.receivers[index]!;
    const user = target.kind === 'enclave' ? target.users[index]! : undefined;
    const baseUrl = target.kind === 'enclave' ? (target.nodeOf?.(index) ?? target.baseUrl) : target.baseUrl;
    return openSocket(user ? enclaveStreamUrl(baseUrl, user.token, after) : baseUrl.replace(/^http/, 'ws'), {
      localAddress: user?.address,
      readyOn: user ? 'synced' : 'open',
      onFrame: (frame) => this.receive(receiver, frame),
      onInvalidFrame: () => (receiver.tally.errors += 1),
      onClose: () => {
        if (!receiver.reconnecting) receiver.closed = true;
      },
    });
  }

  private receive(receiver: Receiver, frame: ReceivedFrame): void {
    let text: string;
    if (frame.type === 'message.created') {
      if (frame.position <= receiver.lastPosition) receiver.tally.disorder += 1;
      receiver.lastPosition = frame.position;
      receiver.cursor = Math.max(receiver.cursor, frame.position);
      receiver.newestMessageId = frame.message.id;
      // Looked up on the parsed frame rather than typed: a server that does not mark quiet delivery sends no field.
      if ((frame as { quiet?: unknown }).quiet === true) receiver.tally.quiet += 1;
      text = frame.message.text;
    } else if (frame.type === 'message.send') {
      text = frame.text;
    } else {
      if (frame.type === 'error') receiver.tally.errors += 1;
      else if (frame.type === 'synced') receiver.replaying = false;
      if ('position' in frame && typeof frame.position === 'number') receiver.cursor = Math.max(receiver.cursor, frame.position);
      this.otherFrames.set(frame.type, (this.otherFrames.get(frame.type) ?? 0) + 1);
      return;
    }
    const now = performance.now();
    const stamp = readStamp(text);
    if (!stamp || stamp.sender >= this.senders) {
      receiver.tally.errors += 1;
      return;
    }
    const last = receiver.lastSeq[stamp.sender]!;
    if (stamp.seq <= last) receiver.tally.duplicates += 1;
    else if (stamp.seq > last + 1) receiver.tally.gaps += stamp.seq - last - 1;
    receiver.lastSeq[stamp.sender] = Math.max(last, stamp.seq);
    receiver.tally.received += 1;
    this.delivered += 1;
    this.lastReceivedAt = now;
    if (!receiver.replaying) this.latency.record(now - stamp.sentAt);
  }
}
