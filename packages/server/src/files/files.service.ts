import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { FILES_PER_MESSAGE_MAX, type FileInfo, type FileMime, type FilePolicy } from '@enclave/protocol';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor';
import { recordAudit } from '../audit/audit.service';
import type { Database } from '../db/schema';
import { AppError } from '../http/app-error';
import type { FileUpload } from '../http/multipart-upload';
import { fileKeyOwner, type Keyring } from '../keys/keyring';
import { ContentDamaged } from '../keys/sealed';
import type { LabelsService } from '../labels/labels.service';
import { findReadableMessage } from '../messages/messages.access';
import { requireWithinCeiling, type ContentLabels } from '../protection/content-labels';
import { insertFingerprints } from '../provenance/provenance.access';
import type { ProvenanceService } from '../provenance/provenance.service';
import type { RoomsService, RoomWithMembership } from '../rooms/rooms.service';
import type { SettingsService } from '../settings/settings.service';
import { DamagedFiles } from './damaged-files';
import type { FileAccess, ReachableFile } from './file-access';
import { entityTag, thumbnailTag, type FileBytes } from './file-content-headers';
import { ensureFileKeys, identityOf, openName, sealFileColumns } from './file-sealing.codec';
import { sniffFile } from './file-sniffer';
import { closeWith, type FileSource } from './file-source';
import type { FileStore } from './file-store';
import { FileViews } from './file-views';
import { toFileInfo } from './file-wire';
import { findFile, insertFile, roomFilesPage, type FileInfoRow } from './files.repository';
import { makeImagePreview, MAX_DECODED_IMAGE_BYTES, type ImagePreview } from './image-preview';
import { receiveUpload } from './receive-upload';
import type { FileStamping, StampedVariant } from './stamping/file-stamping';
import { fileIdentity } from './sealed-file-format';
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
  /** Each file's data key (`file:<id>`) seals its bytes, thumbnail, views, name and text. */
  keys: Keyring;
  access: FileAccess;
  log: FastifyBaseLogger;
  /** How long extracting one file's text may take before it counts as not read to the end. */
  extractionTimeoutMs: number;
  /** The worker threads that read PDFs, Office documents, archives and images. */
  documents: DocumentWorkerPool;
  /** Stamps each viewer's copy of a file under a marking policy (issue 16). */
  stamping: FileStamping;
}

/** A file's bytes on their way out, with what the answer's headers say about them. */
export interface FileContent extends FileBytes {
  name: string;
  mime: FileMime;
  size: number;
  /** The code stamped into the copy, when it is one viewer's stamped copy. */
  traceCode?: string;
}

const noPreview: ImagePreview = { width: null, height: null, thumbnail: null };

/**
 * Uploads and the ways to read a file back. An upload is checked like a send into its room (membership, not
 * frozen, a label within the ceiling), streamed to disk sealed under a data key of its own, then judged by its
 * content, read back from the sealed file in memory; only a file that passed every check gets its final name and
 * its row, so a refused or broken upload leaves nothing behind (its key destroyed with it).
 */
export class FilesService {
  /** Rendered views (image previews, PDF pages): what a view-only file is shown as. */
  readonly views: FileViews;
  private readonly damaged: DamagedFiles;

