import { z } from 'zod';
import { ClientId, Id, Position, Timestamp } from './common';
import { LabelId } from './labels';

export const MESSAGE_TEXT_MAX = 10_000;
export const MessageText = z
  .string()
  .max(MESSAGE_TEXT_MAX)
  .refine((text) => text.trim().length > 0, 'a message needs some text');

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

export const Message = z.object({
  id: Id,
  roomId: Id,
  senderId: Id,
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
});
export type Message = z.infer<typeof Message>;

export const MessageSendRequest = z
  .object({
    text: MessageText,
    clientId: ClientId.optional(),
    threadRootId: Id.optional(),
    /** With threadRootId: show the reply in the room's timeline too. */
    alsoSendToRoom: z.boolean().optional(),
    /** The classification label; the room's default label when left out. */
    label: LabelId.optional(),
  })
  .refine((v) => !v.alsoSendToRoom || v.threadRootId !== undefined, { path: ['alsoSendToRoom'], message: 'only for thread replies' });
export type MessageSendRequest = z.infer<typeof MessageSendRequest>;
export const MessageResponse = z.object({ message: Message });
export const MessageHistoryRequest = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** A message id: return messages older than it. */
  before: Id.optional(),
  /** Only the replies in this thread; without it, only top-level messages. */
  threadRootId: Id.optional(),
});
/** Newest first. */
export const MessageHistoryResponse = z.object({ messages: z.array(Message), hasMore: z.boolean() });

export const MessageIdParams = z.object({ messageId: Id });
export const ReactionParams = z.object({ messageId: Id, emoji: ReactionEmoji });
export const MessageEditRequest = z.object({ text: MessageText });
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
