import { streamCloseCodes, type PresenceStatus, type Role } from '@enclave/protocol';
import type { WebSocket } from 'ws';
import type { HubEvent } from '../events/hub-event';

/** What the connection asks whether its person is off work (work-hours/quiet-hours.ts). */
export interface QuietnessSource {
  isQuietAt(at: number): boolean;
}

/** A client that stops reading gets cut off rather than grow the server's memory; it resumes when it returns. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/**
 * One open stream. While it catches up on the backlog, live events wait in a buffer; afterwards each event goes
 * straight to the socket. `lastSent` makes delivery exactly-once: nothing at or below it is sent again.
 */
export class StreamConnection {
  /** Rooms whose membership changed for this user while the connection was being set up. */
  readonly touchedRooms = new Set<string>();
  /** Rooms the hub routes to this connection; kept here so leaving is cheap. */
  readonly rooms = new Set<string>();
  alive = true;
  /** Whether the person says they are at the keyboard on this connection. */
  presence: 'online' | 'away' = 'online';
  /** People whose presence this connection asked about, with the status it was last told; created only when it asks. */
  watching: Map<string, PresenceStatus> | undefined;
  /** Set once the socket has closed, so a setup still under way stops instead of registering a dead connection. */
  closed = false;
  /** When this connection last announced typing, per room, to drop announcements that come too fast. */
  lastTyping: Map<string, number> | undefined;
  private buffer: HubEvent[] | undefined = [];
  /** Whether the person is off work; until it is loaded (just before the hub routes here), nobody is quiet. */
  private quietHours: QuietnessSource | undefined;
  /** Which reload the quiet hours came from, so an older reload finishing late never replaces a newer one. */
  private quietHoursLoad = 0;
  /** Set before the connection is registered with the hub; until then it may read nothing. */
  private readableLabels: ReadonlySet<string> = new Set();
  /** The clearance the readable labels were worked out from, to tell whether it changed since (`StreamService.closeStale`). */
  clearance: string | undefined;
  private lastSent: number;

  constructor(
    readonly socket: WebSocket,
    readonly userId: string,
    /** The person's role when the stream opened: what they may see of others (presence) depends on it. */
    readonly role: Role,
    readonly sessionId: string,
    after: number,
  ) {
    this.lastSent = after;
  }

  /**
   * The labels the person's clearance reaches, as read when the stream opened. A label created later is not among
   * them until the client reconnects (refused, never leaked); a changed clearance ends the stream, so it reopens
   * with the new one.
   */
  setReadableLabels(labels: ReadonlySet<string>, clearance: string): void {
    this.readableLabels = labels;
    this.clearance = clearance;
  }

  mayRead(label: string): boolean {
    return this.readableLabels.has(label);
  }

  setQuietHours(quietHours: QuietnessSource | undefined, load: number): void {
    if (load < this.quietHoursLoad) return;
    this.quietHoursLoad = load;
    this.quietHours = quietHours;
  }

  isQuietAt(at: number): boolean {
    return this.quietHours?.isQuietAt(at) ?? false;
  }

  get position(): number {
    return this.lastSent;
  }

  /** Called by the hub, in position order. */
  deliver(event: HubEvent): void {
    if (this.buffer) this.buffer.push(event);
    else this.sendLogged(event.position, event.frame);
  }

  sendLogged(position: number, frame: Buffer | string): void {
    if (position <= this.lastSent) return;
    this.lastSent = position;
    this.send(frame);
  }

  /** Marks everything up to `position` as already known to the client. */
  skipTo(position: number): void {
    this.lastSent = Math.max(this.lastSent, position);
  }

  /** Ends the catch-up: buffered live events that the backlog did not already cover go out, then live mode. */
  finishSync(): void {
    const buffered = this.buffer ?? [];
    this.buffer = undefined;
    for (const event of buffered) this.sendLogged(event.position, event.frame);
  }

  send(frame: Buffer | string): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.socket.close(streamCloseCodes.slowConsumer, 'too slow');
      return;
    }
    this.socket.send(frame, { binary: false });
  }
}
