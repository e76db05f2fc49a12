import type { Message, Room, User } from '@enclave/protocol';

export interface ExportInput {
  room: Room;
  members: { userId: string; role: string }[];
  people: Map<string, Pick<User, 'id' | 'username' | 'displayName'>>;
  /** Oldest first. */
  messages: Message[];
  /**
   * The moment the room was frozen. A frozen room cannot change, so every export of it is the same file, byte for
   * byte: the hash in a deletion certificate matches the export an administrator downloaded earlier.
   */
  asOf: string;
}

/**
 * JSON Lines: a first line describing the room and its members, then one line per message, oldest first, as
 * members saw them (a deleted message keeps its place without its text).
 */
export function toJsonLines(input: ExportInput): string {
  const head = {
    type: 'room',
    asOf: input.asOf,
    room: input.room,
    members: input.members.map((member) => ({ ...member, username: input.people.get(member.userId)?.username ?? null })),
  };
  const lines = [JSON.stringify(head)];
  for (const message of input.messages) {
    lines.push(
      JSON.stringify({
        type: 'message',
        id: message.id,
        senderId: message.senderId,
        senderUsername: input.people.get(message.senderId)?.username ?? null,
        text: message.deleted || message.recalled ? null : message.text,
        createdAt: message.createdAt,
        editedAt: message.editedAt,
        deleted: message.deleted,
        recalled: message.recalled,
        threadRootId: message.threadRootId,
        reactions: message.reactions.map(({ emoji, count }) => ({ emoji, count })),
      }),
    );
  }
  return `${lines.join('\n')}\n`;
}

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => entities[c]!);
}

/** A readable, self-contained transcript; every piece of user text is escaped. */
export function toHtmlTranscript(input: ExportInput): string {
  const title = escape(input.room.name ?? 'Direct message');
  const rows = input.messages
    .map((message) => {
      const sender = input.people.get(message.senderId);
      const who = escape(sender ? `${sender.displayName} (@${sender.username})` : message.senderId);
      const body = message.deleted ? '<em>deleted</em>' : message.recalled ? '<em>recalled</em>' : escape(message.text).replace(/\n/g, '<br>');
      const reply = message.threadRootId ? ' class="reply"' : '';
      return `<tr${reply}><td>${escape(message.createdAt)}</td><td>${who}</td><td>${body}${message.editedAt ? ' <small>(edited)</small>' : ''}</td></tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${title}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}td{padding:4px 8px;vertical-align:top;border-bottom:1px solid #ddd}tr.reply td:last-child{padding-left:2em}</style>
</head><body>
<h1>${title}</h1>
<p>As of ${escape(input.asOf)} (frozen) · ${input.room.kind} · ${input.members.length} members · ${input.messages.length} messages</p>
<table><thead><tr><th>Time (UTC)</th><th>From</th><th>Message</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>
`;
}
