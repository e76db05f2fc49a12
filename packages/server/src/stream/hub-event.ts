/** A logged event on its way to live connections, serialised once for every recipient. */
export interface HubEvent {
  position: number;
  /** Exactly one audience: the members of a room, or one user. */
  roomId?: string;
  userId?: string;
  frame: Buffer;
  /** Membership changes carried by this event, applied to the routing tables before delivery. */
  membership?: { roomId: string; added?: string[]; removed?: string[] };
}
