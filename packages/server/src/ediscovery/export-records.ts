import type { FileInfo } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import type { Database, MessageRow } from '../db/schema';
import { attachedFileInfos, fileInfosByIds } from '../files/files.access';
import type { Keyring } from '../keys/keyring';
import { ContentDamaged } from '../keys/sealed';
import { bodyKeyOwners, decodeBody, heldPlace, messagePlace, versionPlace, type BodyPlace } from '../messages/message-body.codec';
import { heldFileIds } from '../records/records-search.access';
import { memberPeriods, roomNames } from '../rooms/rooms.access';
import { fileSums, heldItemRows, messageRows, people, reactionRows, replyIds, roomMemberIds, versionRows, type HeldItemRow } from './ediscovery.repository';
import { recipientsAt, type Recipients } from './export-recipients';
import type { SelectedRecord } from './export-selection';

export interface Person {
  id: string;
  username: string | null;
  displayName: string | null;
}

export interface ExportedFile {
  id: string;
  name: string;
  size: number;
  mime: string;
  sha256: string | null;
  /** Where its bytes are inside the zip. */
  path: string;
}

/** One message as a record: everything stored about it, including what members can no longer see. */
export interface ExportRecord {
  id: string;
  roomId: string;
  roomName: string | null;
  sender: Person;
  createdAt: string;
  editedAt: string | null;
  /** The current text, kept for a deleted or recalled message too; null when it does not open. */
  text: string | null;
  /** The texts edits replaced, version 1 being the text as first sent; null text where one does not open. */
  versions: { version: number; text: string | null; replacedAt: string }[];
  deleted: boolean;
  deletedAt: string | null;
  recalled: boolean;
  recalledAt: string | null;
  hiddenAt: string | null;
  label: string;
  threadRootId: string | null;
  replyIds: string[];
  reactions: { emoji: string; userId: string; username: string | null; at: string }[];
  files: ExportedFile[];
  /** Set for an item DLP held for review (its `id` is the held item's, `createdAt` when it was held); null for a message. */
  held: HeldState | null;
}

/** What became of an item DLP held: still waiting, delivered by an officer, or refused and never delivered. */
export interface HeldState {
  /** What the sender tried: a new message, an edit of `messageId`, or a forward. */
  kind: 'send' | 'edit' | 'forward';
  status: 'pending' | 'released' | 'rejected';
  decidedAt: string | null;
  /** The message a held edit would change, or the message a released send or forward became; otherwise null. */
  messageId: string | null;
}

/** A batch of records with the people each could reach (the recipients an EML names). */
export interface RecordBatch {
  records: ExportRecord[];
  recipients: Map<ExportRecord, { basis: Recipients['basis']; people: Person[] }>;
}

/**
 * Reads the records of these messages and held items, in the order given, opening their texts through the body
 * codec: a fixed number of queries per batch, whatever its size.
 */
