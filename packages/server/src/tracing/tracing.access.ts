import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/**
 * The file whose stamped copy (a per-viewer download or view, files/stamping) has exactly these bytes, if any: a
 * stamped copy uploaded again is the same file to provenance, though no byte of it matches the stored original.
 */
export async function fileStampedInto(db: Kysely<Database>, sha256: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('trace_marks')
    .select('item_id')
    .where('stamped_sha256', '=', sha256)
    .where('kind', 'in', ['file-download', 'file-view'])
    .executeTakeFirst();
  return row?.item_id;
}
