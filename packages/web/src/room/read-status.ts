import type { Message, RoomSummary } from '@enclave/protocol';

/** Beyond this many members, "read by" costs more attention than it is worth, so channels this big do not show it. */
export const READ_STATUS_MAX_CHANNEL_MEMBERS = 50;

export type ReadStatus = { kind: 'dm'; read: boolean } | { kind: 'group'; read: number; of: number };

/**
 * What my own message shows about who has read it: "Read" in a two-person DM, "Read by 3 of 5" elsewhere (the
 * others in the room, me excluded). Undefined when the positions are not known yet or the room is a big channel.
 */
export function readStatusOf(message: Message, room: RoomSummary, positions: Record<string, number> | undefined, myId: string): ReadStatus | undefined {
  if (!positions || message.senderId !== myId || message.deleted || message.recalled) return undefined;
  if (room.kind === 'channel' && room.memberCount > READ_STATUS_MAX_CHANNEL_MEMBERS) return undefined;
  const readers = Object.entries(positions).filter(([userId, position]) => userId !== myId && position >= message.position).length;
  if (room.kind === 'dm' && room.dmMemberIds.length <= 1) return { kind: 'dm', read: readers > 0 };
  return { kind: 'group', read: readers, of: Math.max(readers, room.memberCount - 1) };
}
