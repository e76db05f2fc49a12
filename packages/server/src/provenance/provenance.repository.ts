import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { Database, FingerprintsTable } from '../db/schema';

export type FingerprintRow = Selectable<FingerprintsTable>;

/** A fingerprint as stored with its item: the row and its lookup bands. */
export interface FingerprintRecord {
  row: Insertable<FingerprintsTable>;
  bands: string[];
}

/** Most look-alikes read for one item; more share a band only for degenerate input (a blank image, one repeated word). */
const CANDIDATES_MAX = 500;

export async function insertFingerprints(trx: Transaction<Database>, records: readonly FingerprintRecord[]): Promise<void> {
  if (records.length === 0) return;
  await trx.insertInto('fingerprints').values(records.map((record) => record.row)).execute();
  const bands = records.flatMap((record) => [...new Set(record.bands)].map((band) => ({ band, item_id: record.row.item_id })));
  if (bands.length > 0) await trx.insertInto('fingerprint_bands').values(bands).execute();
}

/**
 * Puts an item's new fingerprint in place of its old one (an edited message): its row and bands go, and the new ones,
 * if any, come in the same transaction.
 */
export async function replaceFingerprint(trx: Transaction<Database>, itemId: string, record: FingerprintRecord | null): Promise<void> {
  await trx.deleteFrom('fingerprint_bands').where('item_id', '=', itemId).execute();
  await trx.deleteFrom('fingerprints').where('item_id', '=', itemId).execute();
  if (record) await insertFingerprints(trx, [record]);
}

/** Stored items with the same bytes or sharing a band: candidates, each to be compared in full by the caller. */
export async function findCandidates(db: Kysely<Database>, lookup: { sha256: string | null; bands: readonly string[] }): Promise<FingerprintRow[]> {
  if (lookup.sha256 === null && lookup.bands.length === 0) return [];
  return db
    .selectFrom('fingerprints')
    .selectAll()
    .where((eb) =>
      eb.or([
        ...(lookup.sha256 !== null ? [eb('sha256', '=', lookup.sha256)] : []),
        ...(lookup.bands.length > 0 ? [eb('item_id', 'in', eb.selectFrom('fingerprint_bands').select('item_id').where('band', 'in', [...lookup.bands]))] : []),
      ]),
    )
    .limit(CANDIDATES_MAX)
    .execute();
}

export async function findFingerprint(db: Kysely<Database>, itemId: string): Promise<FingerprintRow | undefined> {
  return db.selectFrom('fingerprints').selectAll().where('item_id', '=', itemId).executeTakeFirst();
}

/** The items recorded as copies (forwards or fingerprint matches) of any of these. */
export async function copiesOf(db: Kysely<Database>, originIds: readonly string[]): Promise<FingerprintRow[]> {
  if (originIds.length === 0) return [];
  return db.selectFrom('fingerprints').selectAll().where('origin_id', 'in', [...originIds]).orderBy('created_at').execute();
}
