import type { Message, RoomSummary } from '@enclave/protocol';
import { mentions } from '../chat/chat-state';

/**
 * Whether a new message deserves a desktop notification: someone else's, in a room I have not muted, that is a
 * direct message or mentions me, while I am not looking at the page.
 */
export function notificationKind(message: Message, room: RoomSummary | undefined, myId: string, pageHidden: boolean): 'dm' | 'mention' | undefined {
  if (!pageHidden || !room || room.muted || message.senderId === myId) return undefined;
  if (mentions(message, myId)) return 'mention';
  if (room.kind === 'dm' && (message.threadRootId === null || message.alsoInRoom)) return 'dm';
  return undefined;
}
