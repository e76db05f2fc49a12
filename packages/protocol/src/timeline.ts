import { z } from 'zod';
import { Id, Position } from './common';

/**
 * A quiet line in a room's timeline saying who came or went, placed by its log position among the messages.
 * `created`: `actorId` started the room with `userIds`; `joined`: `actorId` joined (a channel, or by `invitedBy`'s
 * invite link); `added`: `actorId` added `userIds`; `admitted`: `userIds` came in by `invitedBy`'s invite, which
 * `approvedBy` (an owner, or an administrator for an invite that asked for approval) let through; `left`: `actorId`
 * left; `removed`: `actorId` removed `userIds`. Ids only: clients show names as they show senders'.
 */
export const MembershipLineKind = z.enum(['created', 'joined', 'added', 'admitted', 'left', 'removed']);
export type MembershipLineKind = z.infer<typeof MembershipLineKind>;
export const MembershipLine = z.object({
  position: Position,
  kind: MembershipLineKind,
  actorId: Id,
  userIds: z.array(Id),
  invitedBy: Id.optional(),
  approvedBy: Id.optional(),
});
export type MembershipLine = z.infer<typeof MembershipLine>;
/** The most membership lines one history page carries: the newest of its stretch (see MessageHistoryResponse). */
export const MEMBERSHIP_LINES_PER_PAGE = 200;

/** The membership facts of a `room.member_added` or `room.member_removed` event, as stored or as streamed. */
export type MembershipEventFacts =
  | { type: 'room.member_added'; position: number; userIds: string[]; actorId: string; roomCreated?: boolean | undefined; invitedBy?: string | undefined; admission?: { invitedBy: string; approvedBy: string } | undefined }
  | { type: 'room.member_removed'; position: number; userIds: string[]; actorId: string };

/**
 * The timeline line of a membership event: the server builds history's lines with it and clients build live ones,
 * so both read alike. Rooms created before `roomCreated` was logged are recognised by their creator being among
 * the people added.
 */
export function membershipLineOf(event: MembershipEventFacts): MembershipLine {
  const { position, actorId } = event;
  const others = event.userIds.filter((id) => id !== actorId);
  if (event.type === 'room.member_removed') return others.length === 0 ? { position, kind: 'left', actorId, userIds: [actorId] } : { position, kind: 'removed', actorId, userIds: others };
  if (event.admission) return { position, kind: 'admitted', actorId, userIds: event.userIds, invitedBy: event.admission.invitedBy, approvedBy: event.admission.approvedBy };
  const selfIncluded = others.length < event.userIds.length;
  if (event.roomCreated === true || (selfIncluded && others.length > 0)) return { position, kind: 'created', actorId, userIds: others };
  if (selfIncluded) return { position, kind: 'joined', actorId, userIds: [actorId], ...(event.invitedBy !== undefined && event.invitedBy !== actorId ? { invitedBy: event.invitedBy } : {}) };
  return { position, kind: 'added', actorId, userIds: others };
}
