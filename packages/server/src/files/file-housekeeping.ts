import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { fileKeyOwner, type KeyOwner, type Keyring } from '../keys/keyring';
import type { FileStore } from './file-store';
import { deleteExpiredUploads, orphanFileKeys } from './files.repository';

/** How long an upload may wait for a message to carry it. */
export const PENDING_UPLOAD_LIFETIME_MS = 24 * 60 * 60_000;
const SWEEP_EVERY_MS = 60 * 60_000;
/** A temp file untouched this long belongs to an upload that died with its process. */
const STALE_TEMP_MS = 60 * 60_000;
const SWEEP_BATCH = 500;

/**
 * Removes uploads no message carried within PENDING_UPLOAD_LIFETIME_MS (and that no held message waits for):
 * their rows and data keys in one transaction (crypto-shredding: whatever is left of them anywhere no longer
 * opens), then their bytes, so a file is never on record without its bytes. Then the keys of uploads that died
 * before they got a row (a crash mid-upload), as old as that. Returns how many uploads went.
 */
export async function sweepExpiredUploads(db: Kysely<Database>, store: FileStore, keys: Keyring, now = Date.now()): Promise<number> {
  const cutoff = now - PENDING_UPLOAD_LIFETIME_MS;
  let removed = 0;
  for (;;) {
    const expired = await db.transaction().execute(async (trx) => {
      const rows = await deleteExpiredUploads(trx, cutoff, SWEEP_BATCH);
      await keys.destroy(trx, rows.map((row) => fileKeyOwner(row.id)));
      return rows;
    });
    for (const { storage_key: key } of expired) await store.remove(key);
    removed += expired.length;
    if (expired.length < SWEEP_BATCH) break;
  }
  for (;;) {
    const orphans = await orphanFileKeys(db, cutoff, SWEEP_BATCH);
    if (orphans.length > 0) await db.transaction().execute((trx) => keys.destroy(trx, orphans as KeyOwner[]));
    if (orphans.length < SWEEP_BATCH) return removed;
  }
}

/**
 * At start: clears temp files left by a crash and expired uploads; then sweeps every hour for as long as the
 * server runs. The timer never keeps the process alive. Every node sharing the directory may run this: the
 * sweep's delete decides which node removes a file's bytes, and temp files still being written are left alone.
 */
export async function startFileHousekeeping(db: Kysely<Database>, store: FileStore, keys: Keyring, log: FastifyBaseLogger): Promise<{ stop(): void }> {
  await store.prepare();
  await store.removeStaleTemp(STALE_TEMP_MS);
  await sweepExpiredUploads(db, store, keys);
  const timer = setInterval(() => {
    void Promise.all([store.removeStaleTemp(STALE_TEMP_MS), sweepExpiredUploads(db, store, keys)]).catch((error: unknown) => log.error({ err: error }, 'sweeping uploads failed'));
  }, SWEEP_EVERY_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