export async function loadRecords(db: Kysely<Database>, keys: Keyring, selected: readonly SelectedRecord[]): Promise<RecordBatch> {
  const messageIds = selected.flatMap((item) => (item.held ? [] : [item.id]));
  const [messages, heldItems] = await Promise.all([messageRows(db, messageIds), heldItemRows(db, selected.flatMap((item) => (item.held ? [item.id] : [])))]);
  const roomIds = [...new Set([...messages.map((row) => row.room_id), ...heldItems.map((row) => row.room_id)])];
  const times = [...messages.map((row) => Number(row.created_at)), ...heldItems.map((row) => Number(row.held_at))];
  const [versions, reactions, replies, files, heldFiles, names, members, history] = await Promise.all([
    versionRows(db, messageIds),
    reactionRows(db, messageIds),
    replyIds(db, messageIds),
    attachedFileInfos(db, keys, messageIds),
    fileInfosByIds(db, keys, [...new Set(heldItems.flatMap((row) => heldFileIds(row.details)))]),
    roomNames(db, keys, roomIds),
    roomMemberIds(db, roomIds),
    memberPeriods(db, roomIds, Math.min(...times), Math.max(...times)),
    keys.ensure(db, bodyKeyOwners(roomIds)),
  ]);
  const fileList = [...[...files.values()].flat(), ...heldFiles.values()];
  const sums = await fileSums(db, fileList.map((file) => file.id));
  const userIds = new Set([...messages.map((row) => row.sender_id), ...heldItems.map((row) => row.sender_id), ...reactions.map((row) => row.user_id), ...[...members.values()].flat(), ...history.periods.map((period) => period.userId)]);
  const persons = await people(db, [...userIds]);
  const person = (id: string): Person => ({ id, username: persons.get(id)?.username ?? null, displayName: persons.get(id)?.displayName ?? null });
  const exported = (file: FileInfo) => exportedFile(file, sums.get(file.id) ?? null);

  const messageRecord = (row: MessageRow): ExportRecord => ({
    id: row.id,
    roomId: row.room_id,
    roomName: names.get(row.room_id) ?? null,
    sender: person(row.sender_id),
    createdAt: iso(row.created_at)!,
    editedAt: iso(row.edited_at),
    text: openOrNull(keys, messagePlace(row.room_id, row.id), row.body),
    versions: versions
      .filter((version) => version.message_id === row.id)
      .map((version) => ({ version: version.version, text: openOrNull(keys, versionPlace(row.room_id, row.id, version.version), version.body), replacedAt: iso(version.replaced_at)! })),
    deleted: row.deleted_at !== null,
    deletedAt: iso(row.deleted_at),
    recalled: row.recalled_at !== null,
    recalledAt: iso(row.recalled_at),
    hiddenAt: iso(row.hidden_at),
    label: row.label,
    threadRootId: row.thread_root_id,
    replyIds: replies.filter((reply) => reply.thread_root_id === row.id).map((reply) => reply.id),
    reactions: reactions.filter((reaction) => reaction.message_id === row.id).map((reaction) => ({ emoji: reaction.emoji, userId: reaction.user_id, username: persons.get(reaction.user_id)?.username ?? null, at: iso(reaction.created_at)! })),
    files: (files.get(row.id) ?? []).map(exported),
    held: null,
  });
  const heldRecord = (row: HeldItemRow): ExportRecord => {
    const details = JSON.parse(row.details) as { threadRootId?: string | null; messageId?: string };
    return {
      id: row.id,
      roomId: row.room_id,
      roomName: names.get(row.room_id) ?? null,
      sender: person(row.sender_id),
      createdAt: iso(row.held_at)!,
      editedAt: null,
      text: openOrNull(keys, heldPlace(row.room_id, row.id), row.body),
      versions: [],
      deleted: false,
      deletedAt: null,
      recalled: false,
      recalledAt: null,
      hiddenAt: null,
      label: row.label,
      threadRootId: details.threadRootId ?? null,
      replyIds: [],
      reactions: [],
      files: heldFileIds(row.details).flatMap((id) => heldFiles.get(id) ?? []).map(exported),
      held: { kind: row.kind, status: row.status, decidedAt: iso(row.decided_at), messageId: row.kind === 'edit' ? (details.messageId ?? null) : row.message_id },
    };
  };

  const messagesById = new Map(messages.map((row) => [row.id, row]));
  const heldById = new Map(heldItems.map((row) => [row.id, row]));
  const records = selected.flatMap((item) => {
    if (item.held) {
      const row = heldById.get(item.id);
      return row ? [heldRecord(row)] : [];
    }
    const row = messagesById.get(item.id);
    return row ? [messageRecord(row)] : [];
  });
  const known = { ...history, currentMembers: members };
  const recipients = new Map(
    records.map((record) => {
      const { basis, userIds: readers } = recipientsAt(known, record.roomId, Date.parse(record.createdAt));
      return [record, { basis, people: readers.map(person) }];
    }),
  );
  return { records, recipients };
}

/** Where a file's bytes go in the zip: its id keeps two files of one name apart, the name keeps it recognisable. */
export function filePath(file: Pick<FileInfo, 'id' | 'name'>): string {
  const safe = file.name.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_').replace(/^\.+/, '_').slice(0, 200);
  return `files/${file.id}/${safe === '' ? 'file' : safe}`;
}

function exportedFile(file: FileInfo, sha256: string | null): ExportedFile {
  return { id: file.id, name: file.name, size: file.size, mime: file.mime, sha256, path: filePath(file) };
}

function openOrNull(keys: Keyring, place: BodyPlace, stored: string): string | null {
  try {
    return decodeBody(keys, place, stored);
  } catch (error) {
    if (error instanceof ContentDamaged) return null;
    throw error;
  }
}

function iso(time: number | string | null): string | null {
  return time === null ? null : new Date(Number(time)).toISOString();
}

