import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { fileKeyOwner, type Keyring } from '../keys/keyring';
import { ContentDamaged, openText, sealText } from '../keys/sealed';
import { fileIdentity, type FilePart, type SealedIdentity } from './sealed-file-format';

/**
 * The single door for a file's sealed content in the database and the key its bytes are sealed with: its name and
 * extracted text (`files.name`, `files.extracted_text`, bound to the file by `file/<id>/name` and `file/<id>/text`)
 * and the identity its bytes, thumbnail and views are sealed under on disk (`FileStore`). Everything that reads a
 * file row's name or text goes through `openName` / `openFileText`; nothing else reads those columns' values.
 *
 * Whether a row is sealed is the row's own `sealed` flag, the one place that decides whether plain content is
 * accepted: a file stored before encryption stays readable as it is until the upgrade (`file-upgrade.ts`) seals
 * it, and a file stored with encryption turned off is plain for good.
 */
export interface SealedFileRow {
  id: string;
  sealed: number | string;
}

/** Shown for a file whose stored name does not open; the file also says `unreadable`. */
export const UNREADABLE_FILE_NAME = 'unreadable-file';

export function isSealedRow(row: SealedFileRow): boolean {
  return Number(row.sealed) === 1;
}

/** Loads the data keys of the sealed rows' files, in one query for those not loaded yet (none on the usual path). */
export async function ensureFileKeys(db: Kysely<Database>, keys: Keyring, rows: readonly SealedFileRow[]): Promise<void> {
  const owners = rows.filter(isSealedRow).map((row) => fileKeyOwner(row.id));
  if (owners.length > 0) await keys.ensure(db, owners);
}

/**
 * The identity a file's part is sealed under on disk, or null for a plain row. A sealed row whose key is gone
 * (destroyed with its room, or never stored) cannot be opened: ContentDamaged.
 */
export function identityOf(keys: Keyring, row: SealedFileRow, part: FilePart): SealedIdentity | null {
  if (!isSealedRow(row)) return plainAllowed(keys, `file/${row.id}/${part}`);
  const owner = fileKeyOwner(row.id);
  if (!keys.has(owner)) throw new ContentDamaged(`file/${row.id}/${part}`);
  return fileIdentity(keys.key(owner), row.id, part);
}

/**
 * A row not flagged `sealed` is read plain only while an installation is being sealed in place, or with encryption
 * off (keys.acceptsPlain); after that, a plain row is one written behind the server's back: ContentDamaged.
 */
function plainAllowed(keys: Keyring, aad: string): null {
  if (!keys.acceptsPlain) throw new ContentDamaged(aad);
  return null;
}

/** The stored name, opened; ContentDamaged when it does not open. */
export function openName(keys: Keyring, row: SealedFileRow & { name: string }): string {
  if (!isSealedRow(row)) return plainAllowed(keys, `file/${row.id}/name`) ?? row.name;
  return openText(keyOf(keys, row, 'name'), `file/${row.id}/name`, row.name);
}

/** The stored extracted text, opened; ContentDamaged when it does not open. */
export function openFileText(keys: Keyring, row: SealedFileRow & { extracted_text: string }): string {
  if (!isSealedRow(row)) return plainAllowed(keys, `file/${row.id}/text`) ?? row.extracted_text;
  return openText(keyOf(keys, row, 'text'), `file/${row.id}/text`, row.extracted_text);
}

/** A new file's name and text as stored: sealed under its key, or plain when encryption is turned off (key null). */
export function sealFileColumns(key: Buffer | null, fileId: string, columns: { name: string; text: string }): { name: string; extracted_text: string; sealed: number } {
  if (!key) return { name: columns.name, extracted_text: columns.text, sealed: 0 };
  return { name: sealText(key, `file/${fileId}/name`, columns.name), extracted_text: sealText(key, `file/${fileId}/text`, columns.text), sealed: 1 };
}

function keyOf(keys: Keyring, row: SealedFileRow, column: 'name' | 'text'): Buffer {
  const owner = fileKeyOwner(row.id);
  if (!keys.has(owner)) throw new ContentDamaged(`file/${row.id}/${column}`);
  return keys.key(owner);
}
