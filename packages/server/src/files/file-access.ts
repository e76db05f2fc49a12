import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor';
import type { Database } from '../db/schema';
import { AppError } from '../http/app-error';
import type { LabelRanks, LabelsService } from '../labels/labels.service';
import { restrictionsFromBits } from '../messages/message-restrictions';
import type { RoomsService } from '../rooms/rooms.service';
import { findFile, reachableCarriers, type FileInfoRow } from './files.repository';

/** A file someone may see, and whether they may also download it or only view it inline. */
export interface ReachableFile {
  row: FileInfoRow;
  downloadAllowed: boolean;
  /** The rooms through which they reach it, for the audit entry of a download. */
  roomIds: string[];
}

export interface FileAccessDeps {
  db: Kysely<Database>;
  rooms: RoomsService;
  labels: LabelsService;
}

/**
 * The only way to load a file for someone. A pending upload is its uploader's alone, while they are in the room
 * it went to; a carried file is anyone's who is a member now of a room where a live (not deleted, not recalled)
 * message carries it. Everything else is FILE_NOT_FOUND, exactly like a file that does not exist.
 */
export class FileAccess {
  constructor(private readonly deps: FileAccessDeps) {}

  async requireFile(actor: Pick<Actor, 'userId'>, fileId: string): Promise<ReachableFile> {
    const row = await findFile(this.deps.db, fileId);
    if (!row) throw new AppError('FILE_NOT_FOUND');
    const ranks = await this.deps.labels.ranks();
    return row.attached_at === null ? this.pending(actor, row, ranks) : this.carried(actor, row, ranks);
  }

  private async pending(actor: Pick<Actor, 'userId'>, row: FileInfoRow, ranks: LabelRanks): Promise<ReachableFile> {
    if (row.uploader_id !== actor.userId) throw new AppError('FILE_NOT_FOUND');
    const room = await this.deps.rooms.requireRoomAccess(actor, row.room_id).catch((error: unknown) => {
      throw error instanceof AppError && error.code === 'ROOM_NOT_FOUND' ? new AppError('FILE_NOT_FOUND') : error;
    });
    return { row, downloadAllowed: Number(room.download_allowed) === 1 && ranks.downloadAllowed(row.label), roomIds: [room.id] };
  }

  /**
   * Downloading needs the file's own label to allow it, and one carrying message the person can reach whose room,
   * label and restrictions all allow it: a view-only copy elsewhere does not take away a copy that may be
   * downloaded, and an open room does not make a view-only message downloadable.
   */
  private async carried(actor: Pick<Actor, 'userId'>, row: FileInfoRow, ranks: LabelRanks): Promise<ReachableFile> {
    const carriers = await reachableCarriers(this.deps.db, row.id, actor.userId);
    if (carriers.length === 0) throw new AppError('FILE_NOT_FOUND');
    const throughAny = carriers.some(
      (carrier) => Number(carrier.download_allowed) === 1 && ranks.downloadAllowed(carrier.label) && !restrictionsFromBits(Number(carrier.restrictions)).noDownload,
    );
    return { row, downloadAllowed: ranks.downloadAllowed(row.label) && throughAny, roomIds: [...new Set(carriers.map((carrier) => carrier.room_id))] };
  }
}
