import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { FILES_PER_MESSAGE_MAX, type FileInfo, type FileMime, type FilePolicy } from '@enclave/protocol';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor';
import { recordAudit } from '../audit/audit.service';
import type { Database } from '../db/schema';
import { AppError } from '../http/app-error';
import type { FileUpload } from '../http/multipart-upload';
import type { LabelsService } from '../labels/labels.service';
import { findReadableMessage } from '../messages/messages.access';
import { requireWithinCeiling, type ContentLabels } from '../protection/content-labels';
import { insertFingerprints } from '../provenance/provenance.access';
import type { ProvenanceService } from '../provenance/provenance.service';
import type { RoomsService, RoomWithMembership } from '../rooms/rooms.service';
import type { SettingsService } from '../settings/settings.service';
import type { FileAccess } from './file-access';
import { entityTag, thumbnailTag, type FileBytes } from './file-content-headers';
import { sniffFile } from './file-sniffer';
import type { FileStore } from './file-store';
import { FileViews } from './file-views';
import { toFileInfo } from './file-wire';
import { findFile, insertFile, roomFilesPage, type FileInfoRow } from './files.repository';
import { makeImagePreview, type ImagePreview } from './image-preview';
import { receiveUpload } from './receive-upload';
import { extractTextWithStatus, type DocumentWorkerPool } from './text-extraction';

export interface FilesDeps {
  db: Kysely<Database>;
  rooms: RoomsService;
  labels: LabelsService;
  /** Markings in a file's name or text raise its label at upload. */
  contentLabels: ContentLabels;
  settings: SettingsService;
  provenance: ProvenanceService;
  store: FileStore;
  access: FileAccess;
  log: FastifyBaseLogger;
  /** How long extracting one file's text may take before it counts as not read to the end. */
  extractionTimeoutMs: number;
  /** The worker threads that read PDFs, Office documents, archives and images. */
  documents: DocumentWorkerPool;
}

/** A file's bytes on their way out, with what the answer's headers say about them. */
export interface FileContent extends FileBytes {
  name: string;
  mime: FileMime;
  size: number;
}

const noPreview: ImagePreview = { width: null, height: null, thumbnail: false };

/**
 * Uploads and the ways to read a file back. An upload is checked like a send into its room (membership, not
 * frozen, a label within the ceiling), streamed to disk, then judged by its content; only a file that passed every
 * check gets its final name and its row, so a refused or broken upload leaves nothing behind.
 */
export class FilesService {
  /** Rendered views (image previews, PDF pages): what a view-only file is shown as. */
  readonly views: FileViews;

  constructor(private readonly deps: FilesDeps) {
    this.views = new FileViews(deps);
  }

