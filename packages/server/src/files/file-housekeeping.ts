import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { FileStore } from './file-store';
import { deleteExpiredUploads } from './files.repository';

/** How long an upload may wait for a message to carry it. */
export const PENDING_UPLOAD_LIFETIME_MS = 24 * 60 * 60_000;
const SWEEP_EVERY_MS = 60 * 60_000;
/** A temp file untouched this long belongs to an upload that died with its process. */
const STALE_TEMP_MS = 60 * 60_000;
const SWEEP_BATCH = 500;

/**
 * Removes uploads no message carried within PENDING_UPLOAD_LIFETIME_MS (and that no held message waits for):
 * their rows first, then their bytes, so a file is never on record without its bytes. Returns how many went.
 */
export async function sweepExpiredUploads(db: Kysely<Database>, store: FileStore, now = Date.now()): Promise<number> {
  let removed = 0;
  for (;;) {
    const expired = await deleteExpiredUploads(db, now - PENDING_UPLOAD_LIFETIME_MS, SWEEP_BATCH);
    for (const { storage_key: key } of expired) await store.remove(key);
    removed += expired.length;
    if (expired.length < SWEEP_BATCH) return removed;
  }
}

/**
 * At start: clears temp files left by a crash and expired uploads; then sweeps every hour for as long as the
 * server runs. The timer never keeps the process alive. Every node sharing the directory may run this: the
 * sweep's delete decides which node removes a file's bytes, and temp files still being written are left alone.
 */
export async function startFileHousekeeping(db: Kysely<Database>, store: FileStore, log: FastifyBaseLogger): Promise<{ stop(): void }> {
  await store.prepare();
  await store.removeStaleTemp(STALE_TEMP_MS);
  await sweepExpiredUploads(db, store);
  const timer = setInterval(() => {
    void Promise.all([store.removeStaleTemp(STALE_TEMP_MS), sweepExpiredUploads(db, store)]).catch((error: unknown) => log.error({ err: error }, 'sweeping uploads failed'));
  }, SWEEP_EVERY_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
