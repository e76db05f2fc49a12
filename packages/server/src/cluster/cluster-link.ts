import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { ClusterControl } from './cluster-control';
import { ClusterSeal } from './cluster-seal';
import { natsConnectionOptions } from './nats-url';

/** How often a node compares what it delivered with the log's head: the safety net under the broker's doorbell. */
const RESYNC_MS = 1000;

/** How often a node whose broker line is down checks what it may have missed (`afterMissedMessages`). */
const MISSED_CHECK_MS = 5000;

/** How long a node waits between tries to reach the broker before it first answers. */
const CONNECT_RETRY_MS = 500;

/** Refused messages are logged at most this often, with a count, so that a flood of them cannot flood the log too. */
const REFUSAL_LOG_MS = 60_000;

export type ClusterState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

export interface ClusterLinkOptions {
  /** `nats://[user:password@]host:port`, several separated by commas (ENCLAVE_NATS_URL). */
  url: string;
  /** The installation's key every node holds and the broker never sees: what the nodes sign their messages with (cluster-seal.ts). */
  installationKey: Buffer;
  /** Subjects of this installation start with it, so installations sharing a broker never hear each other. */
  subjectPrefix: string;
  /** Another node committed log entries up to this position. */
  onCommitted: (position: number) => Promise<void>;
  /** Another node has a frame that is not logged (typing) for a room's connections, except one user's. */
  onRoomFrame: (roomId: string, frame: string, exceptUserId: string) => void;
  /** Another node changed something every node must act on at once (cluster-control.ts). */
  onControl: (control: ClusterControl, fromNode: string) => void;
  /** Brings this node up to the log's head from the database: on connecting, after the broker returns, and every resyncMs. */
  resync: () => Promise<void>;
  /**
   * Puts right what this node holds from the others' control messages that may have been lost: called when the
   * broker returns (`returned`; everything said while it was away was lost) and every MISSED_CHECK_MS while it is
   * away (`away`), so that a session ended or a clearance lowered on another node meanwhile still takes effect here.
   */
  afterMissedMessages: (broker: 'returned' | 'away') => Promise<void>;
  /** RESYNC_MS unless given. */
  resyncMs?: number;
  log: { warn: (details: object, message: string) => void; error: (details: object, message: string) => void };
}

type ClusterMessage =
  | { kind: 'committed'; position: number }
  | { kind: 'room-frame'; roomId: string; frame: string; exceptUserId: string }
  | { kind: 'control'; control: ClusterControl };

type Topic = 'log' | 'room' | 'control';

/**
 * This node's line to the others through NATS. The database is the truth: the broker only rings the doorbell ("the
 * log now reaches position N"), and each node reads what it has not delivered from the database (the hub's
 * `advanceTo`), in position order, without gap or duplicate. A message the broker drops, a node that starts late
 * or a broker that is away for a while therefore costs latency, never events: every node also compares itself with
 * the log's head every RESYNC_MS. Frames that are not logged (typing) and changes every node must act on at once
 * (`ClusterControl`) travel through the broker itself; typing is lost while it is away, as on a dropped connection.
 * Every message is signed, and one that another node of the installation did not sign, or signed before, is
 * ignored (cluster-seal.ts): being able to reach the broker is not being a node.
 */
export class ClusterLink {
  private readonly node = randomUUID();
  private connection: NatsConnection | undefined;
  private current: ClusterState = 'connecting';
  private readonly resyncTimer: ReturnType<typeof setInterval>;
  private readonly missedTimer: ReturnType<typeof setInterval>;
  private catchingUp: Promise<void> | undefined;
  private resyncing: Promise<void> | undefined;
  private readonly seal: ClusterSeal;
  private refusedCount = 0;
  private refusalLoggedAt = -Infinity;
  private refusedSinceLog = 0;

  constructor(private readonly options: ClusterLinkOptions) {
    this.seal = new ClusterSeal(options.installationKey, this.node);
    this.resyncTimer = setInterval(() => void this.resyncOnce(), options.resyncMs ?? RESYNC_MS);
    this.resyncTimer.unref();
    this.missedTimer = setInterval(() => {
      if (this.current === 'connecting' || this.current === 'reconnecting') void this.catchUpOnMissed('away');
    }, MISSED_CHECK_MS);
    this.missedTimer.unref();
    void this.connect();
  }

  state(): ClusterState {
    return this.current;
  }

  /** How many messages on the installation's subjects this node has ignored since it started because no node sent them. */
  refused(): number {
    return this.refusedCount;
  }

  /** Tells the other nodes that this node committed log entries up to `position`. */
  announceCommitted(position: number): void {
    this.send('log', { kind: 'committed', position });
  }

  /** Hands a frame that is not logged (typing) to the room's connections on the other nodes. */
  relayRoomFrame(roomId: string, frame: string, exceptUserId: string): void {
    this.send('room', { kind: 'room-frame', roomId, frame, exceptUserId });
  }

  /** Tells the other nodes of a change they must act on at once (sessions ended, a role changed, schedules changed). */
  relayControl(control: ClusterControl): void {
    this.send('control', { kind: 'control', control });
  }

