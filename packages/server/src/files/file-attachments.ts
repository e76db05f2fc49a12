import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { AppError } from '../http/app-error';
import type { Keyring } from '../keys/keyring';
import { ContentDamaged } from '../keys/sealed';
import { findByClientIds } from '../messages/messages.access';
import { ensureFileKeys, openFileText } from './file-sealing.codec';
import { toFileInfo, type AttachedFile } from './file-wire';
import { attachedFilesWithText, filesForAttaching, type FileRow } from './files.repository';

/** A send's uploads: whose, into which room, and the send's client id (a retry's is a stored message's). */
export interface AttachRequest {
  senderId: string;
  roomId: string;
  fileIds: readonly string[];
  clientId?: string | undefined;
}

/**
 * What sending and forwarding need to know about files: which uploads a send may carry, and which files a stored
 * message carries on into a forward. The claim itself (pending → carried) happens in the message's transaction
 * (messages/message-writer.ts), which is what makes one upload go with one message only.
 */
export class FileAttachments {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly keys: Keyring,
  ) {}

  /**
   * The uploads a send names, in its order: each must be the sender's, uploaded into this room, carried by no
   * message yet and awaited by no held message (FILE_NOT_ATTACHABLE, naming the others). A send repeated with the
   * client id of a stored message is let through as it is: the writer answers it with that message.
   */
  async requireAttachable(send: AttachRequest): Promise<AttachedFile[]> {
    const rows = new Map((await this.opened(filesForAttaching(this.db, send.fileIds))).map((row) => [row.id, row]));
    const refused = send.fileIds.filter((id) => {
      const row = rows.get(id);
      return !row || row.uploader_id !== send.senderId || row.room_id !== send.roomId || row.attached_at !== null || row.held_status === 'pending';
    });
    if (refused.length > 0 && !(await this.isRetry(send, rows))) throw new AppError('FILE_NOT_ATTACHABLE', { fileIds: refused });
    return send.fileIds.map((id) => this.attached(rows.get(id)!));
  }

  /** The files a stored message carries, for its forward. */
  async carriedBy(messageId: string): Promise<AttachedFile[]> {
    return (await this.opened(attachedFilesWithText(this.db, [messageId]))).map((row) => this.attached(row));
  }

  /** Files by id in that order, as a forward released from review carries them on; they were checked when it was held. */
  async byIds(fileIds: readonly string[]): Promise<AttachedFile[]> {
    const rows = new Map((await this.opened(filesForAttaching(this.db, fileIds))).map((row) => [row.id, row]));
    if (fileIds.some((id) => !rows.has(id))) throw new AppError('FILE_NOT_ATTACHABLE', { fileIds: fileIds.filter((id) => !rows.has(id)) });
    return fileIds.map((id) => this.attached(rows.get(id)!));
  }

  private async isRetry(send: AttachRequest, rows: ReadonlyMap<string, FileRow>): Promise<boolean> {
    if (send.clientId === undefined) return false;
    const ownUploadsHere = send.fileIds.every((id) => rows.get(id)?.uploader_id === send.senderId && rows.get(id)?.room_id === send.roomId);
    return ownUploadsHere && (await findByClientIds(this.db, [{ senderId: send.senderId, clientId: send.clientId }])).length > 0;
  }

  /** Rows with their files' keys loaded, ready to open. */
  private async opened<T extends FileRow>(rows: Promise<T[]>): Promise<T[]> {
    const loaded = await rows;
    await ensureFileKeys(this.db, this.keys, loaded);
    return loaded;
  }

  /** A file with its text opened; text that does not open counts as not read, so DLP treats the file as unread. */
  private attached(row: FileRow): AttachedFile {
    try {
      return { info: toFileInfo(this.keys, row), text: openFileText(this.keys, row), textComplete: Number(row.text_complete) === 1 };
    } catch (error) {
      if (!(error instanceof ContentDamaged)) throw error;
      return { info: toFileInfo(this.keys, row), text: '', textComplete: false };
    }
  }
}
