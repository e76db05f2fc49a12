import type { Readable } from 'node:stream';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { ExportRecord, HeldState, Person } from './export-records';
import type { Recipients } from './export-recipients';
import { stateOf } from './export-text-formats';

/** Beyond this many members an EML is addressed to the room as a group address instead of to each member. */
const MAX_LISTED_RECIPIENTS = 100;

export interface EmlContext {
  /** The host part of every address and Message-ID (the installation's public host). */
  host: string;
  /** Who could read the record when it was written (export-recipients.ts), and on what ground. */
  recipients: { basis: Recipients['basis']; people: readonly Person[] };
  /** A fresh stream of a file's bytes, for its attachment; undefined for a damaged file, which is left out. */
  openFile: (fileId: string) => Promise<Readable | undefined>;
  /** The export's trace code (`X-Enclave-Trace-Code`), when an officer asked for it. */
  traceCode?: string | undefined;
}

/**
 * One record as an RFC 5322 email, so any mail archive can take it in: From the sender, To the people in the room
 * when it was sent (or the room as a group address; `X-Enclave-Recipients` says whether they are that or, for a
 * message older than the room's membership history, today's members), Subject the room's name, a Message-ID per
 * record and In-Reply-To / References to the thread root for a reply, the files as attachments. Enclave's own
 * facts (room, label, state, deleted, recalled, held for review and its outcome) travel as X-Enclave-* headers;
 * earlier versions follow the current text in the body. A held item's To names whom it was meant for; its
 * `X-Enclave-Status: held` says it reached them only if `X-Enclave-Review` is `released`.
 */
export async function emlOf(record: ExportRecord, context: EmlContext): Promise<Readable> {
  const roomAddress = { name: record.roomName ?? 'Direct message', address: `room-${record.roomId}@${context.host}` };
  const readers = context.recipients.people;
  const to = readers.length === 0 || readers.length > MAX_LISTED_RECIPIENTS ? [roomAddress] : readers.map((reader) => addressOf(reader, context.host));
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
    messageId: record.held === null ? messageIdOf(record.id, context.host) : messageIdOf(`held-${record.id}`, context.host),
    ...(rootId ? { inReplyTo: rootId, references: [rootId] } : {}),
    text: bodyOf(record),
    attachments,
    headers: {
      'X-Enclave-Room-Id': record.roomId,
      'X-Enclave-Label': record.label,
      'X-Enclave-Status': stateOf(record),
      'X-Enclave-Recipients': context.recipients.basis,
      ...(context.traceCode ? { 'X-Enclave-Trace-Code': context.traceCode } : {}),
      ...(record.deletedAt ? { 'X-Enclave-Deleted-At': record.deletedAt } : {}),
      ...(record.recalledAt ? { 'X-Enclave-Recalled-At': record.recalledAt } : {}),
      ...(record.editedAt ? { 'X-Enclave-Edited-At': record.editedAt } : {}),
      ...(record.held ? heldHeaders(record.held, context.host) : {}),
    },
  });
  return composer.compile().createReadStream();
}

/** Where a record's EML goes in the zip; a held item's is told apart from the message it may have become. */
export function emlPath(record: ExportRecord): string {
  return record.held === null ? `eml/${record.id}.eml` : `eml/held-${record.id}.eml`;
}

function heldHeaders(held: HeldState, host: string): Record<string, string> {
  return {
    'X-Enclave-Review': held.status,
    'X-Enclave-Held-Kind': held.kind,
    ...(held.decidedAt ? { 'X-Enclave-Decided-At': held.decidedAt } : {}),
    ...(held.messageId ? { [held.kind === 'edit' ? 'X-Enclave-Edit-Of' : 'X-Enclave-Delivered-As']: messageIdOf(held.messageId, host) } : {}),
  };
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
