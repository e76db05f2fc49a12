import { z } from 'zod';
import { ClientId, Id, Position, Timestamp } from './common';

export const MESSAGE_TEXT_MAX = 10_000;
export const MessageText = z
  .string()
  .max(MESSAGE_TEXT_MAX)
  .refine((text) => text.trim().length > 0, 'a message needs some text');

export const Message = z.object({
  id: Id,
  roomId: Id,
  senderId: Id,
  text: z.string(),
  threadRootId: Id.nullable(),
  clientId: ClientId.nullable(),
  position: Position,
  createdAt: Timestamp,
});
export type Message = z.infer<typeof Message>;

export const MessageSendRequest = z.object({
  text: MessageText,
  clientId: ClientId.optional(),
  threadRootId: Id.optional(),
});
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
