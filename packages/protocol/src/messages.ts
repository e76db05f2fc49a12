import { z } from 'zod';
import { ClientId, Id, Position, Timestamp } from './common';
import { UnreadFile } from './dlp';
import { FILES_PER_MESSAGE_MAX, FileInfo } from './files';
import { LabelId } from './labels';
import { CopyProvenance } from './provenance';
import { MembershipLine } from './timeline';

export const MESSAGE_TEXT_MAX = 10_000;
export const MessageText = z
  .string()
  .max(MESSAGE_TEXT_MAX)
  .refine((text) => text.trim().length > 0, 'a message needs some text');
/** A new message's text: empty is allowed when it carries files (see hasTextOrFiles). */
export const MessageSendText = z.string().max(MESSAGE_TEXT_MAX).default('');

/** Files uploaded into the same room (uploadFile) for a message to carry; a message with files may have no text. */
export const FileIds = z.array(Id).min(1).max(FILES_PER_MESSAGE_MAX).refine((ids) => new Set(ids).size === ids.length, 'each file once');
/** A message needs some text unless it carries files. */
export function hasTextOrFiles(send: { text: string; fileIds?: string[] | undefined }): boolean {
  return send.text.trim().length > 0 || (send.fileIds?.length ?? 0) > 0;
}

/** One emoji (a single grapheme, possibly with modifiers), as reactions use them. */
export const ReactionEmoji = z
  .string()
  .min(1)
  .max(32)
  .refine((value) => /^\p{Extended_Pictographic}/u.test(value) && [...new Intl.Segmenter().segment(value)].length === 1, 'one emoji');

export const ReactionSummary = z.object({
  emoji: z.string(),
  count: z.number().int().positive(),
  userIds: z.array(Id),
});
export type ReactionSummary = z.infer<typeof ReactionSummary>;

/** Per-message limits on top of the room's and the label's policies. */
export const MessageRestrictions = z.object({ noForward: z.boolean(), noCopy: z.boolean(), noDownload: z.boolean() });
export type MessageRestrictions = z.infer<typeof MessageRestrictions>;
export const NO_RESTRICTIONS: MessageRestrictions = { noForward: false, noCopy: false, noDownload: false };

/**
 * The original of a forwarded message. `roomId` is only a handle: a viewer who is a member of that room knows its
 * name from their own room list; anyone else is shown "another conversation". A forward of a forward keeps the
 * first original.
 */
export const ForwardProvenance = z.object({
  messageId: Id,
  roomId: Id,
  senderId: Id,
  createdAt: Timestamp,
  label: LabelId,
});
export type ForwardProvenance = z.infer<typeof ForwardProvenance>;

/**
 * A token from a CONFIRMATION_REQUIRED answer: repeating the same send with it confirms the sender saw who will
 * receive the message. It is bound to the sender, the room, its audience and the content, and expires in minutes.
 */
export const ConfirmationToken = z.string().min(1).max(1000);

export const Message = z.object({
  id: Id,
  roomId: Id,
  senderId: Id,
  /** The sender was a guest (an external partner) when sending: shown as "External / 外部" by the name. */
  senderGuest: z.boolean(),
  /** Empty once the message is deleted or recalled. */
  text: z.string(),
  threadRootId: Id.nullable(),
  clientId: ClientId.nullable(),
  position: Position,
  createdAt: Timestamp,
  editedAt: Timestamp.nullable(),
  deleted: z.boolean(),
  /** Its author took it back; members see that a message was recalled, never what it said. */
  recalled: z.boolean(),
  /** For a thread root: how many replies, and when the last came. */
  replyCount: z.number().int().nonnegative(),
  lastReplyAt: Timestamp.nullable(),
  pinned: z.boolean(),
  /** A thread reply that was also sent to the room's main timeline. */
  alsoInRoom: z.boolean(),
  /** People mentioned with @username. */
  mentions: z.array(Id),
  /** Whether the message mentions everyone in the room (@all). */
  mentionsAll: z.boolean(),
  reactions: z.array(ReactionSummary),
  /** The message's classification label. */
  label: LabelId,
  /** What its sender (or a room owner) forbade for this one message. */
  restrictions: MessageRestrictions,
  /** Set on a forwarded copy: where the original came from. */
  forwardedFrom: ForwardProvenance.nullable(),
  /** Set when its text matched a labelled item above the label it was sent with: it took that label, and this origin. */
  copiedFrom: CopyProvenance.nullable().optional(),
  /** The files the message carries, in the order they were attached. */
  files: z.array(FileInfo),
  /**
   * Present (and true) only when the stored text is damaged and cannot be decrypted: `text` is then empty. The
   * message keeps its place in lists; opening it on its own answers CONTENT_DAMAGED.
   */
  unreadable: z.literal(true).optional(),
  /**
   * Present only on a message its sender marked urgent (an override the organisation's urgent policy allows): it
   * rings through the recipient's quiet hours, and the reason says why to everyone who sees it.
   */
  urgent: z.object({ reason: z.string() }).optional(),
});
export type Message = z.infer<typeof Message>;

export const URGENT_REASON_MAX = 200;
/** Why a message may not wait: required with `urgent` (URGENT_REASON_REQUIRED when blank). */
export const UrgentReason = z.string().max(URGENT_REASON_MAX);

