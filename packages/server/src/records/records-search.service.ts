import type { FileInfo, RecordDetail, RecordsSearchRequest, RecordSummary } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { Actor } from '../auth/actor';
import { recordAudit } from '../audit/audit.service';
import type { Database, MessageRow } from '../db/schema';
import { attachedFileInfos, fileInfosByIds } from '../files/files.access';
import type { FileContent, FilesService } from '../files/files.service';
import { AppError } from '../http/app-error';
import type { Keyring } from '../keys/keyring';
import { bodyKeyOwners, heldPlace, messagePlace, versionPlace } from '../messages/message-body.codec';
import { roomNames } from '../rooms/rooms.access';
import { heldFileIds, openedText } from './records-index';
import { matchingRecords, type MatchingRecord } from './records-search';
import { heldRowsByIds, messageCarriesFile, messageRowsByIds, reactionRows, threadRows, versionRows, type HeldRecordRow } from './records-search.repository';

export type RecordsSearchInput = z.output<typeof RecordsSearchRequest>;

/**
 * Compliance search for the compliance role (the endpoints say so; nobody else reaches this). A search answers
 * where and when each record is, never its text; opening one record shows its texts, versions, thread, reactions
 * and files, and opening a file gives its bytes. Each of the three is written to the audit log: a search with the
 * shape of its query (ids, dates, the number of words; the words themselves sealed in `content`) and its count.
 */
export class RecordsSearchService {
  constructor(private readonly deps: { db: Kysely<Database>; keys: Keyring; files: FilesService }) {}

  async search(actor: Actor, input: RecordsSearchInput): Promise<{ records: RecordSummary[]; nextCursor: string | null }> {
    const { db, keys } = this.deps;
    const { limit, cursor, ...query } = input;
    const { records, next } = await matchingRecords(db, keys, query, { after: cursor, limit });
    const summaries = await this.summarise(records);
    const words = query.words ?? '';
    await db.transaction().execute((trx) =>
      recordAudit(trx, {
        actorId: actor.userId,
        action: 'compliance.records_searched',
        data: {
          custodianIds: query.custodianIds,
          roomIds: query.roomIds,
          from: query.from ?? null,
          to: query.to ?? null,
          wordCount: words.split(/\s+/u).filter(Boolean).length,
          label: query.label ?? null,
          hasFile: query.hasFile ?? null,
          page: cursor === undefined ? 1 : 'next',
          count: summaries.length,
        },
        content: { words },
        keys,
        ip: actor.ip,
      }),
    );
    return { records: summaries, nextCursor: next };
  }

  async open(actor: Actor, recordId: string): Promise<RecordDetail> {
    const record = recordId.startsWith('h:') ? await this.openHeld(recordId) : await this.openMessage(recordId);
    const target = recordId.startsWith('h:') ? ({ type: 'held_message', id: recordId.slice(2) } as const) : ({ type: 'message', id: recordId.slice(2) } as const);
    await this.deps.db.transaction().execute((trx) =>
      recordAudit(trx, {
        actorId: actor.userId,
        action: 'compliance.record_opened',
        target,
        data: { roomId: record.roomId, versions: record.versions.length, files: record.files.length, thread: record.thread.length },
        ip: actor.ip,
      }),
    );
    return record;
  }

  /** A file of a record (a message's, or a held item's), for the officer; officers are not members, so rooms' download rules do not bind them. */
  async openFile(actor: Actor, recordId: string, fileId: string, disposition: 'inline' | 'attachment'): Promise<FileContent> {
    const { db } = this.deps;
    const id = recordId.slice(2);
    let roomId: string;
    if (recordId.startsWith('h:')) {
      const [held] = await heldRowsByIds(db, [id]);
      if (!held) throw new AppError('RECORD_NOT_FOUND');
      if (!heldFileIds(held.details).includes(fileId)) throw new AppError('FILE_NOT_FOUND');
      roomId = held.room_id;
    } else {
      const [message] = await messageRowsByIds(db, [id]);
      if (!message) throw new AppError('RECORD_NOT_FOUND');
      if (!(await messageCarriesFile(db, id, fileId))) throw new AppError('FILE_NOT_FOUND');
      roomId = message.room_id;
    }
    const content = await this.deps.files.openHeld(fileId);
    await db.transaction().execute((trx) =>
      recordAudit(trx, { actorId: actor.userId, action: 'compliance.record_file_opened', target: { type: 'file', id: fileId }, data: { recordId, roomId, disposition }, ip: actor.ip }),
    );
    return content;
  }

