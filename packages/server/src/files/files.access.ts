import type { FileInfo } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Keyring } from '../keys/keyring';
import { ContentDamaged } from '../keys/sealed';
import { ensureFileKeys, openFileText, openName } from './file-sealing.codec';
import { toFileInfo } from './file-wire';
import { attachedFiles, attachedFilesWithText, filesByIds } from './files.repository';

/**
 * The queries on this feature's tables (files) that other features may run; everything else in its repository stays
 * private to it. Another feature imports these from here, never from the repository, so the owner sees in one
 * place what others rely on (dependency rule no-reading-another-features-tables). Those that return a file's name
 * or text open it here (`file-sealing.codec.ts`), so no other feature ever sees a sealed column.
 */
export {
  claimUploads,
  countRoomFilesLabelled,
  deleteFileRows,
  filesOnlyIn,
  insertAttachments,
  markFilesHeld,
  relabelRoomFiles,
} from './files.repository';

/** The files the given messages carry, as members see them, by message id in attachment order. One query (two when a file's key is not loaded yet). */
export async function attachedFileInfos(db: Kysely<Database>, keys: Keyring, messageIds: readonly string[]): Promise<Map<string, FileInfo[]>> {
  const rows = await attachedFiles(db, messageIds);
  await ensureFileKeys(db, keys, rows);
  const result = new Map<string, FileInfo[]>();
  for (const row of rows) result.set(row.message_id, [...(result.get(row.message_id) ?? []), toFileInfo(keys, row)]);
  return result;
}

/**
 * The names and extracted text of the files the given messages carry, for the search index, by message id; what
 * does not open is left out. One query (two when a file's key is not loaded yet).
 */
export async function attachedFileTexts(db: Kysely<Database>, keys: Keyring, messageIds: readonly string[]): Promise<Map<string, { name: string; text: string }[]>> {
  const rows = await attachedFilesWithText(db, messageIds);
  await ensureFileKeys(db, keys, rows);
  const result = new Map<string, { name: string; text: string }[]>();
  for (const row of rows) {
    try {
      const opened = { name: openName(keys, row), text: openFileText(keys, row) };
      result.set(row.message_id, [...(result.get(row.message_id) ?? []), opened]);
    } catch (error) {
      if (!(error instanceof ContentDamaged)) throw error;
    }
  }
  return result;
}

/** Files by id (those that exist), as members would see them, as a held message lists them. */
export async function fileInfosByIds(db: Kysely<Database>, keys: Keyring, ids: readonly string[]): Promise<Map<string, FileInfo>> {
  const rows = await filesByIds(db, ids);
  await ensureFileKeys(db, keys, rows);
  return new Map(rows.map((row) => [row.id, toFileInfo(keys, row)]));
}
