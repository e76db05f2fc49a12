import { ClientFrame, PROTOCOL_VERSION, streamCloseCodes, type ServerFrame } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor';
import type { Database } from '../db/schema';
import { AppError } from '../http/app-error';
import type { Keyring } from '../keys/keyring';
import { toErrorBody } from '../http/error-handler';
import { standingOfSessions } from '../auth/sessions.access';
import { clearancesOf } from '../labels/labels.access';
import { DEFAULT_LABEL, type LabelsService } from '../labels/labels.service';
import type { MessagesService } from '../messages/messages.service';
import { roomIdsOfUser } from '../rooms/rooms.access';
import { backlogAfter, logHead } from '../events/backlog';
import type { EventHub } from '../events/event-hub';
import { quietVersionOf } from '../events/hub-event';
import type { PresenceTracker } from './presence';
import type { QuietnessSource, StreamConnection } from './stream-connection';

/** A client announces typing at most this often per room; faster announcements are dropped. */
const TYPING_INTERVAL_MS = 2000;

export interface StreamDeps {
  db: Kysely<Database>;
  /** Opens what a backlog replays: the messages' text and the rooms' names. */
  keys: Keyring;
  hub: EventHub<StreamConnection>;
  messages: MessagesService;
  labels: LabelsService;
  presence: PresenceTracker;
  /** Each person's quiet hours as of now (work-hours/work-hours.service.ts), for quiet delivery off work. */
  quietHoursOf: (userIds: readonly string[]) => Promise<ReadonlyMap<string, QuietnessSource>>;
  /** The server's clock (server/src/clock.ts). */
  now: () => number;
  /** With several nodes, hands typing to the same room's connections on the others (cluster/cluster-link.ts). */
  relayRoomFrame?: ((roomId: string, frame: string, exceptUserId: string) => void) | undefined;
  log: { error: (details: object, message: string) => void };
}

/** How many people's quiet hours one reload reads at a time: bounded id lists, whatever the number connected. */
const QUIET_HOURS_BATCH = 500;

export class StreamService {
  private quietHoursLoads = 0;

  constructor(private readonly deps: StreamDeps) {}

  /**
   * Brings a new connection up to date without a gap or a duplicate: it is registered with the hub first (live
   * events start collecting in its buffer), then its rooms are loaded, the backlog after `after` is sent from the
   * database, and finally the buffer is flushed, skipping whatever the backlog already covered. The person's
   * clearance is read before anything is routed to the connection: no event about a message above it goes out.
   */
  async open(connection: StreamConnection, after: number | undefined): Promise<void> {
    const { hub, db } = this.deps;
    const load = (this.quietHoursLoads += 1);
    const [{ labels, clearance }, quietHours] = await Promise.all([this.readableLabels(connection.userId), this.deps.quietHoursOf([connection.userId])]);
    connection.setReadableLabels(labels, clearance);
    connection.setQuietHours(quietHours.get(connection.userId), load);
    if (connection.closed) return;
    hub.addConnection(connection);
    const roomIds = await roomIdsOfUser(db, connection.userId);
    // The client may have gone while its rooms were loading; a closed connection must not be routed to again.
    if (connection.closed) return;
    hub.joinRooms(connection, roomIds);
    const head = await logHead(db);
    send(connection, { type: 'hello', protocolVersion: PROTOCOL_VERSION, userId: connection.userId, position: after ?? head });
    if (after === undefined) {
      // A fresh client loads current state over REST; the stream owes it only what comes after the head.
      connection.skipTo(head);
    } else {
      const at = this.deps.now();
      for await (const entry of backlogAfter(db, this.deps.keys, connection, after)) connection.sendLogged(entry.position, (entry.mayBeQuiet && connection.isQuietAt(at) ? quietVersionOf(entry) : entry).frame);
    }
    connection.finishSync();
    send(connection, { type: 'synced', position: connection.position });
    this.deps.presence.refresh(connection.userId);
  }

  private async readableLabels(userId: string): Promise<{ labels: Set<string>; clearance: string }> {
    const [ranks, clearances] = await Promise.all([this.deps.labels.ranks(), clearancesOf(this.deps.db, [userId])]);
    const clearance = clearances.get(userId) ?? DEFAULT_LABEL;
    return { labels: new Set(ranks.within(clearance)), clearance };
  }