/** What a send carries, whether it comes by REST or as a stream frame: the one field list of both. */
export const MessageSendFields = z.object({
  text: MessageSendText,
  clientId: ClientId.optional(),
  threadRootId: Id.optional(),
  /** With threadRootId: show the reply in the room's timeline too. */
  alsoSendToRoom: z.boolean().optional(),
  /** The classification label; the room's default label when left out. */
  label: LabelId.optional(),
  confirmationToken: ConfirmationToken.optional(),
  restrictions: MessageRestrictions.partial().optional(),
  fileIds: FileIds.optional(),
  /** Ring through quiet hours; only for people the urgent policy allows, with `urgentReason`. */
  urgent: z.boolean().optional(),
  urgentReason: UrgentReason.optional(),
});
/** A send as the server takes it, from either route. */
export type MessageSend = z.infer<typeof MessageSendFields>;

/** The rules across a send's fields, the same for both routes. */
export function withSendRules<T extends z.ZodType<Pick<MessageSend, 'text' | 'fileIds' | 'alsoSendToRoom' | 'threadRootId'>>>(schema: T): T {
  return schema
    .refine(hasTextOrFiles, { path: ['text'], message: 'a message needs some text or a file' })
    .refine((v) => !v.alsoSendToRoom || v.threadRootId !== undefined, { path: ['alsoSendToRoom'], message: 'only for thread replies' });
}

export const MessageSendRequest = withSendRules(MessageSendFields);
export type MessageSendRequest = z.infer<typeof MessageSendRequest>;
export const MessageResponse = z.object({ message: Message });
export const MessageHistoryRequest = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** A message id: return messages older than it. */
  before: Id.optional(),
  /**
   * A message id: the page around it (a search result opened in context), about half the page newer than it and
   * the rest, it included, older. It must be in the timeline asked for (top level, or `threadRootId`'s replies).
   */
  around: Id.optional(),
  /**
   * A message id: the messages right after it, up to `limit` (the next newer page while reading a stretch of the
   * past). The same timeline rule as `around` applies.
   */
  after: Id.optional(),
  /** Only the replies in this thread; without it, only top-level messages. */
  threadRootId: Id.optional(),
}).refine((v) => [v.before, v.around, v.after].filter((anchor) => anchor !== undefined).length <= 1, {
  path: ['around'],
  message: 'before, around and after exclude each other',
});
/**
 * Newest first. `hasMore`: older messages exist. `hasNewer` (with `around` or `after` only): newer messages exist
 * beyond the page. `membershipLines` (a room's timeline only; none in a thread), newest first: who came and went in
 * the stretch the page covers, from its oldest message (from the room's start when `hasMore` is false) up to its
 * newest (up to now when `hasNewer` is not true), at most MEMBERSHIP_LINES_PER_PAGE of them, the newest. Older
 * servers sent none.
 */
export const MessageHistoryResponse = z.object({
  messages: z.array(Message),
  hasMore: z.boolean(),
  hasNewer: z.boolean().optional(),
  membershipLines: z.array(MembershipLine).default([]),
});

export const MessageIdParams = z.object({ messageId: Id });
export const ReactionParams = z.object({ messageId: Id, emoji: ReactionEmoji });
export const MessageEditRequest = z.object({ text: MessageText, confirmationToken: ConfirmationToken.optional() });
/** `includeCopies`: also recall the message's forwards and fingerprint copies, where the organisation allows it. */
export const MessageRecallRequest = z.object({ includeCopies: z.boolean().optional() });
export const MessageForwardRequest = z.object({ roomId: Id, confirmationToken: ConfirmationToken.optional() });
export const MessageRestrictionsRequest = MessageRestrictions.partial().refine((v) => Object.values(v).some((value) => value !== undefined), 'nothing to change');

/** Why a send needs the sender's confirmation, and who would receive it: what the guard dialog shows. */
export const ConfirmationReason = z.enum(['guests', 'other-departments', 'member-count', 'label', 'dlp', 'files']);
export type ConfirmationReason = z.infer<typeof ConfirmationReason>;
export const ConfirmationRequiredData = z.object({
  confirmationToken: ConfirmationToken,
  reasons: z.array(ConfirmationReason),
  room: z.object({ id: Id, name: z.string().nullable(), kind: z.enum(['channel', 'group', 'dm']), memberCount: z.number().int(), guestCount: z.number().int() }),
  /** Names of the departments the room's members belong to (up to 20). */
  departments: z.array(z.string()),
  label: LabelId,
  /** DLP rules that asked for confirmation (their names only, never the matched text). */
  rules: z.array(z.object({ id: Id, name: z.string() })),
  /** Files that count as matching those rules because they could not be read to the end. */
  unreadFiles: z.array(UnreadFile).optional(),
  /** Present when markings or DLP rules in the content raised `label` above what the sender chose. */
  raisedBy: z.literal('content').optional(),
});
export type ConfirmationRequiredData = z.infer<typeof ConfirmationRequiredData>;
export const MessageReader = z.object({ userId: Id, readAt: Timestamp });
export const MessageReadersResponse = z.object({ readers: z.array(MessageReader), memberCount: z.number().int().nonnegative() });
export const PinnedMessagesResponse = z.object({ messages: z.array(Message) });
export const MentionListRequest = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(30),
  /** A message id: mentions older than it. */
  before: Id.optional(),
});
/** Newest first: messages that mention me, in rooms I am still in. */
export const MentionListResponse = z.object({ messages: z.array(Message), hasMore: z.boolean() });
