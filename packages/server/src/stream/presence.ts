import type { PresenceStatus, ServerFrame } from '@enclave/protocol';
import type { EventHub } from '../events/event-hub';
import type { PresenceAnnouncement, RemotePresence } from './remote-presence';
import type { StreamConnection } from './stream-connection';

/**
 * Who is online, away or offline, told only to the connections that asked about that person
 * (`presence.watch`): a person coming online costs one frame per watcher, never a broadcast to every room they
 * are in. Presence is this node's own connections, and, on a node linked to others, theirs as they tell it
 * (remote-presence.ts): this node tells them each change of its own people (`announce`).
 *
 * A watcher learns only about people it may see, by the directory's rule: a guest sees themselves and the people
 * they share a room with, everyone else sees everyone. Anyone else is reported exactly like an id that belongs to
 * nobody: 'offline' when asked, and never a change after that. Each watcher remembers what it was last told about
 * each person, so it hears about a change only when its own view changes, including when a room it shared with
 * the person is left.
 */
export class PresenceTracker {
  private readonly watchers = new Map<string, Set<StreamConnection>>();

  constructor(
    private readonly hub: EventHub<StreamConnection>,
    private readonly cluster?: { remote: RemotePresence; announce: (person: PresenceAnnouncement) => void },
  ) {
    // Only a guest's view depends on rooms; when a room's people change, the guests who might see differently look again.
    hub.onMembershipChange((connections) => {
      for (const connection of connections) if (connection.role === 'guest') this.retell(connection);
    });
  }

  statusOf(userId: string): PresenceStatus {
    const statuses = [this.localStatusOf(userId), ...(this.cluster?.remote.statusesOf(userId) ?? [])];
    return statuses.includes('online') ? 'online' : statuses.includes('away') ? 'away' : 'offline';
  }

  /** Re-evaluates a person after one of their connections came, went or changed, and tells the watchers. */
  refresh(userId: string): void {
    this.tellWatchersOf(userId);
    this.cluster?.announce(this.localPerson(userId));
  }

  /** Tells the watchers of people whose connections on other nodes changed. */
  refreshRemote(userIds: readonly string[]): void {
    for (const userId of userIds) this.tellWatchersOf(userId);
  }

  /** Everyone connected here, for the roll call to the other nodes. */
  localPeople(): PresenceAnnouncement[] {
    return this.hub.connectedUserIds().map((userId) => this.localPerson(userId));
  }

  private localPerson(userId: string): PresenceAnnouncement {
    const rooms = new Set(this.hub.connectionsOfUser(userId).flatMap((connection) => [...connection.rooms]));
    return { userId, status: this.localStatusOf(userId), rooms: [...rooms] };
  }

  private localStatusOf(userId: string): PresenceStatus {
    const connections = this.hub.connectionsOfUser(userId);
    if (connections.length === 0) return 'offline';
    return connections.some((connection) => connection.presence === 'online') ? 'online' : 'away';
  }

  private tellWatchersOf(userId: string): void {
    for (const connection of this.watchers.get(userId) ?? []) this.tell(connection, userId);
  }

  /** Replaces what a connection watches and tells it everyone's current status at once. */
  watch(connection: StreamConnection, userIds: readonly string[]): void {
    this.forget(connection);
    connection.watching = new Map();
    for (const userId of new Set(userIds)) {
      let set = this.watchers.get(userId);
      if (!set) this.watchers.set(userId, (set = new Set()));
      set.add(connection);
      const status = this.statusFor(connection, userId);
      connection.watching.set(userId, status);
      connection.send(presenceFrame(userId, status));
    }
  }

  forget(connection: StreamConnection): void {
    for (const userId of connection.watching?.keys() ?? []) {
      const set = this.watchers.get(userId);
      if (set?.delete(connection) && set.size === 0) this.watchers.delete(userId);
    }
    connection.watching = undefined;
  }

  private retell(connection: StreamConnection): void {
    for (const userId of connection.watching?.keys() ?? []) this.tell(connection, userId);
  }

  private tell(connection: StreamConnection, userId: string): void {
    const status = this.statusFor(connection, userId);
    if (!connection.watching || connection.watching.get(userId) === status) return;
    connection.watching.set(userId, status);
    connection.send(presenceFrame(userId, status));
  }

  private statusFor(watcher: StreamConnection, userId: string): PresenceStatus {
    return this.maySee(watcher, userId) ? this.statusOf(userId) : 'offline';
  }

  /**
   * The directory's rule (`UsersService.getUserFor`), read from the hub's routing instead of the database: a person
   * online on this node has connections whose rooms the hub knows, and a person who is not is 'offline' to
   * everyone anyway.
   */
  private maySee(watcher: StreamConnection, userId: string): boolean {
    if (watcher.role !== 'guest' || userId === watcher.userId) return true;
    if (this.hub.connectionsOfUser(userId).some((theirs) => [...theirs.rooms].some((roomId) => watcher.rooms.has(roomId)))) return true;
    return this.cluster?.remote.inAnyOf(userId, watcher.rooms) ?? false;
  }
}

function presenceFrame(userId: string, status: PresenceStatus): string {
  return JSON.stringify({ type: 'presence', userId, status } satisfies ServerFrame);
}
