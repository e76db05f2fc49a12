import type { CopyProvenance, FileInfo } from '@enclave/protocol';
import type { FileInfoRow } from './files.repository';

export function toFileInfo(row: FileInfoRow): FileInfo {
  return {
    id: row.id,
    name: row.name,
    size: Number(row.size),
    mime: row.mime,
    label: row.label,
    uploaderId: row.uploader_id,
    roomId: row.room_id,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    width: row.width === null ? null : Number(row.width),
    height: row.height === null ? null : Number(row.height),
    hasThumbnail: Number(row.has_thumbnail) === 1,
    pageCount: row.page_count === null ? null : Number(row.page_count),
    copiedFrom: row.copied_from === null ? null : (JSON.parse(row.copied_from) as CopyProvenance),
  };
}

/** A file a message carries, as sending needs it: what members see, and its text for DLP and the search index. */
export interface AttachedFile {
  info: FileInfo;
  text: string;
  /** False when extraction could not read the file to its end, so `text` may be missing what DLP looks for. */
  textComplete: boolean;
}
