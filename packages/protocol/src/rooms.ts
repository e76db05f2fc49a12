import { z } from 'zod';
import { Id, Timestamp } from './common';
import { ForwardingPolicy, LabelId } from './labels';
import { RoomMarking } from './tracing';

export const RoomKind = z.enum(['channel', 'group', 'dm']);
export type RoomKind = z.infer<typeof RoomKind>;
export const MemberRole = z.enum(['owner', 'member']);

export const RoomName = z.string().trim().min(1).max(80);
/** A group DM holds at most this many people besides its creator. */
export const DM_MAX_OTHERS = 8;

export const Room = z.object({
  id: Id,
  kind: RoomKind,
  /** Null for direct messages, which are named after the other person. */
  name: z.string().nullable(),
  createdBy: Id,
  createdAt: Timestamp,
  memberCount: z.number().int().nonnegative(),
  topic: z.string().nullable(),
  /** Set while the room is frozen: read-only for everyone, with the reason shown in a banner. */
  frozen: z.object({ at: Timestamp, by: Id, reason: z.string() }).nullable(),
  lastMessageAt: Timestamp.nullable(),
  /** The most sensitive label a message here may carry; every member's clearance reaches it. */
  ceiling: LabelId,
  /** The label a message gets when its sender names none. */
  defaultLabel: LabelId,
  /** How many members are guests (external partners); the header says so and the send guard uses it. */
  guestCount: z.number().int().nonnegative(),
  /** Where messages of this room may be forwarded; the stricter of this and the message label's policy applies. */
  forwarding: ForwardingPolicy,
  /** Whether the web client lets members select and copy messages here (a deterrent, not a guarantee). */
  copyAllowed: z.boolean(),
  /** Whether files here may be downloaded, or only viewed inline. */
  downloadAllowed: z.boolean(),
  /** Where watermarks apply here (an administrator's setting; see RoomMarking). */
  marking: RoomMarking,
  /** Whether the room's view is watermarked for every viewer: `always`, or `by-label` with its ceiling's label marked. */
  marked: z.boolean(),
});
export type Room = z.infer<typeof Room>;

/** A room as one member sees it in their room list. */
export const RoomSummary = Room.extend({
  myRole: MemberRole,
  unreadCount: z.number().int().nonnegative(),
  /** For a direct message between two people, the other one. */
  dmPeerId: Id.nullable(),
  /** For a direct message, everybody in it but me (one person, or several in a group DM). */
  dmMemberIds: z.array(Id),
  lastReadPosition: z.number().int().nonnegative(),
  /** Unread messages that mention me (or @all). */
  mentionCount: z.number().int().nonnegative(),
  muted: z.boolean(),
});
export type RoomSummary = z.infer<typeof RoomSummary>;