  async close(): Promise<void> {
    this.current = 'closed';
    clearInterval(this.resyncTimer);
    clearInterval(this.missedTimer);
    await this.catchingUp;
    await this.connection?.drain().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    let connection: NatsConnection | undefined;
    let lastFailure = '';
    // Keeps trying until the broker takes this node; meanwhile the node serves its own clients and resyncs from the
    // database. Each try is its own, so a node closed meanwhile stops trying and leaves nothing behind.
    while (!connection && this.current !== 'closed') {
      try {
        connection = await connect({ ...natsConnectionOptions(this.options.url), name: `enclave-${this.node}`, maxReconnectAttempts: -1, reconnectTimeWait: 500 });
      } catch (error) {
        // A broker that refuses this node's user or password says so at every try: logged once, not every second.
        const failure = error instanceof Error ? error.message : String(error);
        if (failure !== lastFailure) this.options.log.error({ err: error }, 'NATS does not take this node yet; it delivers other nodes’ events from the database meanwhile, and keeps trying');
        lastFailure = failure;
        await new Promise((resolve) => setTimeout(resolve, CONNECT_RETRY_MS).unref());
      }
    }
    if (!connection) return;
    if (this.current === 'closed') {
      await connection.close();
      return;
    }
    this.connection = connection;
    for (const topic of ['log', 'room', 'control'] as const) {
      const subject = this.subject(topic);
      connection.subscribe(subject, { callback: (error, message) => (error ? this.options.log.warn({ err: error }, 'a NATS subscription failed') : this.receive(subject, message.data)) });
    }
    this.current = 'connected';
    void this.resyncOnce();
    void this.followStatus(connection);
  }

  private async followStatus(connection: NatsConnection): Promise<void> {
    for await (const status of connection.status()) {
      if (this.current === 'closed') return;
      if (status.type === 'disconnect' || status.type === 'reconnecting') this.current = 'reconnecting';
      if (status.type === 'reconnect') {
        this.current = 'connected';
        // What was committed while the broker was away reached nobody's doorbell, and what was said was lost.
        void this.resyncOnce();
        void this.catchUpOnMissed('returned');
      }
    }
  }

  private receive(subject: string, data: Uint8Array): void {
    const opened = this.seal.open(subject, Buffer.from(data).toString('utf8'));
    if ('refused' in opened) {
      if (opened.refused !== 'own') this.noteRefusal(subject, opened.refused);
      return;
    }
    const message = opened.body as Partial<ClusterMessage> & Record<string, unknown>;
    if (message.kind === 'committed' && Number.isSafeInteger(message.position)) {
      this.options.onCommitted(message.position as number).catch((error: unknown) => this.options.log.error({ err: error }, 'reading another node’s events failed; the resync tries again'));
    } else if (message.kind === 'room-frame' && typeof message.roomId === 'string' && typeof message.frame === 'string' && typeof message.exceptUserId === 'string') {
      this.options.onRoomFrame(message.roomId, message.frame, message.exceptUserId);
    } else if (message.kind === 'control') {
      const control = ClusterControl.safeParse(message.control);
      if (control.success) this.options.onControl(control.data, opened.node);
      else this.options.log.warn({}, 'an unreadable cluster control message was ignored');
    }
  }

  /** Someone who is not a node of this installation is publishing on its subjects (or a node's key differs): logged, never acted on. */
  private noteRefusal(subject: string, reason: string): void {
    this.refusedCount += 1;
    this.refusedSinceLog += 1;
    const now = Date.now();
    if (now - this.refusalLoggedAt < REFUSAL_LOG_MS) return;
    this.options.log.warn({ subject, refused: reason, count: this.refusedSinceLog }, 'NATS messages no node of this installation sent were ignored');
    this.refusalLoggedAt = now;
    this.refusedSinceLog = 0;
  }

  private send(topic: Topic, message: ClusterMessage): void {
    // While the broker is away the other nodes catch up from the database; typing is simply not relayed.
    if (this.current !== 'connected' || !this.connection) return;
    try {
      const subject = this.subject(topic);
      this.connection.publish(subject, this.seal.seal(subject, message));
    } catch (error) {
      this.options.log.warn({ err: error }, 'a NATS publish failed');
    }
  }

  private resyncOnce(): Promise<void> {
    this.resyncing ??= this.options
      .resync()
      .catch((error: unknown) => this.options.log.error({ err: error }, 'catching up from the database failed'))
      .finally(() => {
        this.resyncing = undefined;
      });
    return this.resyncing;
  }

  private catchUpOnMissed(broker: 'returned' | 'away'): Promise<void> {
    this.catchingUp ??= this.options
      .afterMissedMessages(broker)
      .catch((error: unknown) => this.options.log.error({ err: error }, 'catching up on what the other nodes said failed; it is tried again'))
      .finally(() => {
        this.catchingUp = undefined;
      });
    return this.catchingUp;
  }

  private subject(topic: Topic): string {
    return `${this.options.subjectPrefix}.${topic}`;
  }
}

/** The subject prefix of an installation: its PostgreSQL database's name, which every node of it shares. */
export function clusterSubjectPrefix(databaseUrl: string): string {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1)) || 'postgres';
  return `enclave.${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}
