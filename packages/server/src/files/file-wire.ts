import type { CopyProvenance, FileInfo } from '@enclave/protocol';
import type { Keyring } from '../keys/keyring';
import { ContentDamaged } from '../keys/sealed';
import { openName, UNREADABLE_FILE_NAME } from './file-sealing.codec';
import type { FileInfoRow } from './files.repository';

/**
 * A file as members see it, its name opened. The row's file key must be loaded (`ensureFileKeys`); a name that does
 * not open makes the file `unreadable`, with a placeholder name, rather than failing the list it is in.
 */
export function toFileInfo(keys: Keyring, row: FileInfoRow): FileInfo {
  let name: string;
  let unreadable = false;
  try {
    name = openName(keys, row);
  } catch (error) {
    if (!(error instanceof ContentDamaged)) throw error;
    name = UNREADABLE_FILE_NAME;
    unreadable = true;
  }
  return {
    id: row.id,
    name,
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
    ...(unreadable ? { unreadable: true as const } : {}),
  };
}

/** A file a message carries, as sending needs it: what members see, and its text for DLP and the search index. */
export interface AttachedFile {
  info: FileInfo;
  text: string;
  /** False when extraction could not read the file to its end, so `text` may be missing what DLP looks for. */
  textComplete: boolean;
}
