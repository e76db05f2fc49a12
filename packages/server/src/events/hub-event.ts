/** A logged event on its way to live connections, serialised once for every recipient. */
export interface HubEvent {
  position: number;
  /** Exactly one audience: the members of a room, or one user. */
  roomId?: string;
  userId?: string;
  frame: Buffer;
  /**
   * The label of the message an event shows or is about (created, updated, reactions): only subscribers whose
   * clearance reaches it get the event. Events about no message have none.
   */
  label?: string;
  /** Membership changes carried by this event, applied to the routing tables before delivery. */
  membership?: { roomId: string; added?: string[]; removed?: string[] };
  /**
   * A new message that may ping its recipients (not urgent): a recipient off work gets it marked quiet
   * (`quietVersionOf`) instead.
   */
  mayBeQuiet?: true;
}

const QUIET_OPENING = Buffer.from('{"quiet":true,');

/**
 * The event as an off-work recipient gets it: the same frame with `"quiet":true` put first. Spliced rather than
 * serialised again, so a message to a room with many people off work costs one copy of its frame, not one encoding.
 */
export function quietVersionOf(event: HubEvent): HubEvent {
  return { ...event, frame: Buffer.concat([QUIET_OPENING, event.frame.subarray(1)]) };
}

/**
 * What the hub routes to: one live connection, as the socket edge (`stream/stream-connection.ts`) implements it.
 * Declared here so the log does not depend on the edge: the write path runs one way, from the edge through the
 * services to the log, and the hub hands events back through this interface.
 */
export interface HubSubscriber {
  readonly userId: string;
  readonly sessionId: string;
  /** Rooms the hub routes to this subscriber; kept on it so leaving is cheap. */
  readonly rooms: Set<string>;
  /** Rooms whose membership changed for this user while the subscriber was being set up. */
  readonly touchedRooms: Set<string>;
  /** Whether this subscriber's clearance reaches a label; the hub asks before delivering an event about a message. */
  mayRead(label: string): boolean;
  /** Whether the person is off work at `at`: the hub then delivers a message that may ping as its quiet version. */
  isQuietAt(at: number): boolean;
  /** A logged event, in position order. */
  deliver(event: HubEvent): void;
  /** A frame that is not logged (typing), as is. */
  send(frame: Buffer | string): void;
}