  async upload(actor: Actor, roomId: string, upload: FileUpload): Promise<FileInfo> {
    let label: string;
    let policy: FilePolicy;
    let room: RoomWithMembership;
    try {
      room = await this.deps.rooms.requireRoomAccess(actor, roomId, 'write');
      label = upload.label ?? room.default_label;
      if (!(await this.deps.labels.ranks()).fits(label, room.ceiling)) throw new AppError('LABEL_ABOVE_ROOM_CEILING', { label, ceiling: room.ceiling });
      policy = (await this.deps.settings.forSending()).files;
    } catch (error) {
      // Refused before a byte was kept: the rest of the file is read and dropped.
      upload.content.resume();
      throw error;
    }
    const { store } = this.deps;
    await store.prepare();
    const temp = store.newTempPath();
    const thumbnailTemp = store.newTempPath();
    const key = store.newKey();
    let placed = false;
    try {
      const received = await receiveUpload(upload.content, temp, policy.maxBytes);
      await upload.finish();
      if (received.size === 0) throw new AppError('FILE_EMPTY');
      const mime = await sniffFile(temp, upload.name, received.size);
      if (!policy.allowedTypes.includes(mime)) throw new AppError('FILE_TYPE_NOT_ALLOWED', { mime });
      const preview = mime.startsWith('image/') ? await makeImagePreview(temp, thumbnailTemp) : noPreview;
      // Extracted once here, so that sending (DLP) and search only read it.
      const text = await extractTextWithStatus(temp, mime, this.deps.documents, { timeoutMs: this.deps.extractionTimeoutMs });
      // A document stamped 机密 is confidential whatever the uploader chose; it must still fit the room.
      const labelled = await this.deps.contentLabels.raise(actor, room, 'upload', label, [upload.name, text.text]);
      requireWithinCeiling(await this.deps.labels.ranks(), labelled, room.ceiling);
      label = labelled.label;
      // Provenance: a copy of a labelled item (the same bytes, a look-alike image, a similar text) takes its label.
      const item = { kind: 'file' as const, roomId, senderId: actor.userId, label };
      const fingerprint = await this.deps.provenance.fingerprintFile({ path: temp, thumbnailPath: preview.thumbnail ? thumbnailTemp : null, size: received.size, mime, sha256: received.sha256, text: text.text });
      const copy = await this.deps.provenance.checkCopy(item, fingerprint, room);
      label = copy.label;
      await store.place(temp, key);
      placed = true;
      if (preview.thumbnail) await store.place(thumbnailTemp, key, { thumbnail: true });
      const row = {
        id: randomUUID(),
        room_id: roomId,
        uploader_id: actor.userId,
        name: upload.name,
        size: received.size,
        mime,
        label,
        sha256: received.sha256,
        storage_key: key,
        width: preview.width,
        height: preview.height,
        has_thumbnail: preview.thumbnail ? 1 : 0,
        // Counted when a page is first drawn: most PDFs are downloaded, never drawn, and a second parse at upload
        // would compete with text extraction for its time budget.
        page_count: null,
        extracted_text: text.text,
        text_complete: text.complete ? 1 : 0,
        created_at: Date.now(),
        attached_at: null,
        held_id: null,
        copied_from: copy.copiedFrom === null ? null : JSON.stringify(copy.copiedFrom),
      };
      await this.deps.db.transaction().execute(async (trx) => {
        await insertFile(trx, row);
        const fingerprint = this.deps.provenance.recordOf(row.id, { ...item, label }, copy);
        if (fingerprint) await insertFingerprints(trx, [fingerprint]);
        for (const entry of this.deps.provenance.auditOf(actor, row.id, item, copy.copiedFrom)) await recordAudit(trx, entry);
        // The name is left out like message text is: it is the uploader's content, and DLP rules scan it.
        const data = { roomId, size: row.size, mime, label, sha256: row.sha256 };
        await recordAudit(trx, { actorId: actor.userId, action: 'file.uploaded', target: { type: 'file', id: row.id }, data, ip: actor.ip });
      });
      return toFileInfo(row);
    } catch (error) {
      await this.discard([temp, thumbnailTemp], placed ? key : undefined);
      throw error;
    }
  }

  async getFile(actor: Actor, fileId: string): Promise<FileInfo> {
    return toFileInfo((await this.deps.access.requireFile(actor, fileId)).row);
  }

  /**
   * A file's original bytes, shown in the browser (`inline`) or saved (`attachment`). Either way the bytes reach
   * the client, which can keep them, so both need the room, the labels and the message to allow downloads
   * (DOWNLOAD_NOT_ALLOWED): a view-only file is shown only as its rendered views (`views`). Both are audited, by
   * file and room, never with the content.
   */
  async openContent(actor: Actor, fileId: string, disposition: 'inline' | 'attachment'): Promise<FileContent> {
    const { row, downloadAllowed, roomIds } = await this.deps.access.requireFile(actor, fileId);
    if (!downloadAllowed) throw new AppError('DOWNLOAD_NOT_ALLOWED');
    const stream = await this.open(row, false);
    await this.deps.db.transaction().execute((trx) =>
      recordAudit(trx, { actorId: actor.userId, action: 'file.downloaded', target: { type: 'file', id: row.id }, data: { disposition, roomIds, label: row.label }, ip: actor.ip }),
    );
    return { name: row.name, mime: row.mime, size: Number(row.size), etag: entityTag(row.sha256), stream };
  }

