import type { Label, Message, RoomSummary } from '@enclave/protocol';

/**
 * What a message's room, its label and its own restrictions allow; the strictest one wins. The server enforces
 * forwarding; copying is only discouraged in the page, since a reader can always photograph the screen.
 */
export function copyForbidden(message: Message, room: RoomSummary, label: Label | undefined): boolean {
  return !room.copyAllowed || label?.copyAllowed === false || message.restrictions.noCopy;
}

/**
 * Whether a file may only be viewed, not downloaded: its room, any label in play (the file's, its message's) or
 * the message's own restriction says so. The server refuses such downloads anyway (DOWNLOAD_NOT_ALLOWED); the
 * page only spares people a button that cannot work. `message` is absent where only the file is known.
 */
export function downloadForbidden(room: RoomSummary, labels: (Label | undefined)[], message: Message | undefined): boolean {
  return !room.downloadAllowed || labels.some((label) => label?.downloadAllowed === false) || message?.restrictions.noDownload === true;
}

export function forwardForbidden(message: Message, room: RoomSummary, label: Label | undefined): boolean {
  return message.restrictions.noForward || room.forwarding === 'never' || label?.forwarding === 'never';
}

/** Only the sender or an owner of the room may restrict a message, as on the server. */
export function mayRestrict(message: Message, room: RoomSummary, myId: string): boolean {
  return message.senderId === myId || room.myRole === 'owner';
}
