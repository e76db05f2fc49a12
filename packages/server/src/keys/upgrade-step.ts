import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Keyring } from './keyring';

/**
 * One kind of content an installation from before encryption holds in plain form (message text, file bytes, …),
 * sealed in place in small batches while chat goes on. Each feature that stores content provides its step; the
 * upgrade runner (keys/) runs them in order, resumes after a crash (a step finds the rows still plain itself,
 * so there is nothing to remember between runs) and reports progress.
 */
export interface UpgradeStep {
  /** Shown in progress reports: "message text", "files". */
  readonly name: string;
  /** How many items are still plain. */
  remaining(db: Kysely<Database>): Promise<number>;
  /** Seals up to `limit` plain items, each in a short transaction; returns how many it sealed (0 when done). */
  sealBatch(db: Kysely<Database>, keys: Keyring, limit: number): Promise<number>;
}
