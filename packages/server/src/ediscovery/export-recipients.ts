/** Who an export names as a record's recipients, and on what ground. */
export interface Recipients {
  /**
   * `members-when-sent`: the people in the room at the record's time (sent, or held), from the membership history.
   * `current-members`: the room's members now, for a record older than the room's history (see
   * `rooms.members_recorded_since`), whose readers at the time are not known.
   */
  basis: 'members-when-sent' | 'current-members';
  userIds: string[];
}

/** A batch's rooms as the membership history knows them: their stays, and from when each room's history is whole. */
export interface MembershipHistory {
  periods: readonly { roomId: string; userId: string; joinedAt: number; leftAt: number | null }[];
  recordedSince: ReadonlyMap<string, number>;
  currentMembers: ReadonlyMap<string, readonly string[]>;
}

/**
 * The people who could read what was written in `roomId` at `at`: everyone whose stay covers that moment (joined
 * at or before it, not yet gone), or, before the room's history began, its current members, said so.
 */
export function recipientsAt(history: MembershipHistory, roomId: string, at: number): Recipients {
  const since = history.recordedSince.get(roomId) ?? 0;
  if (at < since) return { basis: 'current-members', userIds: [...(history.currentMembers.get(roomId) ?? [])] };
  const userIds = new Set<string>();
  for (const period of history.periods) {
    if (period.roomId === roomId && period.joinedAt <= at && (period.leftAt === null || period.leftAt > at)) userIds.add(period.userId);
  }
  return { basis: 'members-when-sent', userIds: [...userIds].sort() };
}
