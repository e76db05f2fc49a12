import { quietVersionOf, type HubEvent, type HubSubscriber } from './hub-event';

/** Reads committed log entries in a position range, for positions that never reached this hub. */
export type GapFiller = (from: number, to: number) => Promise<HubEvent[]>;

/** How long an early event waits for the positions before it before the hub reads them from the database. */
const GAP_WAIT_MS = 1000;

/**
 * What a filled range holds at a position the database had nothing for (an entry erased since it was written, or
 * not shown live): the position is passed over, so delivery never waits for it.
 */
const PASSED_OVER = Symbol('passed over');

/**
 * Routes committed events to the live connections that may see them. Events are delivered strictly in position
 * order: one that arrives early (its transaction committed first but a lower position is still on its way) waits
 * until the gap fills, so a client's highest position is always a safe resume point. A gap that outlasts
 * GAP_WAIT_MS (an entry written by another process) is filled from the database, so delivery never stalls. An
 * event about a message goes only to those of its audience whose clearance reaches the message's label, and a new
 * message reaches those of them who are off work marked quiet (no ping), read at one instant for the whole audience.
 */
export class EventHub<Subscriber extends HubSubscriber = HubSubscriber> {
  private readonly byRoom = new Map<string, Set<Subscriber>>();
  private readonly byUser = new Map<string, Set<Subscriber>>();
  private readonly early = new Map<number, HubEvent | typeof PASSED_OVER>();
  /** The highest position a read from the database (`advanceTo`) is already fetching, to ask for each range once. */
  private fetchingTo = 0;
  /** The highest position `advanceTo` was asked for, and the read under way towards it. */
  private wantedTo = 0;
  private advancing: Promise<void> | undefined;
  private readonly membershipListeners: ((connections: ReadonlySet<Subscriber>) => void)[] = [];
  private nextPosition: number;
  /** Events handed to connections since the start, one per recipient connection: read by the metrics when scraped. */
  private handedOut = 0;
  private gapTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    head: number,
    private readonly fillGap: GapFiller,
    private readonly onGapError: (error: unknown) => void,
    /** The server's clock (server/src/clock.ts): whether a recipient is off work is read on it. */
    private readonly now: () => number,
  ) {
    this.nextPosition = head + 1;
  }

  publish(events: readonly HubEvent[]): void {
    for (const event of events) if (event.position >= this.nextPosition) this.early.set(event.position, event);
    this.release();
  }

  /**
   * Delivers everything committed up to `position` that this hub has not seen, read from the database now: another
   * node committed it (cluster/), so it will never be published here. Entries commit in position order (the log's
   * lock), so every position up to it is committed and one missing from the database is passed over. Calls that
   * come while a read is under way join the next one: a busy node reads many other nodes' commits in one query.
   */
  advanceTo(position: number): Promise<void> {
    this.wantedTo = Math.max(this.wantedTo, position);
    this.advancing ??= this.readUpToWanted().finally(() => {
      this.advancing = undefined;
    });
    return this.advancing;
  }

  private async readUpToWanted(): Promise<void> {
    for (let from = Math.max(this.nextPosition, this.fetchingTo + 1); this.wantedTo >= from; from = Math.max(this.nextPosition, this.fetchingTo + 1)) {
      const to = this.wantedTo;
      this.fetchingTo = to;
      let filled: HubEvent[];
      try {
        filled = await this.fillGap(from, to);
      } catch (error) {
        // Nothing of the range was delivered: the next call asks for it again.
        this.fetchingTo = Math.min(this.fetchingTo, from - 1);
        throw error;
      }
      this.publishRange(from, to, filled);
    }
  }

  /** How many events this hub has handed to connections, one per recipient connection. */
  get deliveries(): number {
    return this.handedOut;
  }

  /** The last position delivered here: a node compares it with the log's head to see how far behind it is. */
  get deliveredUpTo(): number {
    return this.nextPosition - 1;
  }

  private publishRange(from: number, to: number, filled: readonly HubEvent[]): void {
    for (const event of filled) if (event.position >= this.nextPosition) this.early.set(event.position, event);
    for (let position = Math.max(from, this.nextPosition); position <= to; position += 1) if (!this.early.has(position)) this.early.set(position, PASSED_OVER);
    this.release();
  }

  private release(): void {
    for (let event = this.early.get(this.nextPosition); event; event = this.early.get(this.nextPosition)) {
      this.early.delete(this.nextPosition);
      this.nextPosition += 1;
      if (event !== PASSED_OVER) this.route(event);
    }
    if (this.early.size > 0) this.watchGap();
  }

  /** Stops the gap timer, for shutdown. */
  stop(): void {
    clearTimeout(this.gapTimer);
    this.gapTimer = undefined;
  }

  private watchGap(): void {
    if (this.gapTimer) return;
    const waitingFor = this.nextPosition;
    this.gapTimer = setTimeout(() => {
      this.gapTimer = undefined;
      if (this.early.size === 0 || this.nextPosition !== waitingFor) {
        if (this.early.size > 0) this.watchGap();
        return;
      }
      const to = Math.min(...this.early.keys()) - 1;
      this.fillGap(waitingFor, to).then(
        (filled) => this.publishRange(waitingFor, to, filled),
        (error: unknown) => {
          this.onGapError(error);
          this.watchGap();
        },
      );
    }, GAP_WAIT_MS);
    this.gapTimer.unref();
  }

  /**
   * Calls `listener` after each membership change the hub applies, with the connections that may now see a
   * different set of people: those of the people who joined or left, and those still in the room.
   */
  onMembershipChange(listener: (connections: ReadonlySet<Subscriber>) => void): void {
    this.membershipListeners.push(listener);
  }

  /** Registers a connection for its user's events at once; its rooms follow with `joinRooms`. */
  addConnection(connection: Subscriber): void {
    addTo(this.byUser, connection.userId, connection);
  }

  /** Adds the connection to the rooms it belonged to when it connected, except those changed since. */
  joinRooms(connection: Subscriber, roomIds: readonly string[]): void {
    for (const roomId of roomIds) {
      if (!connection.touchedRooms.has(roomId)) this.attach(connection, roomId);
    }
  }

  removeConnection(connection: Subscriber): void {
    removeFrom(this.byUser, connection.userId, connection);
    for (const roomId of connection.rooms) removeFrom(this.byRoom, roomId, connection);
    connection.rooms.clear();
  }

  /** Everyone with a stream open here. */
  connectedUserIds(): string[] {
    return [...this.byUser.keys()];
  }

  connectionsOfUser(userId: string): Subscriber[] {
    return [...(this.byUser.get(userId) ?? [])];
  }

  /** Sends a frame that is not part of the log (typing) to a room's connections, except those of one user. */
  sendToRoom(roomId: string, frame: string, exceptUserId: string): void {
    const encoded = Buffer.from(frame); // once, not once per recipient
    for (const connection of this.byRoom.get(roomId) ?? []) if (connection.userId !== exceptUserId) connection.send(encoded);
  }

  connectionsOfSessions(sessionIds: readonly string[]): Subscriber[] {
    const wanted = new Set(sessionIds);
    const found: Subscriber[] = [];
    for (const connections of this.byUser.values()) {
      for (const connection of connections) if (wanted.has(connection.sessionId)) found.push(connection);
    }
    return found;
  }

  private route(event: HubEvent): void {
    if (event.membership) this.applyMembership(event.membership);
    const audience = event.roomId !== undefined ? this.byRoom.get(event.roomId) : this.byUser.get(event.userId ?? '');
    if (!audience) return;
    const at = event.mayBeQuiet ? this.now() : 0;
    let quiet: HubEvent | undefined;
    let handedOut = 0;
    for (const connection of audience) {
      if (event.label !== undefined && !connection.mayRead(event.label)) continue;
      if (event.mayBeQuiet && connection.isQuietAt(at)) connection.deliver((quiet ??= quietVersionOf(event)));
      else connection.deliver(event);
      handedOut += 1;
    }
    this.handedOut += handedOut;
  }

  private applyMembership(change: NonNullable<HubEvent['membership']>): void {
    const affected = new Set<Subscriber>();
    for (const userId of [...(change.added ?? []), ...(change.removed ?? [])]) for (const connection of this.byUser.get(userId) ?? []) affected.add(connection);
    for (const userId of change.added ?? []) {
      for (const connection of this.byUser.get(userId) ?? []) {
        connection.touchedRooms.add(change.roomId);
        this.attach(connection, change.roomId);
      }
    }
    for (const userId of change.removed ?? []) {
      for (const connection of this.byUser.get(userId) ?? []) {
        connection.touchedRooms.add(change.roomId);
        connection.rooms.delete(change.roomId);
        removeFrom(this.byRoom, change.roomId, connection);
      }
    }
    for (const connection of this.byRoom.get(change.roomId) ?? []) affected.add(connection);
    for (const listener of this.membershipListeners) listener(affected);
  }

  private attach(connection: Subscriber, roomId: string): void {
    connection.rooms.add(roomId);
    addTo(this.byRoom, roomId, connection);
  }
}

function addTo<K, S>(map: Map<K, Set<S>>, key: K, connection: S): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(connection);
}

function removeFrom<K, S>(map: Map<K, Set<S>>, key: K, connection: S): void {
  const set = map.get(key);
  if (set?.delete(connection) && set.size === 0) map.delete(key);
}