  /**
   * A file for the compliance officer deciding on the held message that would carry it; the caller has checked
   * that it does. Officers are not room members, so the room's download rules do not apply to them.
   */
  async openHeld(fileId: string): Promise<FileContent> {
    const row = await findFile(this.deps.db, fileId);
    if (!row) throw new AppError('FILE_NOT_FOUND');
    return { name: row.name, mime: row.mime, size: Number(row.size), etag: entityTag(row.sha256), stream: await this.open(row, false) };
  }

  /** An image's thumbnail (re-encoded, small, no metadata), for anyone who can see the file: a view, not a download. */
  async openThumbnail(actor: Actor, fileId: string): Promise<FileBytes> {
    const { row } = await this.deps.access.requireFile(actor, fileId);
    if (Number(row.has_thumbnail) !== 1) throw new AppError('THUMBNAIL_NOT_AVAILABLE');
    return { etag: thumbnailTag(row.id), stream: await this.open(row, true) };
  }

  /**
   * The files of a room's live messages, newest message first, a page at a time. A page ends at a message's edge,
   * so `before` (that message) never skips a file; it may hold up to FILES_PER_MESSAGE_MAX − 1 more than `limit`
   * when one message alone carries more.
   */
  async listRoomFiles(actor: Actor, roomId: string, options: { limit: number; before?: string | undefined }) {
    await this.deps.rooms.requireRoomAccess(actor, roomId);
    let beforePosition: number | undefined;
    if (options.before !== undefined) {
      const anchor = await findReadableMessage(this.deps.db, options.before, actor.userId);
      if (!anchor || anchor.room_id !== roomId) throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'before', message: 'not a message of this room' }] });
      beforePosition = Number(anchor.position);
    }
    const rows = await roomFilesPage(this.deps.db, { roomId, readerId: actor.userId, beforePosition, limit: options.limit + FILES_PER_MESSAGE_MAX });
    const page = wholeMessages(rows, options.limit);
    return {
      files: page.map((row) => ({ file: toFileInfo(row), messageId: row.message_id, threadRootId: row.thread_root_id, senderId: row.sender_id, sentAt: new Date(Number(row.sent_at)).toISOString() })),
      hasMore: rows.length > page.length,
    };
  }

  /**
   * Removes the bytes of files whose rows a committed transaction deleted: rows first, so that no file is ever on
   * record without its bytes. The deletion stands if removing fails; what is left is logged, unreachable bytes.
   */
  async removeStored(storageKeys: readonly string[]): Promise<void> {
    for (const key of storageKeys) {
      try {
        await this.deps.store.remove(key);
      } catch (error) {
        this.deps.log.error({ err: error }, 'removing the bytes of a deleted file failed');
      }
    }
  }

  /** Opens stored bytes, failing here (INTERNAL) rather than halfway through an answer when they are missing. */
  private async open(row: FileInfoRow, thumbnail: boolean): Promise<Readable> {
    const stream = this.deps.store.open(row.storage_key, { thumbnail });
    await once(stream, 'open');
    return stream;
  }

  private async discard(temps: string[], key: string | undefined): Promise<void> {
    try {
      for (const temp of temps) await this.deps.store.removeTemp(temp);
      if (key !== undefined) await this.deps.store.remove(key);
    } catch (error) {
      // The refusal still goes out; a left-over temp file is removed by the next start's cleanup.
      this.deps.log.error({ err: error }, 'removing a refused upload failed');
    }
  }
}

/** The first rows that make whole messages and no more than `limit` files; the first message is kept whole regardless. */
function wholeMessages<T extends { message_id: string }>(rows: readonly T[], limit: number): T[] {
  let end = 0;
  while (end < rows.length) {
    let next = end;
    while (next < rows.length && rows[next]!.message_id === rows[end]!.message_id) next += 1;
    if (end > 0 && next > limit) break;
    end = next;
  }
  return rows.slice(0, end);
}
