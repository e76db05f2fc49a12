import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { ClusterControl } from './cluster-control';

/** How often a node compares what it delivered with the log's head: the safety net under the broker's doorbell. */
const RESYNC_MS = 1000;

export type ClusterState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

export interface ClusterLinkOptions {
  /** `nats://host:port` (ENCLAVE_NATS_URL). */
  url: string;
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
  /** RESYNC_MS unless given. */
  resyncMs?: number;
  log: { warn: (details: object, message: string) => void; error: (details: object, message: string) => void };
}

type ClusterMessage =
  | { node: string; kind: 'committed'; position: number }
  | { node: string; kind: 'room-frame'; roomId: string; frame: string; exceptUserId: string }
  | { node: string; kind: 'control'; control: ClusterControl };

type Topic = 'log' | 'room' | 'control';

/**
 * This node's line to the others through NATS. The database is the truth: the broker only rings the doorbell ("the
 * log now reaches position N"), and each node reads what it has not delivered from the database (the hub's
 * `advanceTo`), in position order, without gap or duplicate. A message the broker drops, a node that starts late
 * or a broker that is away for a while therefore costs latency, never events: every node also compares itself with
 * the log's head every RESYNC_MS. Frames that are not logged (typing) and changes every node must act on at once
 * (`ClusterControl`) travel through the broker itself; typing is lost while it is away, as on a dropped connection.
 */
export class ClusterLink {
  private readonly node = randomUUID();
  private connection: NatsConnection | undefined;
  private current: ClusterState = 'connecting';
  private readonly resyncTimer: ReturnType<typeof setInterval>;
  private resyncing: Promise<void> | undefined;

  constructor(private readonly options: ClusterLinkOptions) {
    this.resyncTimer = setInterval(() => void this.resyncOnce(), options.resyncMs ?? RESYNC_MS);
    this.resyncTimer.unref();
    void this.connect();
  }

  state(): ClusterState {
    return this.current;
  }

  /** Tells the other nodes that this node committed log entries up to `position`. */
  announceCommitted(position: number): void {
    this.send('log', { node: this.node, kind: 'committed', position });
  }

  /** Hands a frame that is not logged (typing) to the room's connections on the other nodes. */
  relayRoomFrame(roomId: string, frame: string, exceptUserId: string): void {
    this.send('room', { node: this.node, kind: 'room-frame', roomId, frame, exceptUserId });
  }

  /** Tells the other nodes of a change they must act on at once (sessions ended, a role changed, schedules changed). */
  relayControl(control: ClusterControl): void {
    this.send('control', { node: this.node, kind: 'control', control });
  }

  async close(): Promise<void> {
    this.current = 'closed';
    clearInterval(this.resyncTimer);
    await this.connection?.drain().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    let connection: NatsConnection;
    try {
      // Keeps trying until the broker answers; meanwhile the node serves its own clients and resyncs from the database.
      connection = await connect({ servers: this.options.url, name: `enclave-${this.node}`, waitOnFirstConnect: true, maxReconnectAttempts: -1, reconnectTimeWait: 500 });
    } catch (error) {
      this.options.log.error({ err: error }, 'the NATS connection failed; this node delivers other nodes’ events from the database only');
      return;
    }
    if (this.current === 'closed') {
      await connection.close();
      return;
    }
    this.connection = connection;
    for (const topic of ['log', 'room', 'control'] as const) connection.subscribe(this.subject(topic), { callback: (error, message) => (error ? this.options.log.warn({ err: error }, 'a NATS subscription failed') : this.receive(message.data)) });
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
        // What was committed while the broker was away reached nobody's doorbell.
        void this.resyncOnce();
      }
    }
  }

  private receive(data: Uint8Array): void {
    let message: ClusterMessage;
    try {
      message = JSON.parse(Buffer.from(data).toString('utf8')) as ClusterMessage;
    } catch {
      this.options.log.warn({}, 'an unreadable NATS message was ignored');
      return;
    }
    if (message.node === this.node) return;
    if (message.kind === 'committed' && Number.isSafeInteger(message.position)) {
      this.options.onCommitted(message.position).catch((error: unknown) => this.options.log.error({ err: error }, 'reading another node’s events failed; the resync tries again'));
    } else if (message.kind === 'room-frame' && typeof message.roomId === 'string' && typeof message.frame === 'string' && typeof message.exceptUserId === 'string') {
      this.options.onRoomFrame(message.roomId, message.frame, message.exceptUserId);
    } else if (message.kind === 'control') {
      const control = ClusterControl.safeParse(message.control);
      if (control.success) this.options.onControl(control.data, message.node);
      else this.options.log.warn({}, 'an unreadable cluster control message was ignored');
    }
  }

  private send(topic: Topic, message: ClusterMessage): void {
    // While the broker is away the other nodes catch up from the database; typing is simply not relayed.
    if (this.current !== 'connected' || !this.connection) return;
    try {
      this.connection.publish(this.subject(topic), JSON.stringify(message));
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

  private subject(topic: Topic): string {
    return `${this.options.subjectPrefix}.${topic}`;
  }
}

/** The subject prefix of an installation: its PostgreSQL database's name, which every node of it shares. */
export function clusterSubjectPrefix(databaseUrl: string): string {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1)) || 'postgres';
  return `enclave.${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}
