import type { FileInfo } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { attachedFileInfos } from '../files/files.access';
import type { Keyring } from '../keys/keyring';
import { ContentDamaged } from '../keys/sealed';
import { bodyKeyOwners, decodeBody, messagePlace, versionPlace, type BodyPlace } from '../messages/message-body.codec';
import { roomNames } from '../rooms/rooms.access';
import { fileSums, messageRows, people, reactionRows, replyIds, roomMemberIds, versionRows } from './ediscovery.repository';

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
}

/** A batch of records with the current members of their rooms (the recipients an EML names). */
export interface RecordBatch {
  records: ExportRecord[];
  roomMembers: Map<string, Person[]>;
}

/**
 * Reads the records of these messages, in the order given, opening their texts through the body codec: a fixed
 * number of queries per batch, whatever its size.
 */
export async function loadRecords(db: Kysely<Database>, keys: Keyring, ids: readonly string[]): Promise<RecordBatch> {
  const byId = new Map((await messageRows(db, ids)).map((row) => [row.id, row]));
  const rows = ids.flatMap((id) => byId.get(id) ?? []);
  const roomIds = [...new Set(rows.map((row) => row.room_id))];
  const [versions, reactions, replies, files, names, members] = await Promise.all([
    versionRows(db, ids),
    reactionRows(db, ids),
    replyIds(db, ids),
    attachedFileInfos(db, keys, ids),
    roomNames(db, keys, roomIds),
    roomMemberIds(db, roomIds),
    keys.ensure(db, bodyKeyOwners(roomIds)),
  ]);
  const fileList = [...files.values()].flat();
  const sums = await fileSums(db, fileList.map((file) => file.id));
  const userIds = new Set([...rows.map((row) => row.sender_id), ...reactions.map((row) => row.user_id), ...[...members.values()].flat()]);
  const persons = await people(db, [...userIds]);
  const person = (id: string): Person => ({ id, username: persons.get(id)?.username ?? null, displayName: persons.get(id)?.displayName ?? null });
  const records = rows.map((row): ExportRecord => ({
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
    files: (files.get(row.id) ?? []).map((file) => exportedFile(file, sums.get(file.id) ?? null)),
  }));
  return { records, roomMembers: new Map([...members].map(([roomId, userIds]) => [roomId, userIds.map(person)])) };
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

