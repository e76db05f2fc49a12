import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { fileKeyOwner, type Keyring } from '../keys/keyring';
import type { UpgradeStep } from '../keys/upgrade-step';
import { sealFileColumns } from './file-sealing.codec';
import type { FileStore } from './file-store';
import { countPlainFiles, markFileSealed, plainFiles } from './files.repository';
import { fileIdentity } from './sealed-file-format';

/**
 * Seals the files an installation stored before encryption, in place, while chat goes on: each file's bytes and
 * thumbnail are re-written sealed under a new key of its own (under tmp/, renamed over the plain ones), its
 * rendered views (a cache) dropped, then its name and text sealed and the row marked sealed in one update. The
 * row's flag is what readers go by, so a file is either all plain or all sealed to them; a crash between the two
 * leaves sealed bytes under a plain row, which the next run finds already sealed (they open under the file's key,
 * kept since) and only finishes. Nothing is remembered between runs: the plain rows are the work left.
 */
export function fileUpgradeStep(store: FileStore): UpgradeStep {
  return {
    name: 'files',
    remaining: (db) => countPlainFiles(db),
    sealBatch: (db, keys, limit) => sealPlainFiles(db, keys, store, limit),
  };
}

async function sealPlainFiles(db: Kysely<Database>, keys: Keyring, store: FileStore, limit: number): Promise<number> {
  if (!keys.encrypting) return 0;
  let sealed = 0;
  for (const row of await plainFiles(db, limit)) {
    const key = await keys.keyFor(db, fileKeyOwner(row.id));
    await store.sealInPlace(row.storage_key, fileIdentity(key, row.id, 'bytes'));
    if (Number(row.has_thumbnail) === 1) await store.sealInPlace(row.storage_key, fileIdentity(key, row.id, 'thumbnail'), { thumbnail: true });
    await store.removeViews(row.storage_key);
    const columns = sealFileColumns(key, row.id, { name: row.name, text: row.extracted_text });
    if (await markFileSealed(db, row.id, columns)) sealed += 1;
    // A view drawn from the plain row while this ran would be plain: drawn again, sealed, when next asked for.
    await store.removeViews(row.storage_key);
  }
  return sealed;
}
