import type { CopyProvenance, FileInfo, ForwardProvenance, Message, ReactionSummary } from '@enclave/protocol';
import type { MessageRow } from '../db/schema';
import { restrictionsFromBits } from './message-restrictions';

/**
 * What a message row does not hold itself: its reactions, whom it mentions and the files it carries; and what it
 * holds sealed besides its text: an urgent message's opened reason.
 */
export interface MessageExtras {
  reactions: ReactionSummary[];
  mentions: string[];
  files: FileInfo[];
  urgentReason?: string;
}

const none: MessageExtras = { reactions: [], mentions: [], files: [] };

function isoOrNull(time: number | null): string | null {
  return time === null ? null : new Date(Number(time)).toISOString();
}

/**
 * A stored message as members see it. `text` is its opened text (message-body.codec), or `undefined` when its
 * stored text is damaged: the message keeps its place, empty and marked `unreadable`. A hidden message shows no
 * text either way.
 */
export function toWireMessage(row: MessageRow, text: string | undefined, extras: MessageExtras = none): Message {
  const recalled = row.recalled_at !== null;
  // Deleted and recalled messages keep their stored text and files for compliance; members never see them again.
  const hidden = row.deleted_at !== null || recalled;
  const deleted = row.deleted_at !== null;
  return {
    id: row.id,
    roomId: row.room_id,
    senderId: row.sender_id,
    senderGuest: Number(row.sender_guest) === 1,
    text: hidden ? '' : (text ?? ''),
    threadRootId: row.thread_root_id,
    clientId: row.client_id,
    position: Number(row.position),
    createdAt: new Date(Number(row.created_at)).toISOString(),
    editedAt: isoOrNull(row.edited_at),
    deleted,
    recalled,
    replyCount: Number(row.reply_count),
    lastReplyAt: isoOrNull(row.last_reply_at),
    pinned: row.pinned_at !== null,
    alsoInRoom: Number(row.also_in_room) === 1,
    mentions: hidden ? [] : extras.mentions,
    mentionsAll: !hidden && Number(row.mentions_all) === 1,
    reactions: hidden ? [] : extras.reactions,
    label: row.label,
    restrictions: restrictionsFromBits(Number(row.restrictions)),
    forwardedFrom: row.forwarded_from === null ? null : (JSON.parse(row.forwarded_from) as ForwardProvenance),
    copiedFrom: row.copied_from === null ? null : (JSON.parse(row.copied_from) as CopyProvenance),
    files: hidden ? [] : extras.files,
    ...(!hidden && text === undefined ? { unreadable: true as const } : {}),
    ...(!hidden && row.urgent_reason !== null ? { urgent: { reason: extras.urgentReason ?? '' } } : {}),
  };
}
