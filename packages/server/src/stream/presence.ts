import type { PresenceStatus } from '@enclave/protocol';
import type { EventHub } from './event-hub';
import type { StreamConnection } from './stream-connection';

/**
 * Who is online, away or offline, told only to the connections that asked about that person
 * (`presence.watch`): a person coming online costs one frame per watcher, never a broadcast to every room they
 * are in. Presence is this node's view of its own connections.
 */
export class PresenceTracker {
  private readonly watchers = new Map<string, Set<StreamConnection>>();
  private readonly announced = new Map<string, PresenceStatus>();

  constructor(private readonly hub: EventHub) {}

  statusOf(userId: string): PresenceStatus {
    const connections = this.hub.connectionsOfUser(userId);
    if (connections.length === 0) return 'offline';
    return connections.some((connection) => connection.presence === 'online') ? 'online' : 'away';
  }

  /** Re-evaluates a person after one of their connections came, went or changed, and tells the watchers. */
  refresh(userId: string): void {
    const status = this.statusOf(userId);
    if ((this.announced.get(userId) ?? 'offline') === status) return;
    if (status === 'offline') this.announced.delete(userId);
    else this.announced.set(userId, status);
    const frame = JSON.stringify({ type: 'presence', userId, status });
    for (const connection of this.watchers.get(userId) ?? []) connection.send(frame);
  }

  /** Replaces what a connection watches and tells it everyone's current status at once. */
  watch(connection: StreamConnection, userIds: readonly string[]): void {
    this.forget(connection);
    connection.watching = new Set(userIds);
    for (const userId of connection.watching) {
      let set = this.watchers.get(userId);
      if (!set) this.watchers.set(userId, (set = new Set()));
      set.add(connection);
      connection.send(JSON.stringify({ type: 'presence', userId, status: this.statusOf(userId) }));
    }
  }

  forget(connection: StreamConnection): void {
    for (const userId of connection.watching ?? []) {
      const set = this.watchers.get(userId);
      if (set?.delete(connection) && set.size === 0) this.watchers.delete(userId);
    }
    connection.watching = undefined;
  }
}
