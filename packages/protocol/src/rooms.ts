import { z } from 'zod';
import { Id, Timestamp } from './common';

export const RoomKind = z.enum(['channel', 'group', 'dm']);
export type RoomKind = z.infer<typeof RoomKind>;
export const MemberRole = z.enum(['owner', 'member']);

export const RoomName = z.string().trim().min(1).max(80);

export const Room = z.object({
  id: Id,
  kind: RoomKind,
  /** Null for direct messages, which are named after the other person. */
  name: z.string().nullable(),
  createdBy: Id,
  createdAt: Timestamp,
  memberCount: z.number().int().nonnegative(),
});
export type Room = z.infer<typeof Room>;

/** A room as one member sees it in their room list. */
export const RoomSummary = Room.extend({
  myRole: MemberRole,
  unreadCount: z.number().int().nonnegative(),
  /** For a direct message, the other member. */
  dmPeerId: Id.nullable(),
  lastReadPosition: z.number().int().nonnegative(),
});
export type RoomSummary = z.infer<typeof RoomSummary>;

export const RoomCreateRequest = z
  .object({
    kind: RoomKind,
    name: RoomName.optional(),
    memberIds: z.array(Id).max(1000).default([]),
  })
  .superRefine((v, ctx) => {
    if (v.kind !== 'dm' && v.name === undefined) ctx.addIssue({ code: 'custom', path: ['name'], message: 'required for channels and groups' });
    if (v.kind === 'dm' && v.name !== undefined) ctx.addIssue({ code: 'custom', path: ['name'], message: 'direct messages have no name' });
  });
export const RoomResponse = z.object({ room: Room });
export const RoomSummaryResponse = z.object({ room: RoomSummary });
export const RoomListResponse = z.object({
  rooms: z.array(RoomSummary),
  /** The log position this list reflects: stream events at or below it are already counted in it. */
  position: z.number().int().nonnegative(),
});
export const ChannelDirectoryResponse = z.object({ channels: z.array(Room.extend({ joined: z.boolean() })) });
export const RoomIdParams = z.object({ roomId: Id });
export const RoomMemberParams = z.object({ roomId: Id, userId: Id });
export const MembersAddRequest = z.object({ userIds: z.array(Id).min(1).max(1000) });
export const RoomMember = z.object({ userId: Id, role: MemberRole, joinedAt: Timestamp });
export const RoomMemberListResponse = z.object({ members: z.array(RoomMember) });
export const ReadMarkRequest = z.object({ messageId: Id });
export const ReadMarkResponse = z.object({ lastReadPosition: z.number().int().nonnegative(), unreadCount: z.number().int().nonnegative() });