  /**
   * Checks every open stream against the database and ends those whose session ended or whose person's role or
   * clearance changed since it opened. Another node that makes such a change tells this one at once through the
   * broker; this is for when that message was lost (the broker was away, or dropped it). Answers how many it ended.
   */
  async closeStale(): Promise<number> {
    const { hub } = this.deps;
    const connections = hub.connectedUserIds().flatMap((userId) => hub.connectionsOfUser(userId));
    if (connections.length === 0) return 0;
    const standing = await standingOfSessions(this.deps.db, [...new Set(connections.map((connection) => connection.sessionId))], Date.now());
    let ended = 0;
    for (const connection of connections) {
      const now = standing.get(connection.sessionId);
      if (!now) connection.socket.close(streamCloseCodes.sessionRevoked, 'session ended');
      else if (now.role !== connection.role || (connection.clearance !== undefined && now.clearance !== connection.clearance)) connection.socket.close(streamCloseCodes.permissionsChanged, 'permissions changed');
      else continue;
      ended += 1;
    }
    return ended;
  }

  /**
   * Reads again whether the people named (or everyone connected) are off work, after a change to the schedules; the
   * open connections deliver quietly, or not, from the next event the hub routes after the reload.
   */
  async refreshQuietHours(who: readonly string[] | 'everyone'): Promise<void> {
    const { hub } = this.deps;
    const userIds = who === 'everyone' ? hub.connectedUserIds() : who.filter((userId) => hub.connectionsOfUser(userId).length > 0);
    for (let start = 0; start < userIds.length; start += QUIET_HOURS_BATCH) {
      const load = (this.quietHoursLoads += 1);
      const batch = userIds.slice(start, start + QUIET_HOURS_BATCH);
      const quietHours = await this.deps.quietHoursOf(batch);
      for (const userId of batch) for (const connection of hub.connectionsOfUser(userId)) connection.setQuietHours(quietHours.get(userId), load);
    }
  }

  close(connection: StreamConnection): void {
    connection.closed = true;
    this.deps.hub.removeConnection(connection);
    this.deps.presence.forget(connection);
    this.deps.presence.refresh(connection.userId);
  }

  /** Ends a person's open streams after their role changed; each client reconnects under the new role. */
  reopenStreamsOf(userId: string): void {
    for (const connection of this.deps.hub.connectionsOfUser(userId)) connection.socket.close(streamCloseCodes.permissionsChanged, 'permissions changed');
  }

  closeSessions(sessionIds: readonly string[]): void {
    for (const connection of this.deps.hub.connectionsOfSessions(sessionIds)) connection.socket.close(streamCloseCodes.sessionRevoked, 'session ended');
  }

  /**
   * Handles one frame from a client. Resolves once the frame is checked (and a send queued), so the connection can
   * take its next frame; a send's ack (or error) follows when the message is stored. Every failure is answered on
   * the stream with a stable code.
   */
  async receive(connection: StreamConnection, actor: Actor, data: string, locale: string | undefined): Promise<void> {
    let clientId: string | undefined;
    const fail = (error: unknown) => {
      const { body } = toErrorBody(error, locale, (cause) => this.deps.log.error({ err: cause }, 'stream frame failed'));
      send(connection, { type: 'error', ...(clientId !== undefined ? { clientId } : {}), error: body });
    };
    try {
      const raw = parseFrame(data);
      clientId = typeof (raw as { clientId?: unknown } | null)?.clientId === 'string' ? (raw as { clientId: string }).clientId : undefined;
      const frame = ClientFrame.parse(raw);
      switch (frame.type) {
        case 'message.send': {
          const { stored } = await this.deps.messages.enqueueMessage(actor, frame.roomId, frame);
          stored.then((message) => send(connection, { type: 'message.ack', clientId: frame.clientId, message }), fail);
          return;
        }
        case 'typing':
          return this.typing(connection, frame.roomId, frame.threadRootId ?? null);
        case 'presence.set':
          connection.presence = frame.status;
          return this.deps.presence.refresh(connection.userId);
        case 'presence.watch':
          return this.deps.presence.watch(connection, frame.userIds);
      }
    } catch (error) {
      fail(error);
    }
  }

  /**
   * Tells the room's other connections that this person is typing. Membership comes from the hub's routing (no
   * query), and announcements closer together than TYPING_INTERVAL_MS are dropped, so typing stays cheap.
   */
  private typing(connection: StreamConnection, roomId: string, threadRootId: string | null): void {
    if (!connection.rooms.has(roomId)) throw new AppError('ROOM_NOT_FOUND');
    const now = Date.now();
    connection.lastTyping ??= new Map();
    if (now - (connection.lastTyping.get(roomId) ?? 0) < TYPING_INTERVAL_MS) return;
    connection.lastTyping.set(roomId, now);
    const frame = JSON.stringify({ type: 'typing', roomId, userId: connection.userId, threadRootId } satisfies ServerFrame);
    this.deps.hub.sendToRoom(roomId, frame, connection.userId);
    this.deps.relayRoomFrame?.(roomId, frame, connection.userId);
  }
}

function send(connection: StreamConnection, frame: ServerFrame): void {
  connection.send(JSON.stringify(frame));
}

function parseFrame(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    throw new AppError('MALFORMED_JSON');
  }
}