  constructor(private readonly deps: FilesDeps) {
    this.damaged = new DamagedFiles(deps);
    this.views = new FileViews({ ...deps, damaged: this.damaged });
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
    const { store, keys } = this.deps;
    await store.prepare();
    const id = randomUUID();
    // The key exists before the first byte is written: the upload is sealed as it arrives, even in tmp/.
    const fileKey = keys.encrypting ? await keys.keyFor(this.deps.db, fileKeyOwner(id)) : null;
    const bytesIdentity = fileKey ? fileIdentity(fileKey, id, 'bytes') : null;
    const temp = store.newTempPath();
    const thumbnailTemp = store.newTempPath();
    const key = store.newKey();
    let placed = false;
    let source: FileSource | undefined;
    try {
      const received = await receiveUpload(upload.content, store, { path: temp, identity: bytesIdentity }, policy.maxBytes);
      await upload.finish();
      if (received.size === 0) throw new AppError('FILE_EMPTY');
      source = await store.openTemp(temp, bytesIdentity);
      const mime = await sniffFile(source, upload.name);
      if (!policy.allowedTypes.includes(mime)) throw new AppError('FILE_TYPE_NOT_ALLOWED', { mime });
      // An image is decoded from memory (its size is bounded by the file policy); nothing plain goes to disk.
      const image = mime.startsWith('image/') && source.size <= MAX_DECODED_IMAGE_BYTES ? (await source.prefix(source.size)).bytes : null;
      const preview = image ? await makeImagePreview(image) : noPreview;
      // Extracted once here, so that sending (DLP) and search only read it.
      const text = await extractTextWithStatus(source, mime, this.deps.documents, { timeoutMs: this.deps.extractionTimeoutMs });
      await source.close();
      // A document stamped 机密 is confidential whatever the uploader chose; it must still fit the room.
      const labelled = await this.deps.contentLabels.raise(actor, room, 'upload', label, [upload.name, text.text]);
      requireWithinCeiling(await this.deps.labels.ranks(), labelled, room.ceiling);
      label = labelled.label;
      // Provenance: a copy of a labelled item (the same bytes, a look-alike image, a similar text) takes its label.
      const item = { kind: 'file' as const, roomId, senderId: actor.userId, label };
      const fingerprint = await this.deps.provenance.fingerprintFile({ image, thumbnail: preview.thumbnail, size: received.size, mime, sha256: received.sha256, text: text.text });
      const copy = await this.deps.provenance.checkCopy(item, fingerprint, room);
      label = copy.label;
      await store.place(temp, key);
      placed = true;
      if (preview.thumbnail) {
        await store.writeTempWhole(thumbnailTemp, fileKey ? fileIdentity(fileKey, id, 'thumbnail') : null, preview.thumbnail);
        await store.place(thumbnailTemp, key, { thumbnail: true });
      }
      const row = {
        id,
        room_id: roomId,
        uploader_id: actor.userId,
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
        ...sealFileColumns(fileKey, id, { name: upload.name, text: text.text }),
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
      return toFileInfo(keys, row);
    } catch (error) {
      await source?.close();
      await this.discard([temp, thumbnailTemp], placed ? key : undefined, fileKey ? id : undefined);
      throw error;
    }
  }

  async getFile(actor: Actor, fileId: string): Promise<FileInfo> {
    const { row } = await this.deps.access.requireFile(actor, fileId);
    await ensureFileKeys(this.deps.db, this.deps.keys, [row]);
    return toFileInfo(this.deps.keys, row);
  }

  /**
   * A file's original bytes, shown in the browser (`inline`) or saved (`attachment`). Either way the bytes reach
   * the client, which can keep them, so both need the room, the labels and the message to allow downloads
   * (DOWNLOAD_NOT_ALLOWED): a view-only file is shown only as its rendered views (`views`). Under a marking policy
   * the copy is stamped for the caller with a code of its own (DOWNLOAD_REQUIRES_MARKING for what cannot be), unless
   * `ifNoneMatch` names their own stamped copy already. Both are audited, by file and room (and the stamped copy's
   * code), never with the content.
   */
  async openContent(actor: Actor, fileId: string, disposition: 'inline' | 'attachment', ifNoneMatch?: string): Promise<FileContent> {
    const file = await this.deps.access.requireFile(actor, fileId);
    const { row, downloadAllowed, roomIds } = file;
    if (!downloadAllowed) throw new AppError('DOWNLOAD_NOT_ALLOWED');
    const content = (await this.deps.stamping.applies(actor, row.id)) ? await this.stampedContent(actor, file, ifNoneMatch) : await this.originalContent(actor, row);
    const data = { disposition, roomIds, label: row.label, ...(content.traceCode ? { traceCode: content.traceCode } : {}) };
    await this.deps.db.transaction().execute((trx) => recordAudit(trx, { actorId: actor.userId, action: 'file.downloaded', target: { type: 'file', id: row.id }, data, ip: actor.ip }));
    return content;
  }

  /**
   * A file for the compliance officer deciding on the held message that would carry it; the caller has checked
   * that it does. Officers are not room members, so the room's download rules do not apply to them.
   */
  async openHeld(fileId: string): Promise<FileContent> {
    return this.openUnchecked(fileId);
  }

  /**
   * A file for an eDiscovery export (ediscovery/): the officer chose it through a records query, which covers
   * every stored file whatever the room's rules, as a record must.
   */
  async openForRecords(fileId: string): Promise<FileContent> {
    return this.openUnchecked(fileId);
  }

  /**
   * An image's thumbnail (re-encoded, small, no metadata), for anyone who can see the file: a view, not a download.
   * Under a marking policy it is stamped for the viewer like every other view.
   */
  async openThumbnail(actor: Actor, fileId: string, ifNoneMatch?: string): Promise<FileBytes> {
    const { row } = await this.deps.access.requireFile(actor, fileId);
    if (Number(row.has_thumbnail) !== 1) throw new AppError('THUMBNAIL_NOT_AVAILABLE');
    const { stream } = await this.open(row, true, actor);
    if (!(await this.deps.stamping.applies(actor, row.id))) return { etag: thumbnailTag(row.id), stream };
    const held = await this.deps.stamping.heldCopy(actor, row.id, 'thumbnail', ifNoneMatch);
    if (held) return { etag: held, stream: Readable.from([]) };
    const stamped = await this.deps.stamping.stamp(actor, { id: row.id, mime: 'image/webp' }, 'thumbnail', await buffered(stream), 'file-view');
    return { etag: stamped.etag, stream: Readable.from([stamped.bytes]) };
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
    await ensureFileKeys(this.deps.db, this.deps.keys, page);
    return {
      files: page.map((row) => ({ file: toFileInfo(this.deps.keys, row), messageId: row.message_id, threadRootId: row.thread_root_id, senderId: row.sender_id, sentAt: new Date(Number(row.sent_at)).toISOString() })),
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

  /**
   * Opens stored bytes (and the name they are saved under), failing here rather than halfway through an answer:
   * missing bytes are INTERNAL, a file or name that does not open is CONTENT_DAMAGED. Damage found later in the
   * stream (a changed segment further on) ends the answer as an error, never as a silently shorter file, and is
   * reported the same way.
   */
  private async open(row: FileInfoRow, thumbnail: boolean, actor: Pick<Actor, 'userId' | 'ip'> | null): Promise<{ name: string; stream: Readable }> {
    const { keys, store } = this.deps;
    try {
      await ensureFileKeys(this.deps.db, keys, [row]);
      const name = openName(keys, row);
      const source = await store.open(row.storage_key, identityOf(keys, row, thumbnail ? 'thumbnail' : 'bytes'), { thumbnail });
      const stream = closeWith(source);
      stream.once('error', (error) => {
        if (error instanceof ContentDamaged) void this.damaged.report(row.id, actor?.userId ?? null, actor?.ip);
      });
      return { name, stream };
    } catch (error) {
      throw await this.damaged.refusal(error, row.id, actor?.userId ?? null, actor?.ip);
    }
  }

  private async originalContent(actor: Actor, row: FileInfoRow): Promise<FileContent> {
    const { name, stream } = await this.open(row, false, actor);
    return { name, mime: row.mime, size: Number(row.size), etag: entityTag(row.sha256), stream };
  }

  /** The caller's stamped copy, held in memory (bounded by MAX_STAMPED_BYTES), or theirs already (304). */
  private async stampedContent(actor: Actor, file: ReachableFile, ifNoneMatch: string | undefined): Promise<FileContent> {
    const { row } = file;
    this.deps.stamping.requireStampable(row);
    const variant: StampedVariant = 'content';
    const held = await this.deps.stamping.heldCopy(actor, row.id, variant, ifNoneMatch);
    const { name, stream } = await this.open(row, false, actor);
    if (held) {
      stream.destroy();
      return { name, mime: row.mime, size: 0, etag: held, stream: Readable.from([]) };
    }
    const stamped = await this.deps.stamping.stamp(actor, row, variant, await buffered(stream), 'file-download');
    return { name, mime: stamped.mime, size: stamped.bytes.length, etag: stamped.etag, stream: Readable.from([stamped.bytes]), traceCode: stamped.code };
  }

  private async openUnchecked(fileId: string): Promise<FileContent> {
    const row = await findFile(this.deps.db, fileId);
    if (!row) throw new AppError('FILE_NOT_FOUND');
    const { name, stream } = await this.open(row, false, null);
    return { name, mime: row.mime, size: Number(row.size), etag: entityTag(row.sha256), stream };
  }

  /** Removes what a refused upload left, and destroys its key: nothing of it can be read afterwards. */
  private async discard(temps: string[], key: string | undefined, fileId: string | undefined): Promise<void> {
    try {
      for (const temp of temps) await this.deps.store.removeTemp(temp);
      if (key !== undefined) await this.deps.store.remove(key);
      if (fileId !== undefined) await this.deps.db.transaction().execute((trx) => this.deps.keys.destroy(trx, [fileKeyOwner(fileId)]));
    } catch (error) {
      // The refusal still goes out; a left-over temp file is removed by the next start's cleanup.
      this.deps.log.error({ err: error }, 'removing a refused upload failed');
    }
  }
}

/** A stream's bytes in one buffer; a stream that errors (damaged content) rejects. */
async function buffered(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
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