export const RoomCreateRequest = z
  .object({
    kind: RoomKind,
    name: RoomName.optional(),
    memberIds: z.array(Id).max(1000).default([]),
    /** Without it: Internal, or the lowest clearance among the members if that is lower. */
    ceiling: LabelId.optional(),
    defaultLabel: LabelId.optional(),
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
/** `guest`: the member is an external partner, shown as "External / 外部". */
export const RoomMember = z.object({ userId: Id, role: MemberRole, joinedAt: Timestamp, guest: z.boolean() });
export type RoomMember = z.infer<typeof RoomMember>;
export const RoomMemberListResponse = z.object({ members: z.array(RoomMember) });
export const ReadMarkRequest = z.object({ messageId: Id });
export const ReadMarkResponse = z.object({
  lastReadPosition: z.number().int().nonnegative(),
  unreadCount: z.number().int().nonnegative(),
  mentionCount: z.number().int().nonnegative(),
});

/**
 * The decision a lowered ceiling needs for content labelled above it: `relabel` brings those messages and files
 * down to the new ceiling; `hide` hides them from everyone in the room (kept for compliance, like deleted
 * messages). Both are audited.
 */
export const ContentAboveCeiling = z.enum(['relabel', 'hide']);
export type ContentAboveCeiling = z.infer<typeof ContentAboveCeiling>;

export const RoomUpdateRequest = z
  .object({
    name: RoomName.optional(),
    topic: z.string().trim().max(250).nullable().optional(),
    ceiling: LabelId.optional(),
    defaultLabel: LabelId.optional(),
    /**
     * No longer enough on its own: lowering the ceiling below content already in the room needs `contentAbove`.
     * Still accepted so that older clients get CEILING_BELOW_CONTENT (with the counts) rather than a validation error.
     */
    acknowledgeDowngrade: z.boolean().optional(),
    /** What happens to messages and files labelled above a lowered ceiling; see `ContentAboveCeiling`. */
    contentAbove: ContentAboveCeiling.optional(),
    forwarding: ForwardingPolicy.optional(),
    copyAllowed: z.boolean().optional(),
    downloadAllowed: z.boolean().optional(),
  })
  .refine((v) => Object.entries(v).some(([key, value]) => key !== 'acknowledgeDowngrade' && key !== 'contentAbove' && value !== undefined), 'nothing to change');
export type RoomUpdateRequest = z.infer<typeof RoomUpdateRequest>;

const LabelCount = z.object({ label: LabelId, count: z.number().int().positive() });
/**
 * The data of CEILING_BELOW_CONTENT: how many messages and files (per label) are above the new ceiling, asked
 * before anything changes, so the owner sees what `relabel` or `hide` would touch.
 */
export const CeilingBelowContentData = z.object({
  ceiling: LabelId,
  labels: z.array(LabelId),
  messages: z.array(LabelCount),
  files: z.array(LabelCount),
  choices: z.array(ContentAboveCeiling),
});
export type CeilingBelowContentData = z.infer<typeof CeilingBelowContentData>;
export const RoomMuteRequest = z.object({ muted: z.boolean() });
export const RoomFreezeRequest = z.object({ reason: z.string().trim().min(1).max(500) });
/** Where each member has read up to, for "read by 3 of 5" on one's own messages. */
export const ReadPositionsResponse = z.object({ positions: z.array(z.object({ userId: Id, lastReadPosition: z.number().int().nonnegative() })) });

/** What an irreversible room deletion leaves in the audit log. */
export const DeletionCertificate = z.object({
  roomId: Id,
  roomName: z.string().nullable(),
  kind: RoomKind,
  deletedAt: Timestamp,
  deletedBy: Id,
  messagesDeleted: z.number().int().nonnegative(),
  membersRemoved: z.number().int().nonnegative(),
  /** Files that went with it: those only its messages carried, and uploads into it not yet sent. */
  filesDeleted: z.number().int().nonnegative(),
  /** SHA-256 of the JSON Lines export taken just before deletion. */
  exportSha256: z.string(),
  /**
   * What the records policy asked for and what was done: `officer-export` names the compliance officer's export
   * of the frozen room (who, when, its SHA-256); `not-required` says the policy keeps no archive.
   */
  archive: z
    .discriminatedUnion('basis', [
      z.object({ basis: z.literal('officer-export'), exportedBy: Id, exportedAt: Timestamp, sha256: z.string() }),
      z.object({ basis: z.literal('not-required') }),
    ])
    .optional(),
  frozenReason: z.string(),
  /** Messages held for DLP review in the room that went with it, decided or not. */
  heldMessagesDeleted: z.number().int().nonnegative(),
  /**
   * Whether the room's data key was destroyed in the deletion's transaction: whatever of the room is left in free
   * pages, the write-ahead log or backups taken before can no longer be opened (crypto-shredding).
   */
  keyDestroyed: z.boolean(),
  /** Data keys destroyed: the room's own and those of the files that went with it. */
  dataKeysDestroyed: z.number().int().nonnegative(),
});
export type DeletionCertificate = z.infer<typeof DeletionCertificate>;
export const RoomDeleteResponse = z.object({ certificate: DeletionCertificate });
export const ExportFormat = z.enum(['jsonl', 'html']);
export const RoomExportRequest = z.object({ format: ExportFormat.default('jsonl') });

/** Admin: find rooms to act on in bulk. All filters combine. */
export const AdminRoomSearchRequest = z.object({
  q: z.string().max(80).optional(),
  departmentId: Id.optional(),
  /** Rooms with no message for at least this many days. */
  idleDays: z.coerce.number().int().min(1).max(3650).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});
export const AdminRoom = Room.extend({ ownerIds: z.array(Id) });
export const AdminRoomListResponse = z.object({ rooms: z.array(AdminRoom), nextCursor: z.string().nullable() });
/** A compliance officer's room picker: find rooms by name (a direct message by its members' names). */
export const OfficerRoomSearchRequest = z.object({
  q: z.string().max(80).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
/**
 * A room as a compliance officer's pickers show it: metadata only, never a topic, a freeze reason or anything
 * said in it. A direct message has no name; `memberIds` (direct messages only, else empty) lets it be named after
 * its people. `ceiling` is the room's label.
 */
export const OfficerRoom = z.object({
  id: Id,
  kind: RoomKind,
  name: z.string().nullable(),
  memberIds: z.array(Id),
  ceiling: LabelId,
  frozen: z.boolean(),
  memberCount: z.number().int().nonnegative(),
  createdAt: Timestamp,
});
export type OfficerRoom = z.infer<typeof OfficerRoom>;
export const OfficerRoomListResponse = z.object({ rooms: z.array(OfficerRoom), nextCursor: z.string().nullable() });
export const RoomMarkingRequest = z.object({ marking: RoomMarking });
export const BulkRoomsRequest = z.object({ roomIds: z.array(Id).min(1).max(500) });
export const BulkFreezeRequest = BulkRoomsRequest.extend({ reason: z.string().trim().min(1).max(500) });
export const BulkFreezeResponse = z.object({ rooms: z.array(Room) });
export const BulkDeleteResponse = z.object({ certificates: z.array(DeletionCertificate) });