  private async summarise(records: readonly MatchingRecord[]): Promise<RecordSummary[]> {
    const { db, keys } = this.deps;
    const messageIds = [...new Set(records.flatMap((record) => (record.messageId === null ? [] : [record.messageId])))];
    const held = await heldRowsByIds(db, records.flatMap((record) => (record.heldId === null ? [] : [record.heldId])));
    const [names, messageFiles, heldFiles] = await Promise.all([
      roomNames(db, keys, [...new Set(records.map((record) => record.roomId))]),
      attachedFileInfos(db, keys, messageIds),
      fileInfosByIds(db, keys, [...new Set(held.flatMap((row) => heldFileIds(row.details)))]),
    ]);
    const heldById = new Map(held.map((row) => [row.id, row]));
    return records.map((record) => ({
      recordId: record.heldId === null ? `m:${record.messageId}` : `h:${record.heldId}`,
      kind: record.kind,
      version: record.version,
      messageId: record.messageId,
      heldId: record.heldId,
      roomId: record.roomId,
      roomName: names.get(record.roomId) ?? null,
      senderId: record.senderId,
      at: new Date(record.at).toISOString(),
      label: record.label,
      files: record.messageId !== null ? (messageFiles.get(record.messageId) ?? []) : filesOfHeld(heldById.get(record.heldId!), heldFiles),
    }));
  }

  private async openMessage(recordId: string): Promise<RecordDetail> {
    const { db, keys } = this.deps;
    const [row] = await messageRowsByIds(db, [recordId.slice(2)]);
    if (!row) throw new AppError('RECORD_NOT_FOUND');
    const rootId = row.thread_root_id ?? (Number(row.reply_count) > 0 ? row.id : null);
    const [versions, reactions, thread, files, names] = await Promise.all([
      versionRows(db, row.id),
      reactionRows(db, row.id),
      rootId === null ? Promise.resolve([]) : threadRows(db, rootId),
      attachedFileInfos(db, keys, [row.id]),
      roomNames(db, keys, [row.room_id]),
    ]);
    await keys.ensure(db, bodyKeyOwners([row.room_id]));
    const text = openedText(keys, messagePlace(row.room_id, row.id), row.body);
    const versionTexts = versions.map((version) => ({ ...version, text: openedText(keys, versionPlace(row.room_id, row.id, version.version), version.body) }));
    const threadTexts = thread.map((message) => ({ message, text: openedText(keys, messagePlace(message.room_id, message.id), message.body) }));
    const damaged = text === undefined || versionTexts.some((version) => version.text === undefined) || threadTexts.some((entry) => entry.text === undefined);
    return {
      recordId,
      kind: 'message',
      roomId: row.room_id,
      roomName: names.get(row.room_id) ?? null,
      senderId: row.sender_id,
      at: iso(row.created_at),
      label: row.label,
      text: text ?? '',
      deletedAt: isoOrNull(row.deleted_at),
      recalledAt: isoOrNull(row.recalled_at),
      editedAt: isoOrNull(row.edited_at),
      versions: versionTexts.map((version) => ({ version: Number(version.version), text: version.text ?? '', replacedAt: iso(version.replaced_at) })),
      reactions: reactions.map((reaction) => ({ userId: reaction.user_id, emoji: reaction.emoji, at: iso(reaction.created_at) })),
      thread: threadTexts.map(({ message, text: threadText }) => ({ messageId: message.id, senderId: message.sender_id, at: iso(message.created_at), text: threadText ?? '', state: stateOf(message) })),
      files: files.get(row.id) ?? [],
      ...(damaged ? { unreadable: true as const } : {}),
    };
  }

  private async openHeld(recordId: string): Promise<RecordDetail> {
    const { db, keys } = this.deps;
    const [row] = await heldRowsByIds(db, [recordId.slice(2)]);
    if (!row) throw new AppError('RECORD_NOT_FOUND');
    await keys.ensure(db, bodyKeyOwners([row.room_id]));
    const [names, files] = await Promise.all([roomNames(db, keys, [row.room_id]), fileInfosByIds(db, keys, heldFileIds(row.details))]);
    const text = openedText(keys, heldPlace(row.room_id, row.id), row.body);
    return {
      recordId,
      kind: 'held',
      roomId: row.room_id,
      roomName: names.get(row.room_id) ?? null,
      senderId: row.sender_id,
      at: iso(row.held_at),
      label: row.label,
      text: text ?? '',
      deletedAt: null,
      recalledAt: null,
      editedAt: null,
      versions: [],
      reactions: [],
      thread: [],
      files: filesOfHeld(row, files),
      ...(text === undefined ? { unreadable: true as const } : {}),
    };
  }
}

function filesOfHeld(row: HeldRecordRow | undefined, files: ReadonlyMap<string, FileInfo>): FileInfo[] {
  return row === undefined ? [] : heldFileIds(row.details).flatMap((id) => files.get(id) ?? []);
}

function stateOf(row: MessageRow): 'current' | 'deleted' | 'recalled' {
  return row.recalled_at !== null ? 'recalled' : row.deleted_at !== null ? 'deleted' : 'current';
}

function iso(time: number): string {
  return new Date(Number(time)).toISOString();
}

function isoOrNull(time: number | null): string | null {
  return time === null ? null : iso(time);
}
