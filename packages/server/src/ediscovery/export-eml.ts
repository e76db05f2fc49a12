import type { Readable } from 'node:stream';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { ExportRecord, Person } from './export-records';

/** Beyond this many members an EML is addressed to the room as a group address instead of to each member. */
const MAX_LISTED_RECIPIENTS = 100;

export interface EmlContext {
  /** The host part of every address and Message-ID (the installation's public host). */
  host: string;
  /** The room's current members. */
  members: readonly Person[];
  /** A fresh stream of a file's bytes, for its attachment; undefined for a damaged file, which is left out. */
  openFile: (fileId: string) => Promise<Readable | undefined>;
}

/**
 * One message as an RFC 5322 email, so any mail archive can take it in: From the sender, To the room's members as
 * of now (or the room as a group address), Subject the room's name, a Message-ID per message and In-Reply-To /
 * References to the thread root for a reply, the files as attachments. Enclave's own facts (room, label, deleted,
 * recalled) travel as X-Enclave-* headers; earlier versions follow the current text in the body.
 */
export async function emlOf(record: ExportRecord, context: EmlContext): Promise<Readable> {
  const roomAddress = { name: record.roomName ?? 'Direct message', address: `room-${record.roomId}@${context.host}` };
  const to = context.members.length === 0 || context.members.length > MAX_LISTED_RECIPIENTS ? [roomAddress] : context.members.map((member) => addressOf(member, context.host));
  const attachments = [];
  for (const file of record.files) {
    const content = await context.openFile(file.id);
    if (content) attachments.push({ filename: file.name, contentType: file.mime, content });
  }
  const rootId = record.threadRootId === null ? undefined : messageIdOf(record.threadRootId, context.host);
  const composer = new MailComposer({
    from: addressOf(record.sender, context.host),
    to,
    subject: record.roomName ?? 'Direct message',
    date: new Date(record.createdAt),
    messageId: messageIdOf(record.id, context.host),
    ...(rootId ? { inReplyTo: rootId, references: [rootId] } : {}),
    text: bodyOf(record),
    attachments,
    headers: {
      'X-Enclave-Room-Id': record.roomId,
      'X-Enclave-Label': record.label,
      ...(record.deletedAt ? { 'X-Enclave-Deleted-At': record.deletedAt } : {}),
      ...(record.recalledAt ? { 'X-Enclave-Recalled-At': record.recalledAt } : {}),
      ...(record.editedAt ? { 'X-Enclave-Edited-At': record.editedAt } : {}),
    },
  });
  return composer.compile().createReadStream();
}

export function messageIdOf(messageId: string, host: string): string {
  return `<${messageId}@${host}>`;
}

function addressOf(person: Person, host: string): { name: string; address: string } {
  return { name: person.displayName ?? person.username ?? person.id, address: `${person.username ?? `user-${person.id}`}@${host}` };
}

function bodyOf(record: ExportRecord): string {
  const current = record.text ?? '[this message is stored damaged and could not be read]';
  if (record.versions.length === 0) return current;
  const earlier = record.versions.map((version) => `--- version ${version.version}, replaced ${version.replacedAt} ---\n${version.text ?? '[unreadable]'}`);
  return `${current}\n\n${earlier.join('\n\n')}`;
}
